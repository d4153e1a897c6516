// File naming and content types for every file destination (Slack files, Drive, Dropbox,
// buckets, SFTP, email attachments), so a delivery gets the same name and type everywhere:
// the typed name, else the schedule's title; `{date}` / `{timestamp}` expanded in the
// schedule's timezone when the query names one; characters the destination refuses replaced;
// the format's extension added when the name lacks it.
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

/** Expands `{date}` (2024-05-31) and `{timestamp}` (2024-05-31T081500) in a name. */
export function expandPlaceholders(name: string, now: Date, timeZone?: string): string {
  if (!/\{(date|timestamp)\}/i.test(name)) { return name; }
  const p = dateParts(now, timeZone);
  const date = `${p.year}-${p.month}-${p.day}`;
  const timestamp = `${date}T${p.hour}${p.minute}${p.second}`;
  return name.replace(/\{date\}/gi, date).replace(/\{timestamp\}/gi, timestamp);
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
  const clean = (s: string) => cleanFileName(expandPlaceholders(s, now, timeZone), options);
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
  return fileNameFor(typed, title, request.fileExtension, options, scheduleTimezone(request));
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
