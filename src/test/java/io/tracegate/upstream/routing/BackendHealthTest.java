package io.tracegate.upstream.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.upstream.routing.BackendHealth.Admission;
import io.tracegate.upstream.routing.BackendHealth.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackendHealthTest {
  @Test
  void consecutiveFailuresStartACooldownAndASuccessResetsTheCount() {
    BackendHealth h = new BackendHealth(3, TimeUnit.MINUTES.toNanos(1));
    h.failed(false);
    h.failed(false);
    h.succeeded();
    h.failed(false);
    h.failed(false);
    assertThat(h.state()).isEqualTo(State.HEALTHY);
    assertThat(h.tryAdmit()).isEqualTo(Admission.ADMITTED);
    h.failed(false);
    assertThat(h.state()).isEqualTo(State.COOLDOWN);
    assertThat(h.tryAdmit()).isEqualTo(Admission.REFUSED);
    assertThat(h.cooldownRemainingMillis()).isBetween(1L, 60_000L);
    assertThat(h.cooldownsStarted()).isEqualTo(1);
  }

  @Test
  void afterTheCooldownExactlyOneProbeDecides() throws Exception {
    BackendHealth h = new BackendHealth(1, TimeUnit.MILLISECONDS.toNanos(1));
    h.failed(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (h.cooldownRemainingMillis() > 0 || h.tryAdmit() != Admission.PROBE) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(2);
    }
    assertThat(h.state()).isEqualTo(State.PROBING);
    assertThat(h.tryAdmit()).as("a second request while the probe runs").isEqualTo(Admission.REFUSED);
    h.abandoned(true); // the probe was cancelled: the next request probes
    assertThat(h.tryAdmit()).isEqualTo(Admission.PROBE);
    h.failed(true);
    assertThat(h.state()).isEqualTo(State.COOLDOWN);
    assertThat(h.cooldownsStarted()).isEqualTo(2);
    while (h.tryAdmit() != Admission.PROBE) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(2);
    }
    h.succeeded();
    assertThat(h.state()).isEqualTo(State.HEALTHY);
    assertThat(h.tryAdmit()).isEqualTo(Admission.ADMITTED);
  }

  @Test
  void aFailureWhileOutOfServiceDoesNotExtendTheCooldown() {
    BackendHealth h = new BackendHealth(1, TimeUnit.MINUTES.toNanos(1));
    h.failed(false);
    h.failed(false);
    h.failed(false);
    assertThat(h.cooldownsStarted()).isEqualTo(1);
  }
}
