// File naming and content types for every file destination (Slack files, Drive, Dropbox,
// buckets, SFTP, email attachments), so a delivery gets the same name and type everywhere:
// the typed name, else the schedule's title; `{date}` / `{timestamp}` expanded in the
// schedule's timezone when the query names one; characters the destination refuses replaced;
// the format's extension added when the name lacks it.
import * as crypto from "crypto";
import type { ActionRequest } from "../../hub/action_request";
import { formatInfo } from "../../hub/formats";

export interface FileNameOptions {
  /** Characters the destination refuses, replaced by `replacement`; default: control characters and / \ */
  forbidden?: RegExp;
  /** What a refused character becomes; default a space (runs collapse to one). */
  replacement?: string;
  /** Longest name, extension included; default 200. */
  maxLength?: number;
  /** The moment placeholders expand to; default now. */
  now?: Date;
  /** What `{timestamp}` becomes instead of the moment (the delivery's stamp: `placeholderStamp`). */
  stamp?: string;
}

/** Control characters and path separators: refused by every destination. */
const ALWAYS_FORBIDDEN = /[\u0000-\u001f\u007f/\\]/g;
const DEFAULT_TITLE = "Looker data";

/** The timezone the schedule's query runs in, when Looker sent one that this runtime knows. */
export function scheduleTimezone(request: ActionRequest): string | undefined {
  const tz = request.scheduledPlan?.query?.query_timezone;
  if (typeof tz !== "string" || !tz) { return undefined; }
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone ? tz : undefined;
  } catch {
    return undefined;
  }
}

function dateParts(now: Date, timeZone: string | undefined): Record<string, string> {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(now);
  const out: Record<string, string> = {};
  for (const p of parts) { out[p.type] = p.value; }
  return out;
}

/**
 * Expands `{date}` (2024-05-31) and `{timestamp}` in a name: `stamp` when given (the delivery's,
 * see `placeholderStamp`), else the moment (2024-05-31T081500).
 */
export function expandPlaceholders(name: string, now: Date, timeZone?: string, stamp?: string): string {
  if (!/\{(date|timestamp)\}/i.test(name)) { return name; }
  const p = dateParts(now, timeZone);
  const date = `${p.year}-${p.month}-${p.day}`;
  const timestamp = stamp ?? `${date}T${p.hour}${p.minute}${p.second}`;
  return name.replace(/\{date\}/gi, date).replace(/\{timestamp\}/gi, timestamp);
}

/**
 * Expands the official hub's Cloud Storage date tokens, in UTC: `{YYYYMMDD}` (20260617),
 * `{YYYY}`, `{MM}`, `{DD}`.
 */
export function expandUtcDateTokens(name: string, now: Date): string {
  if (!/\{(YYYYMMDD|YYYY|MM|DD)\}/.test(name)) { return name; }
  const year = String(now.getUTCFullYear()).padStart(4, "0");
  const month = String(now.getUTCMonth() + 1).padStart(2, "0");
  const day = String(now.getUTCDate()).padStart(2, "0");
  return name.replace(/\{YYYYMMDD\}/g, `${year}${month}${day}`).replace(/\{YYYY\}/g, year)
    .replace(/\{MM\}/g, month).replace(/\{DD\}/g, day);
}

/** True when `name` already ends in `.extension` (any case). */
export function hasExtension(name: string, extension: string): boolean {
  return name.toLowerCase().endsWith(`.${extension.toLowerCase()}`);
}

/** A name made safe for a destination: refused characters replaced, runs of spaces collapsed, trimmed. */
export function cleanFileName(name: string, options: FileNameOptions = {}): string {
  const replacement = options.replacement ?? " ";
  let out = name.replace(ALWAYS_FORBIDDEN, replacement);
  if (options.forbidden) {
    const flags = options.forbidden.flags.includes("g") ? options.forbidden.flags : options.forbidden.flags + "g";
    out = out.replace(new RegExp(options.forbidden.source, flags), replacement);
  }
  return out.replace(/\s+/g, " ").trim();
}

/**
 * The name of the delivery's file at a destination: `typed` (a form field), else the
 * schedule's title, placeholders expanded, cleaned, with `extension` added when missing.
 */
export function fileNameFor(
  typed: string | undefined, title: string, extension: string | undefined, options: FileNameOptions = {},
  timeZone?: string,
): string {
  const now = options.now ?? new Date();
  const maxLength = options.maxLength ?? 200;
  const clean = (s: string) => cleanFileName(expandPlaceholders(s, now, timeZone, options.stamp), options);
  let base = clean(typed ?? "") || clean(title) || DEFAULT_TITLE;
  if (!extension || hasExtension(base, extension)) { return base.slice(0, maxLength); }
  base = base.slice(0, Math.max(1, maxLength - extension.length - 1)).trim();
  return `${base}.${extension}`;
}

/** The request's file name: the typed name (or the schedule's title) with the delivery's extension. */
export function requestFileName(
  request: ActionRequest, typed: string | undefined, options: FileNameOptions = {},
): string {
  const title = request.scheduledPlan?.title ?? "";
  return fileNameFor(typed, title, request.fileExtension, { stamp: placeholderStamp(request), ...options },
    scheduleTimezone(request));
}

