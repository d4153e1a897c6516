// The Google Ads API (REST) on 127.0.0.1, with Google's tokens from FakeOAuthServer: the
// accounts a login reaches (listAccessibleCustomers, and googleAds:search over customer,
// customer_client, user_list and offline_user_data_job), user list creation, and offline user
// data jobs: create (with consent), addOperations (partial failures name the operation's index:
// unhashed values, incomplete addresses), run, then PENDING/RUNNING for `pollsUntilDone` looks
// and the outcome set here. Every call checks the developer token, the Bearer token and that
// login-customer-id may reach the account. It refuses when told to: a permission, the Customer
// Match terms (policy), an unapproved developer token.
import * as http from "http";
import { FakeOAuthServer } from "./oauth_server";
import { LoopbackServer } from "./loopback_server";

export const DEVELOPER_TOKEN = "dev-token-abc";

interface Customer { id: string; name: string; manager: boolean; clients: string[]; }

export interface FakeUserList {
  resourceName: string;
  name: string;
  description?: string;
  uploadKeyType: string;
  appId?: string;
  membershipLifeSpan?: number;
  members: number;
}

export interface FakeJob {
  resourceName: string;
  customer: string;
  userList: string;
  consent: Record<string, string>;
  /** Each addOperations request's operations (when `keepOperations`). */
  requests: unknown[][];
  /** addOperations requests taken. */
  adds: number;
  operations: number;
  status: "PENDING" | "RUNNING" | "SUCCESS" | "FAILED";
  looks: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

export class FakeGoogleAds extends LoopbackServer {
  version = "v22";
  keepOperations = true;
  customers = new Map<string, Customer>([
    ["1111111111", { id: "1111111111", name: "Acme Manager", manager: true, clients: ["2222222222", "4444444444"] }],
    ["2222222222", { id: "2222222222", name: "Acme Shop", manager: false, clients: [] }],
    ["3333333333", { id: "3333333333", name: "Solo Store", manager: false, clients: [] }],
    ["4444444444", { id: "4444444444", name: "Acme Outlet", manager: false, clients: [] }],
  ]);
  accessible = ["1111111111", "3333333333", "9999999999"];
  readonly lists = new Map<string, FakeUserList>();
  readonly jobs = new Map<string, FakeJob>();
  readonly headers: http.IncomingHttpHeaders[] = [];
  /** Looks at a running job before it is done. */
  pollsUntilDone = 2;
  outcome: { status: "SUCCESS" | "FAILED"; failureReason?: string; matchRateRange?: string } =
    { status: "SUCCESS", matchRateRange: "MATCH_RATE_RANGE_51_TO_60" };
  readonly forbidden = new Set<string>();
  readonly termsNotAccepted = new Set<string>();
  developerTokenApproved = true;
  /** Hashed emails Google refuses (a partial failure at that operation). */
  readonly refusedEmails = new Set<string>();
  private counter = 0;

  constructor(private readonly oauth: FakeOAuthServer) { super(); }

