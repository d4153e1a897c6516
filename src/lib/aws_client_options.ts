// The options an AWS SDK v3 client gets from the hub's outbound HTTP settings: HTTP_MAX_ATTEMPTS
// with the hub's backoff (the SDK retries throttling, 5xx and network errors), its connect, idle and
// total timeouts, and a cap on answers (the SDK reads each whole). Loaded on first use: the SDK's
// pieces are large and many hubs never call AWS.
import { HttpSettings } from "../config";

/** `maxAnswerBytes`: the longest answer read (the handler's default, 16 MiB, unless a smaller one is given). */
export async function awsClientOptions(http: HttpSettings, maxAnswerBytes?: number) {
  const [retry, capped] = await Promise.all([import("@smithy/core/retry"), import("./object_stores/capped_handler")]);
  return {
    maxAttempts: http.maxAttempts,
    retryStrategy: new retry.ConfiguredRetryStrategy(http.maxAttempts,
      (attempt: number) => Math.min(http.retryMaxDelayMs, http.retryBaseDelayMs * 2 ** attempt)),
    requestHandler: new capped.CappedHttpHandler({
      connectionTimeout: http.connectTimeoutMs, socketTimeout: http.idleTimeoutMs,
      requestTimeout: http.totalTimeoutMs, throwOnRequestTimeout: true,
    }, maxAnswerBytes),
  };
}
