// Looker tells its version in its User-Agent: `LookerOutgoingWebhook/7.20.0`.

/** A parsed Looker version; `null` stands for "unknown", treated as the newest. */
export type LookerVersion = readonly [number, number, number] | null;

const AGENT = /LookerOutgoingWebhook\/v?(\d{1,6})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?/i;

/** Reads the version from a User-Agent header, leniently; anything else is `null`. */
export function parseLookerVersion(userAgent: string | undefined): LookerVersion {
  const match = userAgent ? AGENT.exec(userAgent) : null;
  if (!match) { return null; }
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** Parses "6.2" or "7.20.0" as written in integration declarations. */
export function versionFromString(text: string): readonly [number, number, number] {
  const parts = text.split(".").map((p) => Number(p));
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => !Number.isInteger(p) || p < 0)) {
    throw new Error(`"${text}" is not a version like 7.20.0`);
  }
  return [parts[0], parts[1] ?? 0, parts[2] ?? 0];
}

/** True when `version` is at least `minimum`; an unknown version counts as newest. */
export function isAtLeast(version: LookerVersion, minimum: string): boolean {
  if (version === null) { return true; }
  const min = versionFromString(minimum);
  for (let i = 0; i < 3; i++) {
    if (version[i] !== min[i]) { return version[i] > min[i]; }
  }
  return true;
}

export function versionKey(version: LookerVersion): string {
  return version === null ? "newest" : version.join(".");
}