  list(customer: string, name: string, uploadKeyType = "CONTACT_INFO"): FakeUserList {
    const list = { resourceName: `customers/${customer}/userLists/${++this.counter + 8000}`, name, uploadKeyType,
      members: 0 };
    this.lists.set(list.resourceName, list);
    return list;
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const reply = (status: number, answer: unknown) =>
        void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer));
      this.headers.push(req.headers);
      const url = new URL(req.url ?? "/", this.url);
      const prefix = `/${this.version}/`;
      if (!url.pathname.startsWith(prefix)) { return reply(404, failure(404, "NOT_FOUND", {}, "Unknown version")); }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (!this.oauth.isValid(bearer)) {
        return reply(401, failure(401, "UNAUTHENTICATED", { authenticationError: "OAUTH_TOKEN_INVALID" },
          "Request had invalid authentication credentials."));
      }
      if (req.headers["developer-token"] !== DEVELOPER_TOKEN || !this.developerTokenApproved) {
        return reply(403, failure(403, "PERMISSION_DENIED", { authorizationError: "DEVELOPER_TOKEN_NOT_APPROVED" },
          "The developer token is not approved."));
      }
      let body: any = {};
      try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {}; } catch {
        return reply(400, failure(400, "INVALID_ARGUMENT", { requestError: "INVALID_INPUT" }, "Invalid JSON."));
      }
      const path = url.pathname.slice(prefix.length);
      if (req.method === "GET" && path === "customers:listAccessibleCustomers") {
        return reply(200, { resourceNames: this.accessible.map((id) => `customers/${id}`) });
      }
      const m = /^customers\/(\d+)\/(.+)$/.exec(path);
      if (!m || req.method !== "POST") { return reply(404, failure(404, "NOT_FOUND", {}, "Unknown method")); }
      const [, customer, rest] = m;
      const denied = this.access(customer, String(req.headers["login-customer-id"] ?? ""));
      if (denied) { return reply(403, denied); }
      reply(...this.route(customer, rest, body));
    });
  }

  /** Whether login-customer-id may act on `customer`: itself or, for a manager, its clients. */
  private access(customer: string, login: string): unknown {
    const manager = this.customers.get(login);
    const reachable = this.customers.has(customer) && this.accessible.includes(login) &&
      (login === customer || !!manager?.manager && manager.clients.includes(customer));
    if (!reachable || this.forbidden.has(customer)) {
      return failure(403, "PERMISSION_DENIED", { authorizationError: "USER_PERMISSION_DENIED" },
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's " +
        "customer id must be set in the 'login-customer-id' header.");
    }
    return undefined;
  }

  private route(customer: string, rest: string, body: any): [number, unknown] {
    if (rest === "googleAds:search") { return this.search(customer, String(body.query ?? "")); }
    if (rest === "userLists:mutate") {
      const create = body.operations?.[0]?.create;
      const crm = create?.crmBasedUserList;
      if (!create?.name || !crm?.uploadKeyType || crm.dataSourceType !== "FIRST_PARTY") {
        return [400, failure(400, "INVALID_ARGUMENT", { fieldError: "REQUIRED" }, "A required field is missing.")];
      }
      const list = this.list(customer, create.name, crm.uploadKeyType);
      Object.assign(list, { description: create.description, appId: crm.appId,
        membershipLifeSpan: create.membershipLifeSpan });
      return [200, { results: [{ resourceName: list.resourceName }] }];
    }
    if (rest === "offlineUserDataJobs:create") {
      if (this.termsNotAccepted.has(customer)) {
        return [400, failure(400, "INVALID_ARGUMENT",
          { offlineUserDataJobError: "CUSTOMER_NOT_ACCEPTED_CUSTOMER_DATA_TERMS" },
          "The customer has not accepted the customer data terms in the conversion settings page.")];
      }
      const meta = body.job?.customerMatchUserListMetadata;
      if (body.job?.type !== "CUSTOMER_MATCH_USER_LIST" || !this.lists.has(meta?.userList)) {
        return [400, failure(400, "INVALID_ARGUMENT", { offlineUserDataJobError: "INVALID_USER_LIST_ID" },
          "The user list is not valid.")];
      }
      const job: FakeJob = { resourceName: `customers/${customer}/offlineUserDataJobs/${++this.counter + 70000}`,
        customer, userList: meta.userList, consent: meta.consent ?? {}, requests: [], adds: 0, operations: 0, status: "PENDING",
        looks: 0 };
      this.jobs.set(job.resourceName, job);
      return [200, { resourceName: job.resourceName }];
    }
    const jobCall = /^(offlineUserDataJobs\/\d+):(addOperations|run)$/.exec(rest);
    const known = jobCall && this.jobs.get(`customers/${customer}/${jobCall[1]}`);
    if (!jobCall || !known) { return [404, failure(404, "NOT_FOUND", {}, "Unknown job")]; }
    if (jobCall[2] === "run") {
      if (known.status !== "PENDING") {
        return [400, failure(400, "FAILED_PRECONDITION", { offlineUserDataJobError: "INVALID_JOB_STATUS" }, "Ran.")];
      }
      known.status = "RUNNING";
      return [200, { name: `customers/${customer}/operations/${known.resourceName.split("/").pop()}` }];
    }
    return this.addOperations(known, body);
  }

  private addOperations(job: FakeJob, body: any): [number, unknown] {
    if (job.status !== "PENDING") {
      return [400, failure(400, "FAILED_PRECONDITION", { offlineUserDataJobError: "INVALID_JOB_STATUS" }, "Running.")];
    }
    const operations = Array.isArray(body.operations) ? body.operations : [];
    const identifiers = operations.reduce((n: number, op: any) => n + (op?.create?.userIdentifiers?.length ?? 0), 0);
    if (identifiers > 100_000) {
      return [400, failure(400, "INVALID_ARGUMENT", { offlineUserDataJobError: "TOO_MANY_USER_IDENTIFIERS" }, "Too many.")];
    }
    const errors: unknown[] = [];
    operations.forEach((op: any, index: number) => {
      const problem = invalidUserData(op?.create?.userIdentifiers) ?? (op.create.userIdentifiers
        .some((id: any) => this.refusedEmails.has(id.hashedEmail)) ? "INVALID_USER_IDENTIFIER" : undefined);
      if (problem) {
        errors.push({ errorCode: { offlineUserDataJobError: problem }, message: problem,
          location: { fieldPathElements: [{ fieldName: "operations", index }, { fieldName: "create" }] } });
      }
    });
    if (errors.length && !body.enablePartialFailure) {
      return [400, { error: { code: 400, status: "INVALID_ARGUMENT", details: [googleAdsFailure(errors)] } }];
    }
    if (this.keepOperations) { job.requests.push(operations); }
    job.adds++;
    job.operations += operations.length - errors.length;
    const list = this.lists.get(job.userList);
    if (list) { list.members += operations.length - errors.length; }
    return [200, errors.length ? { partialFailureError: { code: 3, message: "Some operations failed.",
      details: [googleAdsFailure(errors)] } } : {}];
  }

  private search(customer: string, query: string): [number, unknown] {
    const from = /\bFROM\s+(\w+)/i.exec(query)?.[1];
    const self = this.customers.get(customer)!;
    if (from === "customer") {
      return [200, { results: [{ customer: { resourceName: `customers/${customer}`, id: customer,
        descriptiveName: self.name, manager: self.manager } }] }];
    }
    if (from === "customer_client") {
      return [200, { results: [self, ...self.clients.map((c) => this.customers.get(c)!)].map((c) => ({
        customerClient: { id: c.id, descriptiveName: c.name, manager: c.manager } })) }];
    }
    if (from === "user_list") {
      const keyType = /upload_key_type = '(\w+)'/.exec(query)?.[1];
      const lists = [...this.lists.values()].filter((l) => l.resourceName.startsWith(`customers/${customer}/`) &&
        (!keyType || l.uploadKeyType === keyType));
      const described = /user_list\.description\b[^]*\bFROM\b/i.test(query);
      return [200, { results: lists.map((l) => ({ userList: { resourceName: l.resourceName, name: l.name,
        ...(described ? { description: l.description ?? "" } : {}) } })) }];
    }
    if (from === "offline_user_data_job") {
      const name = /resource_name = '([^']+)'/.exec(query)?.[1];
      const job = name ? this.jobs.get(name) : undefined;
      if (!job) { return [200, { results: [] }]; }
      if (job.status === "RUNNING" && ++job.looks >= this.pollsUntilDone) { job.status = this.outcome.status; }
      const done = job.status === "SUCCESS" || job.status === "FAILED";
      return [200, { results: [{ offlineUserDataJob: { resourceName: job.resourceName, status: job.status,
        ...(done && this.outcome.failureReason ? { failureReason: this.outcome.failureReason } : {}),
        ...(done && this.outcome.matchRateRange ? { operationMetadata: { matchRateRange: this.outcome.matchRateRange } }
          : {}) } }] }];
    }
    return [400, failure(400, "INVALID_ARGUMENT", { queryError: "PROHIBITED_RESOURCE_TYPE_IN_FROM_CLAUSE" }, query)];
  }
}

