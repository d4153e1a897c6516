// Rows to a Customer Match list through the shared row pipeline, as Google's offline user data
// jobs work: at the first batch the list is created (or the chosen one used) and a job is created
// with the consent the form gives; batches are added in order (addOperations, partial failures
// counted per row); after the last one the job is run and watched until Google says it finished,
// so the answer is the job's real outcome (and its match rate when Google gives one). A job that
// is still running after GOOGLE_ADS_JOB_WAIT_SECONDS is answered as such, with its name.
import { deliveryMark, withDeliveryMark } from "../../hub/delivery_mark";
import * as crypto from "crypto";
import { GoogleAdsSettings } from "../../config/ads";
import { BatchOutcome, NumberedRecord, RowDestination, RowMapper } from "../../data/rows/row_pipeline";
import type { MappingRecipe } from "../../data/rows/row_mapping";
import { RowRejection, TallyWording } from "../../data/rows/row_tally";
import { RecordBodies } from "../../data/rows/record_bodies";
import { JsonDetailFields } from "../../data/rows/rows";
import { ActionRequest } from "../../hub/action_request";
import { RetryableError, UserError } from "../../lib/errors";
import { audienceWording } from "../../families/ads/identifier_columns";
import { CUSTOMER_MATCH_MAPPING_MODULE, customerMatchMapping, UserData } from "./customer_match_identifiers";
import { adsErrors, codeOf, dashed, GoogleAdsApi } from "./google_ads_api";

/** Operations per addOperations request (Google allows 100,000 identifiers a request, 20 a person). */
export const OPERATIONS_PER_REQUEST = 10_000;

export type Consent = "UNSPECIFIED" | "GRANTED" | "DENIED";

export interface CustomerMatchTarget {
  loginCid: string;
  targetCid: string;
  /** append: the chosen list; create: made from the name and description. */
  userList?: string;
  newListName?: string;
  newListDescription?: string;
  mobileAppId?: string;
  mobile: boolean;
  hash: boolean;
  consentAdUserData: Consent;
  consentAdPersonalization: Consent;
}

type Numbered = NumberedRecord<UserData>;

const MATCH_RATE = /^MATCH_RATE_RANGE_(LESS_THAN_(\d+)|(\d+)_TO_(\d+))$/;

/** "MATCH_RATE_RANGE_51_TO_60" as "51-60%"; undefined when Google does not say. */
export function matchRate(range: unknown): string | undefined {
  const m = MATCH_RATE.exec(String(range ?? ""));
  if (!m) { return undefined; }
  return m[2] ? `under ${m[2]}%` : `${m[3]}-${m[4]}%`;
}

export class CustomerMatchJob implements RowDestination<UserData> {
  readonly batchSize: number;
  readonly concurrency = 1;
  readonly labelRows = true;
  readonly recipe: MappingRecipe;
  private job?: Promise<{ list: string; job: string }>;
  private listName?: string;
  /** addOperations bodies (4-5 MB for 10,000 people) written into memory used again (record_bodies.ts). */
  private readonly bodies = new RecordBodies();

  constructor(private readonly api: GoogleAdsApi, private readonly settings: GoogleAdsSettings,
              private readonly request: ActionRequest, private readonly target: CustomerMatchTarget,
              batchSize = OPERATIONS_PER_REQUEST, private readonly sleep = defaultSleep) {
    this.batchSize = Math.min(batchSize, OPERATIONS_PER_REQUEST);
    this.recipe = { module: CUSTOMER_MATCH_MAPPING_MODULE, factory: "customerMatchMapping",
      args: { mobile: target.mobile, hash: target.hash } };
  }

  get wording(): TallyWording {
    const name = this.listName ?? this.target.newListName;
    return audienceWording("Google Ads", `the Customer Match list${name ? ` "${name}"` : ""} of the account ` +
      dashed(this.target.targetCid));
  }

  prepare(fields: JsonDetailFields, hidden: Set<string>): RowMapper<UserData> {
    return customerMatchMapping({ mobile: this.target.mobile, hash: this.target.hash }).prepare(fields, hidden);
  }

  async send(batch: Numbered[]): Promise<BatchOutcome> {
    const { job } = await this.jobOnce();
    const answer = await this.bodies.post(batch, '{"enablePartialFailure":true,"operations":[', "]}",
      (body) => this.call({ path: `${job}:addOperations`, what: "the upload to the Customer Match job", body }),
      ['{"create":', "}"]);
    const rejected = this.partialFailures(batch, answer?.partialFailureError);
    return { accepted: batch.length - rejected.length, rejected };
  }

