// Looker's formats and what a file of each is: its extension and content type, and how a
// delivery's format is told from what Looker actually sends. `attachment.extension` is a file
// extension (`json`, `pdf`), never a format name: a json_detail push arrives as `json`. The
// format is named only in `form_params.format` (url deliveries); otherwise it is told from the
// MIME type, the extension and, for JSON, the content (an object with `fields` and `data` is
// json_detail; an array of rows is json).
import type { Format } from "./integration";

export interface FormatInfo {
  /** The file extension, without the dot. */
  extension: string;
  /** The content type of a file of this format (never with `;base64`). */
  contentType: string;
}

const FORMAT_INFO: ReadonlyMap<string, FormatInfo> = new Map<string, FormatInfo>([
  ["txt", { extension: "txt", contentType: "text/plain; charset=utf-8" }],
  ["csv", { extension: "csv", contentType: "text/csv; charset=utf-8" }],
  ["inline_json", { extension: "json", contentType: "application/json" }],
  ["json", { extension: "json", contentType: "application/json" }],
  ["json_label", { extension: "json", contentType: "application/json" }],
  ["json_detail", { extension: "json", contentType: "application/json" }],
  ["json_detail_lite_stream", { extension: "json", contentType: "application/json" }],
  ["xlsx", { extension: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }],
  ["html", { extension: "html", contentType: "text/html; charset=utf-8" }],
  ["wysiwyg_pdf", { extension: "pdf", contentType: "application/pdf" }],
  ["assembled_pdf", { extension: "pdf", contentType: "application/pdf" }],
  ["wysiwyg_png", { extension: "png", contentType: "image/png" }],
  ["csv_zip", { extension: "zip", contentType: "application/zip" }],
]);

/** The formats a file of each extension can hold, the likeliest first. */
const BY_EXTENSION: ReadonlyMap<string, readonly Format[]> = new Map<string, readonly Format[]>([
  ["txt", ["txt"]],
  ["csv", ["csv"]],
  ["xlsx", ["xlsx"]],
  ["html", ["html"]],
  ["pdf", ["wysiwyg_pdf", "assembled_pdf"]],
  ["png", ["wysiwyg_png"]],
  ["zip", ["csv_zip"]],
]);

const BY_MIMETYPE: ReadonlyMap<string, string> = new Map<string, string>([
  ["text/plain", "txt"],
  ["text/tab-separated-values", "txt"],
  ["text/csv", "csv"],
  ["application/csv", "csv"],
  ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"],
  ["text/html", "html"],
  ["application/pdf", "pdf"],
  ["image/png", "png"],
  ["application/zip", "zip"],
  ["application/x-zip-compressed", "zip"],
  ["application/json", "json"],
  ["text/json", "json"],
]);

/** The JSON formats whose data is an array of row objects. */
export const JSON_ROW_FORMATS: readonly Format[] = ["json", "json_label", "inline_json"];
/** The JSON formats whose data is an object with `fields` and `data`. */
export const JSON_DETAIL_FORMATS: readonly Format[] = ["json_detail", "json_detail_lite_stream"];

/** True for a Looker format name (own properties only: request data is never a prototype key). */
export function isFormat(name: string | undefined): name is Format {
  return name !== undefined && FORMAT_INFO.has(name);
}

/** Extension and content type of a Looker format; undefined for names that are not formats. */
export function formatInfo(format: string | undefined): FormatInfo | undefined {
  return format === undefined ? undefined : FORMAT_INFO.get(format);
}

/** The MIME type alone: parameters (`; charset=…`) and the `;base64` marker removed, lower case. */
export function bareMimetype(mimetype: string | undefined): string | undefined {
  if (!mimetype) { return undefined; }
  const bare = mimetype.split(";")[0].trim().toLowerCase();
  return bare || undefined;
}

/** A file extension made safe (`.CSV` → `csv`); undefined when it is not a plain extension. */
export function cleanExtension(extension: string | undefined): string | undefined {
  const ext = (extension ?? "").trim().replace(/^\./, "").toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : undefined;
}

/** What Looker said about a delivery's format. */
export interface FormatHints {
  /** `form_params.format`: Looker names the format on url deliveries. */
  formFormat?: string;
  mimetype?: string;
  extension?: string;
}

/**
 * The formats a delivery may be in, from what Looker said, the likeliest first; for JSON
 * (extension or MIME type `json`) both JSON families, to be told apart by the content.
 * Empty when nothing is known.
 */
export function candidateFormats(hints: FormatHints): Format[] {
  if (isFormat(hints.formFormat)) { return [hints.formFormat]; }
  const key = cleanExtension(hints.extension) ?? BY_MIMETYPE.get(bareMimetype(hints.mimetype) ?? "");
  if (key === "json") { return [...JSON_DETAIL_FORMATS, ...JSON_ROW_FORMATS]; }
  if (key !== undefined && BY_EXTENSION.has(key)) { return [...BY_EXTENSION.get(key)!]; }
  // A format name where an extension belongs (older tests and hand-made requests).
  if (isFormat(hints.extension)) { return [hints.extension]; }
  return [];
}

/** True when the candidates mix both JSON families, so only the content can tell. */
export function needsJsonSniff(candidates: readonly Format[]): boolean {
  return candidates.some((f) => JSON_DETAIL_FORMATS.includes(f)) &&
    candidates.some((f) => JSON_ROW_FORMATS.includes(f));
}

/** Keeps the candidates of the JSON family the content's first character shows (`{` or `[`). */
export function narrowByJsonStart(candidates: readonly Format[], firstChar: string | undefined): Format[] {
  if (firstChar === "{") { return candidates.filter((f) => JSON_DETAIL_FORMATS.includes(f)); }
  if (firstChar === "[") { return candidates.filter((f) => JSON_ROW_FORMATS.includes(f)); }
  return [...candidates];
}

/**
 * The one format to give an integration: the first candidate it declares (so an integration
 * that declares only json_detail_lite_stream gets that name for a json_detail-shaped push),
 * else the first candidate.
 */
export function chooseFormat(candidates: readonly Format[], declared: readonly Format[]): Format | undefined {
  return candidates.find((f) => declared.includes(f)) ?? candidates[0];
}