/** Why Google would refuse one person's identifiers, or undefined. */
function invalidUserData(ids: unknown): string | undefined {
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 20) { return "TOO_MANY_USER_IDENTIFIERS"; }
  for (const id of ids as any[]) {
    for (const key of ["hashedEmail", "hashedPhoneNumber"]) {
      if (key in id && !HEX64.test(id[key])) { return "INVALID_SHA256_FORMAT"; }
    }
    if ("addressInfo" in id) {
      const a = id.addressInfo;
      if (!HEX64.test(a.hashedFirstName ?? "") || !HEX64.test(a.hashedLastName ?? "")) {
        return "INVALID_SHA256_FORMAT";
      }
      if (!/^[A-Z]{2}$/.test(a.countryCode ?? "") || !a.postalCode) { return "INCOMPATIBLE_UPLOAD_KEY_TYPE"; }
    }
  }
  return undefined;
}

function googleAdsFailure(errors: unknown[]) {
  return { "@type": "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure", errors,
    requestId: "req-123" };
}

function failure(code: number, status: string, errorCode: Record<string, string>, message: string) {
  return { error: { code, message: code === 401 ? message : "Request contains an invalid argument.", status,
    details: Object.keys(errorCode).length ? [googleAdsFailure([{ errorCode, message }])] : [] } };
}
