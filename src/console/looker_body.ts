// Builds the execute body Looker would send for a delivery the console (or `npm run send`)
// describes: the same shapes as /work/shared/fixtures/looker_requests (push with an attachment,
// url with `scheduled_plan.download_url` and `form_params.format`, cell with `data.value`).
import { ACTION_TYPES, ActionType } from "../hub/action_request";
import { BadRequestError } from "../lib/errors";
import { bareMimetype, formatInfo, isFormat } from "../hub/formats";
import { sampleById, sampleBytes, sampleFieldNames, sampleTitle } from "./samples";

/** What a person chose: everything an execute body is made of. */
export interface DeliveryChoice {
  type: ActionType;
  /** A Looker format name; ignored for cells. */
  format?: string;
  download?: "push" | "url";
  /** A built-in sample's id, or `file` holds the data. */
  sample?: string;
  /** A file the person chose, base64. */
  file?: { name?: string; base64: string };
  /** LookML tags by field name, replacing the sample's defaults. */
  tags?: Record<string, string[]>;
  params?: Record<string, string>;
  formParams?: Record<string, string>;
  /** A cell action's value and rendering. */
  value?: string;
  rendered?: string;
  /** The user's stored state for the integration (`data.state_json`). */
  state?: string;
  title?: string;
}

/** The delivery's bytes and format, settled from the choice. */
export interface DeliveryData {
  bytes: Buffer;
  format: string;
}

const BINARY_EXTENSIONS = new Set(["xlsx", "pdf", "png", "zip"]);

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) { return {}; }
  if (typeof value !== "object" || Array.isArray(value)) { throw new BadRequestError(`"${what}" must be an object.`); }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v ?? "")]));
}

function optionalString(value: unknown): string | undefined {
  return value === undefined || value === null || value === "" ? undefined : String(value);
}

/** Checks a choice from a browser or a shell; answers in words when it makes no sense. */
export function parseChoice(body: unknown): DeliveryChoice {
  if (!body || typeof body !== "object" || Array.isArray(body)) { throw new BadRequestError("Send a JSON object."); }
  const b = body as Record<string, any>;
  const type = b.type ?? "query";
  if (!ACTION_TYPES.includes(type)) { throw new BadRequestError(`"type" must be one of ${ACTION_TYPES.join(", ")}.`); }
  if (b.download !== undefined && b.download !== "push" && b.download !== "url") {
    throw new BadRequestError("\"download\" must be push or url.");
  }
  const tags: Record<string, string[]> = {};
  for (const [field, list] of Object.entries(b.tags ?? {})) {
    tags[field] = (Array.isArray(list) ? list : String(list).split(",")).map((t) => String(t).trim()).filter(Boolean);
  }
  if (b.file !== undefined && (typeof b.file !== "object" || typeof b.file?.base64 !== "string")) {
    throw new BadRequestError("\"file\" must be {name, base64}.");
  }
  return {
    type,
    format: optionalString(b.format),
    download: b.download,
    sample: optionalString(b.sample),
    file: b.file,
    tags,
    params: stringRecord(b.params, "params"),
    formParams: stringRecord(b.formParams, "formParams"),
    value: b.value === undefined || b.value === null ? undefined : String(b.value),
    rendered: b.rendered === undefined || b.rendered === null ? undefined : String(b.rendered),
    state: optionalString(b.state),
    title: optionalString(b.title),
  };
}

/** The data of a query or dashboard choice: the sample in the chosen format, or the file. */
export function deliveryData(choice: DeliveryChoice): DeliveryData {
  if (choice.file) {
    const named = choice.format;
    if (!isFormat(named)) {
      throw new BadRequestError("Say which Looker format the file is in (csv, json_detail, wysiwyg_pdf...).");
    }
    return { bytes: Buffer.from(choice.file.base64, "base64"), format: named };
  }
  const sample = sampleById(choice.sample ?? "");
  if (!sample) { throw new BadRequestError(`There is no sample named "${choice.sample ?? ""}".`); }
  const format = choice.format ?? sample.formats[0];
  const bytes = sampleBytes(sample.id, format, choice.tags);
  if (!bytes) {
    throw new BadRequestError(`The sample "${sample.id}" comes in ${sample.formats.join(", ")}, not "${format}".`);
  }
  return { bytes, format };
}

/** The attachment Looker pushes for data of that format. */
export function attachmentOf(data: DeliveryData): Record<string, unknown> {
  const info = formatInfo(data.format)!;
  const mimetype = bareMimetype(info.contentType)!;
  if (BINARY_EXTENSIONS.has(info.extension)) {
    return { mimetype: `${mimetype};base64`, extension: info.extension, data: data.bytes.toString("base64") };
  }
  return { mimetype, extension: info.extension, data: data.bytes.toString("utf8") };
}

function scheduledPlan(choice: DeliveryChoice, downloadUrl: string | null): Record<string, unknown> {
  const dashboard = choice.type === "dashboard";
  const sampleId = choice.file ? "" : choice.sample ?? "";
  return {
    scheduled_plan_id: 1,
    title: choice.title || (choice.file?.name ?? sampleTitle(sampleId)),
    type: dashboard ? "Dashboard" : "Look",
    url: dashboard ? "http://looker.invalid/dashboards/1" : "http://looker.invalid/looks/1",
    query_id: dashboard ? null : "1",
    query: dashboard ? null : { fields: sampleFieldNames(sampleId), vis_config: { hidden_fields: [] } },
    filters_differ_from_look: false,
    download_url: downloadUrl,
  };
}

/**
 * The execute body for the choice. With `downloadUrl` (the url download setting) the data is
 * left out: Looker names the format in `form_params.format` and the hub fetches the URL.
 */
export function executeBody(choice: DeliveryChoice, downloadUrl?: string): Record<string, unknown> {
  const data: Record<string, string> = { ...choice.params };
  if (choice.state) { data.state_json = choice.state; }
  if (choice.type === "cell") {
    data.value = choice.value ?? "";
    if (choice.rendered !== undefined) { data.rendered = choice.rendered; }
    return { type: "cell", scheduled_plan: null, attachment: null, data, form_params: { ...choice.formParams } };
  }
  const delivered = deliveryData(choice);
  const settled = { ...choice, format: delivered.format };
  if (downloadUrl) {
    return {
      type: choice.type, scheduled_plan: scheduledPlan(settled, downloadUrl), attachment: null, data,
      form_params: { ...choice.formParams, format: delivered.format },
    };
  }
  return {
    type: choice.type, scheduled_plan: scheduledPlan(settled, null), attachment: attachmentOf(delivered), data,
    form_params: { ...choice.formParams },
  };
}
