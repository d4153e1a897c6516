// The hub configured for the hardening suites: every vendor base URL at one local fake vendor.

/** Every vendor base URL the hub can be configured with, pointed at the local vendor. */
export function vendorEnv(vendorUrl: string): Record<string, string> {
  return {
    DEBUG_INTEGRATION: "true",
    SLACK_API_URL: `${vendorUrl}/api/`,
    SEGMENT_API_HOST: vendorUrl,
    SENDGRID_API_URL: vendorUrl,
    ZAPIER_WEBHOOK_DOMAINS: "127.0.0.1",
    TRAY_WEBHOOK_DOMAINS: "127.0.0.1",
    ALLOW_PRIVATE_URLS: "true",
    ALLOW_HTTP_URLS: "true",
    HTTP_RETRY_BASE_DELAY_MS: "1",
    HTTP_RETRY_MAX_DELAY_MS: "5",
    LOG_LEVEL: "debug",
  };
}
