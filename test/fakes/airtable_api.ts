// Airtable on 127.0.0.1: its OAuth endpoints under /oauth2/v1 (the fake OAuth server's consent
// page and grants, PKCE and HTTP Basic client authentication, refresh tokens that rotate), the
// metadata API (bases, paged; tables with their fields) and record creation as Airtable answers
// it: at most 10 records, a field the table lacks or a value that does not fit refusing the whole
// request (422), 401 for an access token it no longer takes, 429 when a test scripts it.
import * as http from "http";
import { ApiAnswer, ApiRequest, FakeOAuthServer } from "./oauth_server";

export interface FakeTable { id: string; name: string; fields: Array<{ id: string; name: string; type: string }>; }

export const BASE_ID = "appAAAAAAAAAAAAA1";
export const OTHER_BASE_ID = "appBBBBBBBBBBBBB2";

/** A table whose fields are `names` (single line text), plus those given with a type. */
export function table(id: string, name: string, names: string[], typed: Record<string, string> = {}): FakeTable {
  const all = [...names.map((n) => [n, "singleLineText"]), ...Object.entries(typed)];
  return { id, name, fields: all.map(([n, type], i) => ({ id: `fld${String(i).padStart(14, "0")}`, name: n, type })) };
}

export class FakeAirtable extends FakeOAuthServer {
  bases = [{ id: BASE_ID, name: "Marketing" }, { id: OTHER_BASE_ID, name: "Sales" }];
  tables = new Map<string, FakeTable[]>([
    [BASE_ID, [table("tblContacts0000001", "Contacts", ["Email", "Name", "Score"], { Number: "number",
      Created: "createdTime" })]],
    [OTHER_BASE_ID, [table("tblDeals000000001", "Deals", ["Deal"])]],
  ]);
  /** Records created, by table id. */
  readonly created = new Map<string, Array<Record<string, unknown>>>();
  /** Values that a field refuses ("Field \"X\" cannot accept the provided value"). */
  refuse = new Set<string>();
  /** The next create requests answered 429, with these headers. */
  rateLimited: Array<Record<string, string>> = [];
  /** After this many create requests the access tokens expire (refresh tokens still work). */
  expireTokensAfterCreates = Infinity;
  private creates = 0;
  private recordCount = 0;

  constructor() {
    super();
    this.rotateRefreshTokens = true;
    this.extraTokenFields = { refresh_expires_in: 5184000 };
  }

  get oauthUrl(): string { return `${this.url}/oauth2/v1`; }
  /** The create requests' record lists. */
  get batches(): any[][] {
    return this.api.filter((r) => r.method === "POST").map((r) => r.body?.records ?? []);
  }

  protected answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname.startsWith("/oauth2/v1/")) {
      req.url = (req.url ?? "").replace(/^\/oauth2\/v1/, "/oauth2");
      return super.answer(req, res);
    }
    if (!url.pathname.startsWith("/v0/")) { return super.answer(req, res); }
    this.serveJson(req, res, url.pathname.slice(4), (request) => this.route(request));
  }

  private route(req: ApiRequest): ApiAnswer {
    if (!this.isValid(req.bearer)) {
      return [401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } }];
    }
    if (req.method === "GET" && req.path === "meta/bases") {
      // One base per page, to make the hub follow `offset`.
      const from = Number(req.query.get("offset") ?? 0);
      const next = from + 1 < this.bases.length ? { offset: String(from + 1) } : {};
      const bases = this.bases.slice(from, from + 1).map((b) => ({ ...b, permissionLevel: "create" }));
      return [200, { bases, ...next }];
    }
    const meta = /^meta\/bases\/([^/]+)\/tables$/.exec(req.path);
    if (req.method === "GET" && meta) {
      const tables = this.tables.get(decodeURIComponent(meta[1]));
      return tables ? [200, { tables }] : [404, { error: "NOT_FOUND" }];
    }
    const create = /^([^/]+)\/([^/]+)$/.exec(req.path);
    if ((req.method === "POST" || (req.method === "PATCH" && req.body?.performUpsert)) && create) {
      return this.create(decodeURIComponent(create[1]), decodeURIComponent(create[2]), req);
    }
    return [404, { error: "NOT_FOUND" }];
  }

  private create(base: string, name: string, req: ApiRequest): ApiAnswer {
    if (this.rateLimited.length) {
      const error = { error: "RATE_LIMIT_REACHED", message: "Rate limit exceeded. Please try again later" };
      return [429, { errors: [error] }, this.rateLimited.shift()];
    }
    this.creates++;
    if (this.creates > this.expireTokensAfterCreates) {
      this.expireTokensAfterCreates = Infinity;
      this.expireAccessTokens();
      return [401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } }];
    }
    const target = this.tables.get(base)?.find((t) => t.id === name || t.name === name);
    if (!target) {
      return [403, { error: { type: "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
        message: "Invalid permissions, or the requested model was not found." } }];
    }
    const records: Array<{ fields: Record<string, unknown> }> = req.body?.records;
    if (!Array.isArray(records) || records.length > 10) {
      return [422, { error: { type: "INVALID_RECORDS", message: "You can create at most 10 records per request" } }];
    }
    for (const record of records) {
      for (const [field, value] of Object.entries(record.fields ?? {})) {
        const known = target.fields.find((f) => f.name === field);
        if (!known) {
          return [422, { error: { type: "UNKNOWN_FIELD_NAME", message: `Unknown field name: "${field}"` } }];
        }
        if (this.refuse.has(String(value)) || (known.type === "number" && !Number.isFinite(Number(value)))) {
          return [422, { error: { type: "INVALID_VALUE_FOR_COLUMN",
            message: `Field "${field}" cannot accept the provided value` } }];
        }
      }
    }
    const list = this.created.get(target.id) ?? [];
    this.created.set(target.id, list);
    const mergeOn: unknown = req.body?.performUpsert?.fieldsToMergeOn;
    if (req.method === "PATCH") {
      // performUpsert: 1 to 3 fields of the table, present in every record; a record matching one
      // existing record on them updates it, else it is created.
      if (!Array.isArray(mergeOn) || !mergeOn.length || mergeOn.length > 3 ||
          !mergeOn.every((f) => target.fields.some((t) => t.name === f))) {
        return [422, { error: { type: "INVALID_REQUEST_UNKNOWN", message: "Invalid fieldsToMergeOn" } }];
      }
      if (records.some((r) => mergeOn.some((f) => r.fields?.[f] === undefined))) {
        return [422, { error: { type: "INVALID_MERGE_FIELDS", message: "Every record needs the fields to merge on" } }];
      }
    }
    const createdIds: string[] = [];
    const updatedIds: string[] = [];
    const answered = records.map((r) => {
      const match = Array.isArray(mergeOn) && req.method === "PATCH"
        ? list.find((existing) => mergeOn.every((f) => existing[f] === r.fields[f])) : undefined;
      if (match) {
        Object.assign(match, r.fields);
        const id = String(match.__id);
        updatedIds.push(id);
        return { id, createdTime: "2026-12-01T12:00:00.000Z", fields: r.fields };
      }
      const id = `rec${String(++this.recordCount).padStart(14, "0")}`;
      list.push(Object.defineProperty({ ...r.fields }, "__id", { value: id, enumerable: false }));
      createdIds.push(id);
      return { id, createdTime: "2026-12-01T12:00:00.000Z", fields: r.fields };
    });
    return [200, req.method === "PATCH" ? { records: answered, createdRecords: createdIds, updatedRecords: updatedIds }
      : { records: answered }];
  }
}
