// Rows to HubSpot's CRM v3 batch update (`POST /crm/v3/objects/<type>/batch/update`, up to
// 100 inputs a request), through the shared pipeline. A 207 names the records HubSpot could
// not update; a 400 about one value fails the whole batch at HubSpot, so the batch is split in
// halves until the rows at fault are found and only they are rejected. Updates are idempotent
// (the same values set twice), so a retried batch does no harm.
import { NumberedRecord, BatchOutcome, RowDestination } from "../../data/rows/row_pipeline";
import type { MappingRecipe, RowMapping } from "../../data/rows/row_mapping";
import { RowRejection, TallyWording } from "../../data/rows/row_tally";
import { RecordBodies } from "../../data/rows/record_bodies";
import { JsonDetailFields } from "../../data/rows/rows";
import { RetryableError, UserError } from "../../lib/errors";
import { HttpClient, HttpResponse } from "../../lib/http_client";
import { HttpUnavailableError } from "../../lib/http_errors";
import { Logger } from "../../lib/logger";
import { HubspotProblem, hubspotRetryAfter, isRequestProblem, problemsOf, reasonOf } from "./hubspot_errors";
import {
  HUBSPOT_MAPPING_MODULE, HubspotInput, HubspotMapper, hubspotMapping, HubspotMappingArgs,
} from "./hubspot_mapping";

/** HubSpot's limit of inputs per batch request. */
export const HUBSPOT_MAX_BATCH = 100;

export interface HubspotObjectKind {
  /** The CRM object type in the URL. */
  type: "contacts" | "companies";
  noun: string;
  plural: string;
  idTag: string;
  /** The label of the integration, naming its settings in messages. */
  label: string;
}

type Numbered = NumberedRecord<HubspotInput>;

/** The statuses of a batch HubSpot took whole (and of a token's read that worked): their answer is not read. */
function isDone(status: number): boolean {
  return status === 200 || status === 201 || status === 204;
}

export class HubspotDestination implements RowDestination<HubspotInput> {
  readonly wording: TallyWording;
  readonly concurrency = 4;
  readonly recipe: MappingRecipe;
  private readonly mapping: RowMapping<HubspotInput>;
  private mapper?: HubspotMapper;
  private readonly bodies = new RecordBodies();

  constructor(
    private readonly http: HttpClient, private readonly apiUrl: string, private readonly token: string,
    private readonly kind: HubspotObjectKind, readonly batchSize: number, private readonly logger: Logger,
  ) {
    this.wording = { vendor: "HubSpot", noun: kind.noun, plural: kind.plural,
      accepted: (n) => `Updated ${n} in HubSpot` };
    const args: HubspotMappingArgs = { idTag: kind.idTag, objectNoun: kind.noun };
    this.mapping = hubspotMapping(args);
    this.recipe = { module: HUBSPOT_MAPPING_MODULE, factory: "hubspotMapping", args };
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): HubspotMapper {
    this.mapper = this.mapping.prepare(fields, hidden) as HubspotMapper;
    return this.mapper;
  }

  async send(batch: Numbered[]): Promise<BatchOutcome> {
    const response = await this.post(batch);
    if (isDone(response.status)) {
      return { accepted: batch.length, rejected: [] };
    }
    const problems = this.problems(response);
    if (response.status === 401 || response.status === 403) { throw this.refused(response.status, problems); }
    const fatal = problems.find(isRequestProblem);
    if (fatal) { throw this.requestProblem(fatal); }
    if (response.status === 207) { return this.multiStatus(batch, problems); }
    if (response.status >= 400 && response.status < 500 && problems.length > 0) {
      return this.isolate(batch, problems);
    }
    const said = problems[0]?.message ? `: ${problems[0].message.slice(0, 200)}` : "";
    throw new UserError(`HubSpot refused a batch of ${this.kind.plural} (HTTP ${response.status}${said}).`);
  }

  private post(batch: Numbered[]): Promise<HttpResponse> {
    const url = `${this.apiUrl}/crm/v3/objects/${this.kind.type}/batch/update`;
    return this.bodies.post(batch, '{"inputs":[', "]}", (body) => this.call(url, "POST", body));
  }

  /**
   * The access token tried with HubSpot's read of one record (`GET /crm/v3/objects/<type>?limit=1`),
   * which changes nothing: a token HubSpot refuses (401) fails with HubSpot's reason. A 403 means
   * HubSpot knew the token but its private app may not read these records: the token is real, its
   * write scope unproven, and the answer says so rather than failing a token that may well write.
   */
  async tryToken(): Promise<string> {
    const response = await this.call(`${this.apiUrl}/crm/v3/objects/${this.kind.type}?limit=1`, "GET");
    if (response.status === 200) { return `HubSpot took the access token (a read of one ${this.kind.noun})`; }
    const problems = this.problems(response);
    if (response.status === 401) { throw this.refused(401, problems); }
    if (response.status === 403) {
      return `HubSpot knew the access token, but its private app may not read ${this.kind.plural} (HTTP 403, no ` +
        `crm.objects.${this.kind.type}.read scope), so whether it may write them is not proven`;
    }
    const said = problems[0]?.message ? `: ${problems[0].message.slice(0, 200)}` : "";
    throw new UserError(`HubSpot refused a read of one ${this.kind.noun} with the access token (HTTP ` +
      `${response.status}${said}).`);
  }

