// Execute bodies exactly as Looker sends them, for every format, pushed or at a download URL
// (docs/action-api.md, /work/shared/fixtures/looker_requests/). `attachment.extension` is the
// file's extension (a json_detail push says `json`), base64 formats say so in the MIME type,
// a url delivery has no attachment and names its format in `form_params.format`, and a
// json_detail body has `ran_at` and `fields` before `data`.
import { Format } from "../../src/hub/integration";

export interface LookerAttachmentShape {
  mimetype: string;
  extension: string;
  /** True when `data` is base64 (the MIME type then ends in `;base64`). */
  base64: boolean;
}

/** What Looker puts in `attachment` for a push of each format. */
export const LOOKER_ATTACHMENTS: Readonly<Record<Format, LookerAttachmentShape>> = {
  csv: { mimetype: "text/csv", extension: "csv", base64: false },
  txt: { mimetype: "text/plain", extension: "txt", base64: false },
  json: { mimetype: "application/json", extension: "json", base64: false },
  json_label: { mimetype: "application/json", extension: "json", base64: false },
  inline_json: { mimetype: "application/json", extension: "json", base64: false },
  json_detail: { mimetype: "application/json", extension: "json", base64: false },
  json_detail_lite_stream: { mimetype: "application/json", extension: "json", base64: false },
  xlsx: { mimetype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64", extension: "xlsx",
    base64: true },
  html: { mimetype: "text/html", extension: "html", base64: false },
  wysiwyg_pdf: { mimetype: "application/pdf;base64", extension: "pdf", base64: true },
  assembled_pdf: { mimetype: "application/pdf;base64", extension: "pdf", base64: true },
  wysiwyg_png: { mimetype: "image/png;base64", extension: "png", base64: true },
  csv_zip: { mimetype: "application/zip;base64", extension: "zip", base64: true },
};

export type JsonDetailField = { name: string; label?: string; tags?: string[]; type?: string; hidden?: boolean };
export interface JsonDetailFields {
  dimensions?: JsonDetailField[];
  measures?: JsonDetailField[];
  table_calculations?: JsonDetailField[];
  pivots?: unknown[];
}

/** A json_detail result in Looker's key order: `ran_at` and `fields` before `data`. */
export function jsonDetail(fields: JsonDetailFields, data: Array<Record<string, unknown>>,
                           ranAt = "2024-03-04T05:06:07+00:00"): Record<string, unknown> {
  return { ran_at: ranAt, fields, data };
}

// A one-pixel PNG and a one-page PDF, the bytes of the fixtures' dashboard pushes.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC",
  "base64");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]" +
  "/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
/** An empty zip archive (its end-of-central-directory record), as a stand-in for xlsx and csv_zip bytes. */
const ZIP = Buffer.concat([Buffer.from("PK\u0005\u0006"), Buffer.alloc(18)]);

const SAMPLE_FIELDS: JsonDetailFields = {
  dimensions: [
    // The id tags of Segment and of every CRM and marketing integration.
    { name: "users.id", label: "Users ID", type: "number",
      tags: ["user_id", "hubspot_contact_id", "hubspot_company_id", "braze_id", "mp_customer_id"] },
    { name: "users.email", label: "Users Email", tags: ["email", "marketo:email"], type: "string" },
    { name: "accounts.id", label: "Accounts ID", tags: ["segment_group_id"], type: "string" },
    { name: "users.sfdc_id", label: "Users Salesforce ID", tags: ["sfdc_contact_id"], type: "string" },
    // The targets of the operations actions (phone numbers, EC2 instances, droplets).
    { name: "users.phone", label: "Users Phone", tags: ["phone"], type: "string" },
    { name: "servers.instance", label: "Servers Instance", tags: ["aws_resource_id"], type: "string" },
    { name: "servers.droplet", label: "Servers Droplet", tags: ["digitalocean_droplet_id"], type: "number" },
  ],
  measures: [{ name: "orders.total", label: "Orders Total", tags: [], type: "sum" }],
  table_calculations: [],
  pivots: [],
};

