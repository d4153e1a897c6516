// Rows to a Facebook Custom Audience through the shared row pipeline: one upload session
// (`session_id`) of batches of at most 10,000 people, numbered by `batch_seq`, the last one sent
// with `last_batch_flag` so that a replace (`usersreplace`) swaps the whole audience at once. To
// know which batch is last, the row pipeline sends a full batch only once the next person has
// arrived (`marksLastBatch`). The audience is created (or checked) at the first upload, after
// the columns were found.
import * as crypto from "crypto";
import { BatchOutcome, Mapped, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe, RowMapping } from "../../data/rows/row_mapping";
import { countOf, TallyWording } from "../../data/rows/row_tally";
import { RecordBodies } from "../../data/rows/record_bodies";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { ActionRequest } from "../../hub/action_request";
import { RetryableError } from "../../lib/errors";
import { audienceWording, IdentifierReader } from "../../families/ads/identifier_columns";
import { FACEBOOK_RULES, FacebookKey } from "./facebook_identifiers";
import { GraphApi, pages } from "./graph_api";
import { deliveryMark, withDeliveryMark } from "../../hub/delivery_mark";

/** Facebook's limit of people per request. */
export const FACEBOOK_MAX_BATCH = 10_000;

export type AudienceOperation = "create_audience" | "update_audience" | "replace_audience";

export interface AudienceTarget {
  adAccountId: string;
  operation: AudienceOperation;
  /** update and replace: the audience chosen in the form. */
  audienceId?: string;
  /** create: the new audience's name and description. */
  name?: string;
  description?: string;
  hash: boolean;
}

type Numbered = NumberedRecord<string[]>;

/** The columns found in the fields (Facebook's schema) and each row as its values in that order. */
function audienceMapper(fields: JsonDetailFields, hidden: Set<string>, hash: boolean):
  { schema: FacebookKey[]; mapper: RowMapper<string[]> } {
  const reader = new IdentifierReader(fields, hidden, FACEBOOK_RULES, "Facebook", hash);
  const schema = reader.keys();
  return {
    schema,
    mapper: {
      map: (row: JsonDetailRow): Mapped<string[]> => {
        const read = reader.read(row);
        if ("rejected" in read) { return { rejected: read.rejected }; }
        return { record: schema.map((key) => read.values.get(key) ?? "") };
      },
    },
  };
}

/** Facebook's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function facebookMapping(args: { hash: boolean }): RowMapping<string[]> {
  return { prepare: (fields, hidden) => audienceMapper(fields, hidden, args.hash).mapper };
}

export class AudienceSession implements RowDestination<string[]> {
  readonly batchSize: number;
  readonly concurrency = 1;
  readonly marksLastBatch = true;
  readonly sessionId = crypto.randomInt(1, 2 ** 47);
  private schema: FacebookKey[] = [];
  private batches = 0;
  private invalidEntries = 0;
  private audience?: Promise<{ id: string; name: string }>;
  private audienceName?: string;
  /** Upload bodies (about 4 MB for 10,000 people) written into memory used again (record_bodies.ts). */
  private readonly bodies = new RecordBodies();
  readonly recipe: MappingRecipe;

  constructor(private readonly graph: GraphApi, private readonly request: ActionRequest,
              private readonly target: AudienceTarget, batchSize = FACEBOOK_MAX_BATCH) {
    this.batchSize = Math.min(batchSize, FACEBOOK_MAX_BATCH);
    this.recipe = { module: __filename, factory: "facebookMapping", args: { hash: target.hash } };
  }

  get wording(): TallyWording {
    const name = this.audienceName ?? this.target.name;
    return audienceWording("Facebook", `the Facebook audience${name ? ` "${name}"` : ""}`);
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<string[]> {
    const { schema, mapper } = audienceMapper(fields, hidden, this.target.hash);
    this.schema = schema;
    return mapper;
  }

  send(batch: Numbered[], last: boolean): Promise<BatchOutcome> {
    return this.upload(batch, last);
  }

  async finish(): Promise<Partial<BatchOutcome> & { note?: string }> {
    if (!this.batches) { return {}; }
    const invalid = this.invalidEntries
      ? ` Facebook found invalid entries in ${countOf(this.invalidEntries, "row")} (it matches the rest of each row).`
      : "";
    const replaced = this.target.operation === "replace_audience" ? " They replace everyone the audience had." : "";
    return { note: `${countOf(this.batches, "batch", "batches")} in one session.${replaced}${invalid} ` +
      "Facebook takes up to 24 hours to match them." };
  }

  private async upload(batch: Numbered[], last: boolean): Promise<BatchOutcome> {
    const audience = await this.audienceOnce();
    this.batches++;
    const replace = this.target.operation === "replace_audience";
    // What JSON.stringify made of { session, payload: { schema, data } }, the records as they were serialised.
    const head = `{"session":${JSON.stringify({ session_id: this.sessionId, batch_seq: this.batches,
      last_batch_flag: last })},"payload":{"schema":${JSON.stringify(this.schema)},"data":[`;
    const answer = await this.bodies.post(batch, head, "]}}", (body) =>
      this.request.oauth!.withAccessToken((token) => this.graph.call(token, {
        method: "POST", path: `${audience.id}/${replace ? "usersreplace" : "users"}`,
        what: `the upload to the audience "${audience.name}"`, body,
      })));
    const invalid = Number(answer?.num_invalid_entries);
    if (Number.isFinite(invalid) && invalid > 0) { this.invalidEntries += invalid; }
    return { accepted: batch.length, rejected: [] };
  }

  private audienceOnce(): Promise<{ id: string; name: string }> {
    this.audience = this.audience ?? this.findOrCreate().then((found) => {
      this.audienceName = found.name;
      return found;
    });
    return this.audience;
  }

  private async findOrCreate(): Promise<{ id: string; name: string }> {
    const { adAccountId, audienceId, name, description } = this.target;
    return this.request.oauth!.withAccessToken(async (token) => {
      if (this.target.operation === "create_audience") {
        // A re-sent delivery finds the audience it created: of this name, its description marked with the delivery.
        const mark = deliveryMark(this.request);
        if (mark) {
          const audiences = await pages(this.graph, token, `act_${adAccountId}/customaudiences`, "name,description",
            `the audiences of the ad account ${adAccountId}`);
          const made = audiences.find((a) => a?.name === name && String(a?.description ?? "").includes(mark));
          if (made && /^\d+$/.test(String(made.id))) { return { id: String(made.id), name: name! }; }
        }
        const created = await this.graph.call(token, { method: "POST", path: `act_${adAccountId}/customaudiences`,
          what: `a new audience in the ad account ${adAccountId}`,
          json: { name, description: withDeliveryMark(description ?? "", mark), customer_file_source: "USER_PROVIDED_ONLY",
            subtype: "CUSTOM" } });
        if (!/^\d+$/.test(String(created?.id ?? ""))) {
          throw new RetryableError("Facebook did not say which audience it created (no id in its answer). " +
            "Nothing was uploaded; try again later.");
        }
        return { id: String(created.id), name: name! };
      }
      const found = await this.graph.call(token, { path: audienceId!, query: { fields: "name,subtype" },
        what: `the audience ${audienceId}` });
      return { id: String(found.id ?? audienceId), name: String(found.name ?? audienceId) };
    });
  }
}
