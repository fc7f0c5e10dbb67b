package io.tracegate.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One try of a backend while serving a client request (retries and fallbacks make several): the span lists
 * them in order as {@code attempts}, each as {@code {"backend", "status", "error", "duration_ms"}} (every key
 * always present).
 *
 * @param backend the backend's label (as in the span's {@code backend})
 * @param status the HTTP status the backend answered with, or null when it gave none (connect failure,
 *     timeout, waiting for a connection)
 * @param error why the attempt did not serve the client (e.g. {@code http_503}, {@code connect_failed}), or
 *     null for the attempt that answered
 * @param durationMs from sending the attempt to its outcome (headers, or the failure)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UpstreamAttempt(String backend, Integer status, String error, long durationMs) {}