/** A small, realistic result in each format: text, rows, a json_detail object or file bytes. */
export function sampleContent(format: Format): string | Buffer | unknown {
  switch (format) {
    case "csv": return "Users ID,Users Email,Orders Total\n1,ada@example.com,1204.50\n2,bob@example.com,980.00\n";
    case "txt": return "Users ID\tUsers Email\tOrders Total\n1\tada@example.com\t1204.50\n2\tbob@example.com\t980.00\n";
    case "json":
    case "inline_json":
      return [{ "users.id": 1, "users.email": "ada@example.com", "orders.total": 1204.5 },
        { "users.id": 2, "users.email": "bob@example.com", "orders.total": 980 }];
    case "json_label":
      return [{ "Users ID": 1, "Users Email": "ada@example.com", "Orders Total": 1204.5 },
        { "Users ID": 2, "Users Email": "bob@example.com", "Orders Total": 980 }];
    case "json_detail":
    case "json_detail_lite_stream":
      return jsonDetail(SAMPLE_FIELDS, [
        { "users.id": { value: 1 }, "users.email": { value: "ada@example.com" }, "accounts.id": { value: "a1" },
          "users.sfdc_id": { value: "003000000000001AAA" },
          "users.phone": { value: "+15550100001" }, "servers.instance": { value: "i-0abc1234def567890" },
          "servers.droplet": { value: 101 }, "orders.total": { value: 1204.5 } },
        { "users.id": { value: 2 }, "users.email": { value: "bob@example.com" }, "accounts.id": { value: "a1" },
          "users.sfdc_id": { value: "003000000000002AAA" },
          "users.phone": { value: "+15550100002" }, "servers.instance": { value: "i-0abc1234def567891" },
          "servers.droplet": { value: 102 }, "orders.total": { value: 980 } },
      ]);
    case "html":
      return "<html><body><table><tr><th>Users ID</th><th>Users Email</th></tr>" +
        "<tr><td>1</td><td>ada@example.com</td></tr></table></body></html>";
    case "wysiwyg_pdf":
    case "assembled_pdf": return PDF;
    case "wysiwyg_png": return PNG;
    case "xlsx":
    case "csv_zip": return ZIP;
  }
}

/** The bytes of the content as a file (and as a download URL serves it). */
export function contentBytes(content: string | Buffer | unknown): Buffer {
  if (Buffer.isBuffer(content)) { return content; }
  return Buffer.from(typeof content === "string" ? content : JSON.stringify(content));
}

export interface AttachmentOptions {
  /** JSON formats: send the JSON as a string rather than inline (Looker does both). */
  jsonAsString?: boolean;
}

/** The `attachment` of a push of that format, in Looker's key order. */
export function lookerAttachment(format: Format, content: string | Buffer | unknown = sampleContent(format),
                                 options: AttachmentOptions = {}): Record<string, unknown> {
  const shape = LOOKER_ATTACHMENTS[format];
  let data: unknown;
  if (shape.base64) {
    data = contentBytes(content).toString("base64");
  } else if (shape.mimetype === "application/json") {
    data = typeof content === "string" || !options.jsonAsString ? content : JSON.stringify(content);
  } else {
    data = Buffer.isBuffer(content) ? content.toString("utf8") : content;
  }
  return { mimetype: shape.mimetype, extension: shape.extension, data };
}

export interface BodyParts {
  type?: "query" | "dashboard" | "cell";
  scheduled_plan?: Record<string, unknown> | null;
  data?: Record<string, unknown>;
  form_params?: Record<string, string>;
}

export const LOOKER_PLAN = {
  scheduled_plan_id: 42, title: "Weekly revenue", type: "Look", url: "https://looker.example.com/looks/17",
  query_id: "555", query: { fields: ["users.id", "users.email", "orders.total"], vis_config: { hidden_fields: [] } },
  filters_differ_from_look: false, download_url: null,
};

/** A push: the attachment inside the body, between the plan and the params, as Looker orders it. */
export function pushBody(format: Format, parts: BodyParts = {}, content?: unknown,
                         options: AttachmentOptions = {}): Record<string, unknown> {
  return {
    type: parts.type ?? "query",
    scheduled_plan: parts.scheduled_plan === undefined ? LOOKER_PLAN : parts.scheduled_plan,
    attachment: lookerAttachment(format, content === undefined ? sampleContent(format) : content, options),
    data: parts.data ?? {},
    form_params: parts.form_params ?? {},
  };
}

/** A url delivery: no attachment, the one-time `download_url`, the format in `form_params.format`. */
export function urlBody(format: Format, downloadUrl: string, parts: BodyParts = {}): Record<string, unknown> {
  const plan = parts.scheduled_plan === undefined ? LOOKER_PLAN : parts.scheduled_plan;
  return {
    type: parts.type ?? "query",
    scheduled_plan: { ...plan, download_url: downloadUrl },
    attachment: null,
    data: parts.data ?? {},
    form_params: { ...parts.form_params, format },
  };
}
