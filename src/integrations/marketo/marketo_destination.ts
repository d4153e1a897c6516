// Rows to Marketo leads through the shared pipeline: fields tagged `marketo:<leadField>` are
// the lead's fields; each batch of 300 is one createOrUpdate (idempotent: the lookup field
// finds the lead again), then the campaign or list step runs for the leads Marketo accepted.
// Marketo answers lead by lead: a skipped lead, or one the list step skipped, is a rejected row.
import { allFields, cellValue, missingTagMessage, tagsOf } from "../../data/rows/detail_fields";
import { BatchOutcome, Mapped, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe, RowMapping } from "../../data/rows/row_mapping";
import { RowRejection, TallyWording } from "../../data/rows/row_tally";
import { RecordBodies } from "../../data/rows/record_bodies";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { MarketoApi, MarketoError } from "./marketo_api";
import { MarketoRawWriter } from "./marketo_raw_writer";

export type Subaction = "addCampaign" | "addList" | "removeList" | "none";
export const SUBACTIONS: readonly Subaction[] = ["addCampaign", "addList", "removeList", "none"];

/** Marketo's limits: leads per createOrUpdate and per list call; leads per campaign trigger. */
const LEADS_PER_CALL = 300;
const LEADS_PER_TRIGGER = 100;
const TAG_PREFIX = "marketo:";

type Lead = Record<string, unknown>;
interface LeadResult { id?: number; status?: string; reasons?: MarketoError[]; }

class LeadMapper implements RowMapper<Lead> {
  private readonly columns: Array<[field: string, leadField: string]> = [];
  /** On a row worker, the rows lying whole in a chunk are written from their bytes. */
  readonly raw?: MarketoRawWriter;

  constructor(fields: JsonDetailFields, hidden: Set<string>, private readonly lookupField: string) {
    for (const field of allFields(fields)) {
      if (hidden.has(field.name)) { continue; }
      for (const tag of tagsOf(field)) {
        if (tag.startsWith(TAG_PREFIX) && tag.length > TAG_PREFIX.length) {
          this.columns.push([field.name, tag.slice(TAG_PREFIX.length)]);
        }
      }
    }
    if (!this.columns.some(([, leadField]) => leadField === lookupField)) {
      throw new UserError(missingTagMessage([`${TAG_PREFIX}${lookupField}`],
        `for the lookup field "${lookupField}" that finds each lead in Marketo`));
    }
    this.raw = MarketoRawWriter.for(this.columns, lookupField);
  }

  map(row: JsonDetailRow): Mapped<Lead> {
    const lead: Lead = {};
    for (const [field, leadField] of this.columns) {
      const value = cellValue(row[field]);
      if (value !== null && value !== undefined && value !== "") {
        lead[leadField] = typeof value === "object" ? JSON.stringify(value) : value;
      }
    }
    if (lead[this.lookupField] === undefined) { return { rejected: `no ${this.lookupField}` }; }
    return { record: lead };
  }
}

/** A lead-level reason, countable: Marketo's message without its trailing dot, and its code. */
function reasonOf(reasons: MarketoError[] | undefined, fallback: string): string {
  const first = reasons?.[0];
  if (!first) { return fallback; }
  return `${String(first.message ?? "").replace(/\.$/, "").toLowerCase().slice(0, 80)} (${first.code})`;
}

/** Marketo's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function marketoMapping(args: { lookupField: string }): RowMapping<Lead> {
  return { prepare: (fields, hidden) => new LeadMapper(fields, hidden, args.lookupField), rawRows: true };
}

export class MarketoDestination implements RowDestination<Lead> {
  readonly wording: TallyWording;
  readonly batchSize = LEADS_PER_CALL;
  readonly concurrency = 4;
  readonly recipe: MappingRecipe;
  private readonly bodies = new RecordBodies();

  constructor(
    private readonly api: MarketoApi, private readonly lookupField: string, private readonly subaction: Subaction,
    private readonly ids: string[],
  ) {
    const which = `${ids.length > 1 ? "s" : ""} ${ids.join(", ")}`;
    const step = subaction === "addCampaign" ? ` and triggered campaign${which} for them`
      : subaction === "addList" ? ` and added them to list${which}`
        : subaction === "removeList" ? ` and removed them from list${which}` : "";
    this.wording = { vendor: "Marketo", noun: "lead", accepted: (n) => `Created or updated ${n} in Marketo${step}` };
    this.recipe = { module: __filename, factory: "marketoMapping", args: { lookupField } };
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<Lead> {
    return marketoMapping({ lookupField: this.lookupField }).prepare(fields, hidden);
  }

  async send(batch: Array<NumberedRecord<Lead>>): Promise<BatchOutcome> {
    // The body JSON.stringify makes of { action, lookupField, input }, the records' JSON as they are.
    const answer = await this.bodies.post(batch,
      `{"action":"createOrUpdate","lookupField":${JSON.stringify(this.lookupField)},"input":[`, "]}",
      (body) => this.api.call<LeadResult>("POST", "leads.json", body));
    const results = answer.result ?? [];
    const rejected: RowRejection[] = [];
    const rowOfLead = new Map<number, number>();
    batch.forEach((numbered, i) => {
      const result = results[i];
      if (result && (result.status === "created" || result.status === "updated") && result.id !== undefined) {
        rowOfLead.set(result.id, numbered.row);
      } else {
        // The record is read only for a rejected lead (a row worker's record is parsed again to be read).
        const example = String(numbered.record[this.lookupField]);
        rejected.push({ row: numbered.row, reason: reasonOf(result?.reasons, "not created or updated"), example });
      }
    });
    for (const id of this.ids) {
      for (const miss of await this.membership(id, [...rowOfLead.keys()])) {
        const row = rowOfLead.get(miss.lead);
        if (row !== undefined && rowOfLead.delete(miss.lead)) {
          rejected.push({ row, reason: miss.reason, example: String(miss.lead) });
        }
      }
    }
    return { accepted: rowOfLead.size, rejected };
  }

  /** The campaign or list step for `leads`; answers the leads it skipped. */
  private async membership(id: string, leads: number[]): Promise<Array<{ lead: number; reason: string }>> {
    const misses: Array<{ lead: number; reason: string }> = [];
    if (this.subaction === "none" || leads.length === 0) { return misses; }
    if (this.subaction === "addCampaign") {
      for (let i = 0; i < leads.length; i += LEADS_PER_TRIGGER) {
        const chunk = leads.slice(i, i + LEADS_PER_TRIGGER).map((lead) => ({ id: lead }));
        await this.api.call("POST", `campaigns/${id}/trigger.json`, { input: { leads: chunk } });
      }
      return misses;
    }
    const method = this.subaction === "addList" ? "POST" : "DELETE";
    const answer = await this.api.call<LeadResult>(method, `lists/${id}/leads.json`,
      { input: leads.map((lead) => ({ id: lead })) });
    for (const result of answer.result ?? []) {
      // Removing a lead that is not in the list leaves it as asked: not a rejection.
      const notInList = this.subaction === "removeList" && result.reasons?.some((r) => String(r.code) === "1015");
      if (result.status === "skipped" && result.id !== undefined && !notInList) {
        const verb = this.subaction === "addList" ? "not added to" : "not removed from";
        misses.push({ lead: result.id, reason: `${verb} list ${id}: ${reasonOf(result.reasons, "skipped")}` });
      }
    }
    return misses;
  }
}
