// Rows to mParticle's bulk endpoint (`POST /s2s/v2/bulkevents`, a JSON array of up to 100
// batches), HTTP Basic apiKey:apiSecret. mParticle takes or refuses a request whole (202, or
// an error), so rows are rejected only by the mapping; each batch carries a source_request_id
// made from the Looker webhook id and the row, so a retried request is not counted twice.
import { BatchOutcome, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe, RowMapping } from "../../data/rows/row_mapping";
import { RecordBodies } from "../../data/rows/record_bodies";
import { TallyWording } from "../../data/rows/row_tally";
import { JsonDetailFields } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { HttpStatusError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import {
  DataType, MPARTICLE_MAPPING_MODULE, MparticleBatch, mparticleMapping, MparticleMappingArgs,
} from "./mparticle_mapping";

const BATCHES_PER_REQUEST = 100;

export class MparticleDestination implements RowDestination<MparticleBatch> {
  readonly wording: TallyWording;
  readonly batchSize = BATCHES_PER_REQUEST;
  readonly concurrency = 4;
  private readonly authorization: string;
  readonly recipe: MappingRecipe;
  private readonly mapping: RowMapping<MparticleBatch>;
  private readonly bodies = new RecordBodies();

  constructor(
    private readonly http: HttpClient, private readonly apiUrl: string, apiKey: string, apiSecret: string,
    dataType: DataType, environment: string, requestIdPrefix: string, private readonly logger: Logger,
  ) {
    this.authorization = `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString("base64")}`;
    const what = dataType === "user_data" ? "user" : "event";
    this.wording = { vendor: "mParticle", noun: what,
      accepted: (n) => `Sent ${n} to mParticle (${environment})` };
    const args: MparticleMappingArgs = { dataType, environment, requestIdPrefix };
    this.mapping = mparticleMapping(args);
    this.recipe = { module: MPARTICLE_MAPPING_MODULE, factory: "mparticleMapping", args };
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<MparticleBatch> {
    return this.mapping.prepare(fields, hidden);
  }

  async send(batch: Array<NumberedRecord<MparticleBatch>>): Promise<BatchOutcome> {
    const url = `${this.apiUrl}/s2s/v2/bulkevents`;
    try {
      await this.bodies.post(batch, "[", "]", (body) => this.http.request({
        url, method: "POST",
        headers: { "authorization": this.authorization, "content-type": "application/json" },
        body, trusted: true, who: "mParticle", logger: this.logger, maxResponseBytes: 64 * 1024,
      }));
    } catch (err) {
      const status = err instanceof HttpStatusError ? err.failure.status : undefined;
      if (status === 401 || status === 403) {
        throw new UserError(`mParticle refused the API key and secret (HTTP ${status}). Check them under Admin > ` +
          "Actions > mParticle: the key and secret of a server-to-server input feed.");
      }
      throw err;
    }
    return { accepted: batch.length, rejected: [] };
  }
}