  private async call(url: string | URL, method: "GET" | "POST", body?: string | Buffer): Promise<HttpResponse> {
    try {
      return await this.http.request({
        url,
        method,
        headers: { "authorization": `Bearer ${this.token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body,
        trusted: true,
        who: "HubSpot",
        logger: this.logger,
        acceptStatus: (s) => s < 500 && s !== 429 && s !== 408,
        // A batch's 200 lists every record again (25 KB or more a request), and nothing reads it.
        unreadBody: isDone,
        vendorRetryAfter: hubspotRetryAfter,
        maxResponseBytes: 256 * 1024,
      });
    } catch (err) {
      if (err instanceof HttpUnavailableError && err.failure.status === 429) {
        throw new RetryableError("HubSpot's API limit for this private app is used up (HTTP 429 after " +
          `${err.failure.attempts} attempt${err.failure.attempts === 1 ? "" : "s"}). Send the rest later, ` +
          "or schedule the delivery at a quieter time.");
      }
      throw err;
    }
  }

  private problems(response: HttpResponse): HubspotProblem[] {
    let body: unknown;
    try { body = response.json(); } catch { body = undefined; }
    return problemsOf(body as Parameters<typeof problemsOf>[0]);
  }

  /** 207: some records failed; HubSpot lists their ids. */
  private multiStatus(batch: Numbered[], problems: HubspotProblem[]): BatchOutcome {
    const reasonById = new Map<string, string>();
    for (const problem of problems) {
      for (const id of problem.ids) { reasonById.set(id, reasonOf(problem)); }
    }
    const rejected: RowRejection[] = [];
    for (const { row, record } of batch) {
      const reason = reasonById.get(record.id);
      if (reason) { rejected.push({ row, reason, example: record.id }); }
    }
    if (rejected.length === 0 && problems.length > 0) {
      // Errors that name no id: nothing tells which rows they are about, so none is counted accepted.
      return { accepted: 0, rejected: batch.map(({ row }) => ({ row, reason: reasonOf(problems[0]) })) };
    }
    return { accepted: batch.length - rejected.length, rejected };
  }

  /** A 400 about values: reject the row when it is alone, else send each half again. */
  private async isolate(batch: Numbered[], problems: HubspotProblem[]): Promise<BatchOutcome> {
    if (batch.length === 1) {
      const { row, record } = batch[0];
      const problem = problems[0];
      const example = problem.code === "OBJECT_NOT_FOUND" ? record.id
        : problem.property !== undefined ? record.properties[problem.property] : undefined;
      return { accepted: 0, rejected: [{ row, reason: reasonOf(problem), example }] };
    }
    const middle = Math.ceil(batch.length / 2);
    const first = await this.send(batch.slice(0, middle));
    const second = await this.send(batch.slice(middle));
    return { accepted: first.accepted + second.accepted, rejected: [...first.rejected, ...second.rejected] };
  }

  private refused(status: number, problems: HubspotProblem[]): UserError {
    const said = problems[0]?.message ? `: ${problems[0].message.slice(0, 200)}` : "";
    if (status === 403) {
      return new UserError(`HubSpot refused the update (HTTP 403${said}). The private app behind the access token ` +
        `needs the crm.objects.${this.kind.type}.write scope (HubSpot: Settings > Integrations > Private Apps).`);
    }
    return new UserError(`HubSpot refused the access token (HTTP 401${said}). Check the HubSpot Access Token under ` +
      `Admin > Actions > ${this.kind.label}: it must be the access token of a HubSpot private app.`);
  }

  private requestProblem(problem: HubspotProblem): UserError {
    const field = problem.property ? this.mapper?.fieldOfProperty.get(problem.property) : undefined;
    if (/PROPERTY_DOESNT_EXIST/.test(problem.code) && problem.property) {
      return new UserError(`HubSpot has no ${this.kind.noun} property "${problem.property}"` +
        `${field ? ` (from the field ${field})` : ""}. Create the property in HubSpot (Settings > Properties), ` +
        "or hide the field in the visualization so it is not sent.");
    }
    return new UserError(`HubSpot refused every ${this.kind.noun} of a batch: ${problem.message.slice(0, 200)} ` +
      `(${problem.code}).`);
  }
}
