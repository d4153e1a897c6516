// Rows to Braze's /users/track through the shared pipeline, 75 attribute objects a request
// (Braze's limit), every request awaited. The official row rules: the field tagged braze_id
// is the user's id (as external_id or braze_id, the form's choice), fields tagged
// braze[<attribute>] are custom attributes, and each user gets the export segment added to
// its looker_export array; users that do not exist are not created (_update_existing_only).
import { allFields, cellValue, idValue, missingTagMessage, tagsOf, taggedField } from "../../data/rows/detail_fields";
import { BatchOutcome, Mapped, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe, RowMapping } from "../../data/rows/row_mapping";
import { RowRejection, TallyWording } from "../../data/rows/row_tally";
import { RecordBodies } from "../../data/rows/record_bodies";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { Logger } from "../../lib/logger";
import { BrazeRawWriter } from "./braze_raw_writer";

export const BRAZE_ID_TAG = "braze_id";
export const EXPORT_ATTRIBUTE = "looker_export";
const BATCH = 75;
const ATTRIBUTE_TAG = /^braze\[(.+)\]$/;

type Attributes = Record<string, unknown>;

class BrazeMapper implements RowMapper<Attributes> {
  private readonly idField: string;
  private readonly attributes: Array<[field: string, attribute: string]> = [];
  /** On a row worker, the rows lying whole in a chunk are written from their bytes. */
  readonly raw?: BrazeRawWriter;

  constructor(fields: JsonDetailFields, hidden: Set<string>, private readonly key: string,
              private readonly segment: string) {
    const list = allFields(fields);
    const idField = taggedField(list, BRAZE_ID_TAG);
    if (!idField) { throw new UserError(missingTagMessage([BRAZE_ID_TAG], "to say which Braze user each row is")); }
    this.idField = idField;
    for (const field of list) {
      if (hidden.has(field.name)) { continue; }
      for (const tag of tagsOf(field)) {
        const attribute = ATTRIBUTE_TAG.exec(tag)?.[1];
        if (attribute) { this.attributes.push([field.name, attribute]); }
      }
    }
    this.raw = BrazeRawWriter.for(idField, this.attributes, { key, segment, exportAttribute: EXPORT_ATTRIBUTE });
  }

  map(row: JsonDetailRow): Mapped<Attributes> {
    const id = idValue(row[this.idField]);
    if (id === undefined) { return { rejected: "no braze_id" }; }
    const record: Attributes = { _update_existing_only: true, [this.key]: id };
    for (const [field, attribute] of this.attributes) {
      const value = cellValue(row[field]);
      if (value !== null && value !== undefined) { record[attribute] = value; }
    }
    record[EXPORT_ATTRIBUTE] = { add: [this.segment] };
    return { record };
  }
}

/** Braze's X-RateLimit-Reset (epoch seconds) as a wait, for a 429. */
export function brazeRetryAfter(response: HttpResponse): number | undefined {
  const reset = Number(response.headers["x-ratelimit-reset"]);
  if (response.status !== 429 || !Number.isFinite(reset) || reset <= 0) { return undefined; }
  return Math.max(0, reset * 1000 - Date.now());
}

export interface BrazeMappingArgs {
  key: string;
  segment: string;
}

/** Braze's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function brazeMapping(args: BrazeMappingArgs): RowMapping<Attributes> {
  return { prepare: (fields, hidden) => new BrazeMapper(fields, hidden, args.key, args.segment), rawRows: true };
}

export class BrazeDestination implements RowDestination<Attributes> {
  readonly wording: TallyWording;
  readonly batchSize = BATCH;
  readonly concurrency = 4;
  readonly recipe: MappingRecipe;
  private readonly bodies = new RecordBodies();

  constructor(
    private readonly http: HttpClient, private readonly endpoint: string, private readonly apiKey: string,
    private readonly key: string, private readonly segment: string, private readonly logger: Logger,
  ) {
    this.wording = { vendor: "Braze", noun: "user",
      accepted: (n) => `Updated ${n} in Braze and added them to "${segment}" (${EXPORT_ATTRIBUTE})` };
    this.recipe = { module: __filename, factory: "brazeMapping", args: { key, segment } satisfies BrazeMappingArgs };
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<Attributes> {
    return brazeMapping({ key: this.key, segment: this.segment }).prepare(fields, hidden);
  }

  async send(batch: Array<NumberedRecord<Attributes>>): Promise<BatchOutcome> {
    const response = await this.bodies.post(batch, '{"attributes":[', "]}", (body) => this.http.request({
      url: `${this.endpoint}/users/track`, method: "POST",
      headers: { "authorization": `Bearer ${this.apiKey}`, "content-type": "application/json" },
      body, who: "Braze", logger: this.logger, vendorRetryAfter: brazeRetryAfter, maxResponseBytes: 64 * 1024,
      acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
    }));
    let body: { message?: string; errors?: Array<{ type?: string; input_array?: string; index?: number }> } = {};
    try { body = response.json(); } catch { body = {}; }
    if (response.status >= 300) { throw this.refused(response.status, body.message); }
    const rejected: RowRejection[] = [];
    const seen = new Set<number>();
    for (const error of Array.isArray(body.errors) ? body.errors : []) {
      const index = Number(error.index);
      if (error.input_array !== "attributes" || !batch[index] || seen.has(index)) { continue; }
      seen.add(index);
      rejected.push({ row: batch[index].row, reason: String(error.type ?? "rejected").slice(0, 80),
        example: String(batch[index].record[this.key]) });
    }
    return { accepted: batch.length - rejected.length, rejected };
  }

  private refused(status: number, message: string | undefined): UserError {
    const said = message ? `: ${String(message).slice(0, 200)}` : "";
    if (status === 401 || status === 403) {
      return new UserError(`Braze refused the API key (HTTP ${status}${said}). Check the Braze API Key under ` +
        "Admin > Actions > Braze: a REST API key with the users.track permission.");
    }
    if (status === 404) {
      return new UserError(`Braze answered HTTP 404 at ${this.endpoint}/users/track. Check the Braze REST Endpoint ` +
        "under Admin > Actions > Braze: the REST endpoint of your instance, e.g. https://rest.iad-01.braze.com.");
    }
    return new UserError(`Braze refused a batch of users (HTTP ${status}${said}).`);
  }
}
