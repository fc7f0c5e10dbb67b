package io.tracegate.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Version numbers, group statistics and the names the export options accept. */
class PolicyVersionsTest {

  @Test
  void aVersionNumberIsTheIntegerTheVersionEndsWith() {
    assertThat(PolicyVersions.number("7")).isEqualTo(7L);
    assertThat(PolicyVersions.number("step-120")).isEqualTo(120L);
    assertThat(PolicyVersions.number("global_step_3")).isEqualTo(3L);
    assertThat(PolicyVersions.number(" v12 ")).isEqualTo(12L);
    assertThat(PolicyVersions.number("main")).isNull();
    assertThat(PolicyVersions.number("v2-rc")).isNull();
    assertThat(PolicyVersions.number(null)).isNull();
    assertThat(PolicyVersions.number("x12345678901234567890")).as("too long for a long").isNull();
  }

  @Test
  void groupStatisticsFollowVerlsGrpoFormula() {
    GroupStats three = GroupStats.of(3, 1.5, 1.25); // rewards 1.0, 0.0, 0.5
    assertThat(three.mean()).isEqualTo(0.5);
    assertThat(three.std()).isEqualTo(0.5);
    assertThat(three.advantage(1.0)).isEqualTo(0.5 / (0.5 + GroupStats.EPSILON));
    assertThat(three.advantage(null)).isNull();
    GroupStats one = GroupStats.of(1, 0.25, 0.0625);
    assertThat(one.mean()).isZero();
    assertThat(one.std()).isEqualTo(1.0);
    GroupStats same = GroupStats.of(2, 2.0, 2.0); // rewards 1.0, 1.0
    assertThat(same.std()).isZero();
    assertThat(same.advantage(1.0)).isZero();
  }

  @Test
  void unknownNamesAreRefusedWithTheAcceptedOnes() {
    assertThat(TrainerSchema.parse(" VERL ")).isEqualTo(TrainerSchema.VERL);
    assertThat(TrainerSchema.parse(null)).isEqualTo(TrainerSchema.TRACEGATE);
    assertThatThrownBy(() -> TrainerSchema.parse("trl")).hasMessage(
        "invalid schema 'trl': use tracegate, verl, skyrl or slime");
    assertThat(Semantics.parse("AGL-V1")).isEqualTo(Semantics.AGL_V1);
    assertThatThrownBy(() -> Semantics.parse("agl-v2")).hasMessage(
        "invalid semantics 'agl-v2': use tracegate or agl-v1");
    assertThatThrownBy(() -> ExportFilter.LATEST_ATTEMPTS.withVersions(null, -1L))
        .hasMessage("max staleness must be 0 or more, got -1");
  }
}
