package io.tracegate.trace;

/**
 * One try of a backend while serving a client request (retries and fallbacks make several): the span lists
 * them in order as {@code attempts}.
 *
 * @param backend the backend's label (as in the span's {@code backend})
 * @param status the HTTP status the backend answered with, or null when it gave none (connect failure,
 *     timeout, waiting for a connection)
 * @param error why the attempt did not serve the client (e.g. {@code http_503}, {@code connect_failed}), or
 *     null for the attempt that answered
 * @param durationMs from sending the attempt to its outcome (headers, or the failure)
 */
public record UpstreamAttempt(String backend, Integer status, String error, long durationMs) {}