  async finish(): Promise<Partial<BatchOutcome> & { note?: string }> {
    if (!this.job) { return {}; }
    const { job } = await this.job;
    await this.call({ path: `${job}:run`, json: {}, what: "the start of the Customer Match job" });
    const started = Date.now();
    for (let look = 0; ; look++) {
      const state = await this.status(job);
      if (state.status === "SUCCESS") {
        const rate = matchRate(state.operationMetadata?.matchRateRange);
        return { note: `Google Ads finished the job${rate ? `: match rate ${rate}` : ""}.` };
      }
      if (state.status === "FAILED") {
        throw new UserError("Google Ads ran the Customer Match job and it failed " +
          `(${state.failureReason ?? "no reason given"}). Nothing was added to the list; check the list and the ` +
          "account's Customer Match eligibility, then send again.");
      }
      if (Date.now() - started >= this.settings.jobWaitMs) {
        return { note: `Google Ads is still processing the job (${state.status ?? "PENDING"}, ${job}) after ` +
          `${Math.round(this.settings.jobWaitMs / 60_000)} minutes; Customer Match can take up to 48 hours.` };
      }
      await this.sleep(Math.min(this.settings.jobPollMs * 2 ** Math.min(look, 3), 60_000));
    }
  }

  private async status(job: string): Promise<any> {
    const rows = await this.request.oauth!.withAccessToken((token) => this.api.search(token, this.target.targetCid,
      "SELECT offline_user_data_job.resource_name, offline_user_data_job.status, " +
      "offline_user_data_job.failure_reason, offline_user_data_job.operation_metadata.match_rate_range " +
      `FROM offline_user_data_job WHERE offline_user_data_job.resource_name = '${job}'`, "the Customer Match job", 1));
    return rows[0]?.offlineUserDataJob ?? {};
  }

  /** Rows Google refused in a batch: the errors name the operation's index. */
  private partialFailures(batch: Numbered[], failure: unknown): RowRejection[] {
    const byIndex = new Map<number, string>();
    for (const error of adsErrors(failure)) {
      const path = (error as any).location?.fieldPathElements;
      const index = Array.isArray(path) ? path.find((p: any) => p?.fieldName === "operations")?.index : undefined;
      if (Number.isInteger(index) && index >= 0 && index < batch.length && !byIndex.has(index)) {
        byIndex.set(index, `refused by Google (${codeOf(error).toLowerCase().replace(/_/g, " ") || "invalid"})`);
      }
    }
    return [...byIndex].map(([index, reason]) => ({ row: batch[index].row, reason }));
  }

  private jobOnce(): Promise<{ list: string; job: string }> {
    this.job = this.job ?? this.createJob();
    return this.job;
  }

  private async createJob(): Promise<{ list: string; job: string }> {
    const t = this.target;
    let list = t.userList;
    const mark = deliveryMark(this.request);
    // A re-sent delivery finds the list it created (its name, its description marked with the delivery).
    const made = !list && mark ? await this.markedList(mark) : undefined;
    if (made) {
      list = made.resourceName;
      this.listName = made.name;
    } else if (!list) {
      const name = `${t.newListName} (from Looker ${new Date().toISOString().replace(/\.\d+Z$/, "Z")})`;
      const created = await this.call({ path: `customers/${t.targetCid}/userLists:mutate`, what: "a new Customer Match list",
        json: { operations: [{ create: { name, description: withDeliveryMark(t.newListDescription ?? "", mark),
          membershipStatus: "OPEN",
          membershipLifeSpan: 540, crmBasedUserList: { uploadKeyType: t.mobile ? "MOBILE_ADVERTISING_ID" : "CONTACT_INFO",
            dataSourceType: "FIRST_PARTY", ...(t.mobile ? { appId: t.mobileAppId } : {}) } } }] } });
      list = created?.results?.[0]?.resourceName;
      this.listName = name;
    }
    if (typeof list !== "string" || !list) {
      throw new RetryableError("Google Ads did not name the list it made; nothing was uploaded. Try again later.");
    }
    const job = await this.call({ path: `customers/${t.targetCid}/offlineUserDataJobs:create`,
      what: "a Customer Match job", json: { job: { type: "CUSTOMER_MATCH_USER_LIST",
        externalId: String(crypto.randomInt(1, 2 ** 47)),
        customerMatchUserListMetadata: { userList: list,
          consent: { adUserData: t.consentAdUserData, adPersonalization: t.consentAdPersonalization } } } } });
    if (typeof job?.resourceName !== "string") {
      throw new RetryableError("Google Ads did not name the job it made; nothing was uploaded. Try again later.");
    }
    return { list, job: job.resourceName };
  }

  /** The list this delivery created, if it was sent before: its name from the form, its description marked. */
  private async markedList(mark: string): Promise<{ resourceName: string; name: string } | undefined> {
    const t = this.target;
    const rows = await this.request.oauth!.withAccessToken((token) => this.api.search(token, t.targetCid,
      "SELECT user_list.resource_name, user_list.name, user_list.description FROM user_list WHERE user_list.type = " +
      `'CRM_BASED' AND user_list.crm_based_user_list.upload_key_type = '${t.mobile ? "MOBILE_ADVERTISING_ID" :
        "CONTACT_INFO"}'`, `the Customer Match lists of ${dashed(t.targetCid)}`));
    const found = rows.map((r) => r?.userList).find((l) => typeof l?.resourceName === "string" &&
      String(l.name ?? "").startsWith(`${t.newListName} (from Looker `) && String(l.description ?? "").includes(mark));
    return found ? { resourceName: found.resourceName, name: String(found.name) } : undefined;
  }

  private call(call: Parameters<GoogleAdsApi["call"]>[1]): Promise<any> {
    return this.request.oauth!.withAccessToken((token) => this.api.call(token, call));
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
