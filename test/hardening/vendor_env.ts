// The hub configured for the hardening suites: every vendor base URL at one local fake vendor.
// Each vendor's variables are declared in its settings file beside its tests (`vendorEnv`,
// test/helpers/suite_settings.ts); these are the hub-wide ones.
import { everyVendorEnv } from "../helpers/suite_settings";

/** Every vendor base URL the hub can be configured with, pointed at the local vendor. */
export function vendorEnv(vendorUrl: string): Record<string, string> {
  return {
    DEBUG_INTEGRATION: "true",
    ...everyVendorEnv(vendorUrl),
    ALLOW_PRIVATE_URLS: "true",
    ALLOW_HTTP_URLS: "true",
    HTTP_RETRY_BASE_DELAY_MS: "1",
    HTTP_RETRY_MAX_DELAY_MS: "5",
    LOG_LEVEL: "debug",
  };
}