// The official hub's names, for the destinations whose schedules move over from it (buckets
// and containers): there a typed name is the object's name as typed, and the default is the
// official `<title>.<extension>` with sanitize-filename's rules, so a moved schedule keeps
// writing the same object.

/** What sanitize-filename removes: characters Windows or POSIX refuse, and C0/C1 controls. */
const OFFICIAL_REFUSED = /[\/?<>\\:*|"\u0000-\u001f\u0080-\u009f]/g;
const OFFICIAL_RESERVED = /^\.+$/;
const OFFICIAL_WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const OFFICIAL_TRAILING = /[. ]+$/;
/** The JSON formats the official hub names `.json`; any other url format gave its own name as the extension. */
const OFFICIAL_JSON_FORMATS = new Set(["json", "json_label", "inline_json", "json_detail", "json_detail_lite_stream"]);

/** A name as the official hub's sanitize-filename left it: refused characters dropped, at most 255 bytes. */
export function officialSanitize(name: string): string {
  let out = name.replace(OFFICIAL_REFUSED, "");
  if (OFFICIAL_RESERVED.test(out) || OFFICIAL_WINDOWS_RESERVED.test(out)) { out = ""; }
  out = out.replace(OFFICIAL_TRAILING, "");
  const bytes = Buffer.from(out, "utf8");
  if (bytes.length <= 255) { return out; }
  // Cut at 255 bytes without splitting a character.
  let cut = 255;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) { cut--; }
  return bytes.subarray(0, cut).toString("utf8");
}

/**
 * The extension the official hub gave a delivery: the attachment's, else the url delivery's
 * format (`json` for the JSON formats, the format's own name otherwise, e.g. `csv`, `xlsx`).
 */
export function officialExtension(request: ActionRequest): string | undefined {
  const attached = request.attachment?.extension?.trim();
  if (attached) { return attached; }
  const format = request.formParams.format?.trim();
  if (!format) { return undefined; }
  return OFFICIAL_JSON_FORMATS.has(format) ? "json" : format;
}

/** The official hub's default name: `<title>.<ext>`, else `looker_file_<epoch ms>.<ext>`, sanitized. */
export function officialSuggestedName(request: ActionRequest, now: Date = new Date()): string {
  const ext = officialExtension(request);
  const title = request.scheduledPlan?.title;
  const base = title ? title : `looker_file_${now.getTime()}`;
  return officialSanitize(ext ? `${base}.${ext}` : base) || officialSanitize(`looker_file_${now.getTime()}`);
}

/**
 * The stamp a name carries where the official hub put the time in epoch milliseconds (Cloud
 * Storage's Overwrite: no): with Looker's webhook id, 13 digits derived from it, so the same
 * delivery sent again gets the same name and another delivery another one (the shape of epoch
 * milliseconds, though not a time; docs/exactly_once.md); without one, the clock as there.
 */
export function deliveryStamp(request: ActionRequest, now: Date = new Date()): string {
  if (!request.webhookId) { return String(now.getTime()); }
  const digest = crypto.createHash("sha256").update(request.webhookId).digest("hex");
  return String(1_000_000_000_000n + BigInt(`0x${digest.slice(0, 16)}`) % 9_000_000_000_000n);
}

/**
 * What a typed `{timestamp}` becomes: with Looker's webhook id the delivery's stamp (13 digits,
 * `deliveryStamp`), so the same delivery sent again gets the same name rather than a second file;
 * without one, undefined: the clock's time, as before (docs/exactly_once.md, "Names").
 */
export function placeholderStamp(request: ActionRequest): string | undefined {
  return request.webhookId ? deliveryStamp(request) : undefined;
}

/** What a bucket's or container's Filename field says about objectName. */
export const OBJECT_NAME_HELP = "Used exactly as typed, folders included (exports/revenue.csv); {date} and " +
  "{timestamp} are replaced. Empty: the schedule's title with the format's extension.";

/**
 * The name of the delivery's object in a bucket or container: the typed name exactly as typed
 * (folders included, no extension added; only `{date}` and `{timestamp}` expanded), else the
 * official hub's default name.
 */
export function objectName(request: ActionRequest, typed: string | undefined, now: Date = new Date()): string {
  if (typed) { return expandPlaceholders(typed, now, scheduleTimezone(request), placeholderStamp(request)); }
  return officialSuggestedName(request, now);
}

/** The content type of a file of the delivery: its format's, else Looker's MIME type, else octet-stream. */
export function contentTypeFor(format: string | undefined, mimetype: string | undefined): string {
  const known = formatInfo(format)?.contentType;
  if (known) { return known; }
  const bare = (mimetype ?? "").replace(/;\s*base64\s*$/i, "").trim();
  // Header material from the request: anything that is not a plain token/value is dropped.
  return bare && /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/.test(bare) ? bare : "application/octet-stream";
}

/** The request's content type. */
export function requestContentType(request: ActionRequest): string {
  return contentTypeFor(request.format, request.delivery?.mimetype ?? request.attachment?.mimetype);
}

/** A size for people: 512 bytes, 3.4 KB, 12 MB, 1.2 GB (binary units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) { return `${bytes} bytes`; }
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** What a file destination answers: `Wrote 1.2 GB to gs://bucket/path/file.csv.` */
export function wroteMessage(bytes: number, location: string): string {
  return `Wrote ${formatBytes(bytes)} to ${location}.`;
}
