// The CRM and marketing vendors for the bench, in a helper process run as plain JavaScript
// (plain_stand_in.ts: no TypeScript compiler in its heap for its collections to mark again):
// one server answering HubSpot's batch update (every record again, as HubSpot does), Marketo's
// identity, leads, and campaign calls, Braze's /users/track, mParticle's bulk events, and
// Salesforce's and Airtable's calls as each vendor does on success. Each answer costs only what it
// needs (mParticle's and Braze's nothing, HubSpot's a rewrite of the body's bytes); the bodies are
// kept (kept_bodies.ts) and, when the counts are asked for over IPC, parsed whole and their records
// counted per vendor, with a fault for a body that is not the vendor's JSON.
import * as http from "http";
import { KeptBodies } from "./kept_bodies";

export type Vendor = "hubspot" | "marketo" | "braze" | "mparticle" | "salesforce" | "airtable";
export type VendorCounts = Record<Vendor, { records: number; requests: number; bytes: number; faults: number }>;

/** A call the stand-in answers: its vendor, its records in a body (none: the call is only counted), its answer. */
export interface Route {
  vendor?: Vendor;
  path: RegExp;
  records?: (json: any) => unknown;
  answer: (body: Buffer) => [status: number, body: string | Buffer];
}

const STAMPS = '"createdAt":"2026-12-01T00:00:00Z","updatedAt":"2026-12-01T00:00:00Z","archived":false';
const json = (status: number, body: unknown): [number, string] => [status, JSON.stringify(body)];

const ROUTES: Route[] = [
  { vendor: "hubspot", path: /\/batch\/update$/, records: (b) => b.inputs, answer: (body) => [200, hubspotAnswer(body)] },
  { path: /^\/identity\/oauth\/token$/,
    answer: () => json(200, { access_token: "bench-token", token_type: "bearer", expires_in: 3600 }) },
  { vendor: "marketo", path: /^\/rest\/v1\/leads\.json$/, records: (b) => b.input, answer: (body) => json(200, {
    success: true, result: (parse(body).input as unknown[]).map((_, i) => ({ id: i + 1, status: "created" })) }) },
  { vendor: "marketo", path: /^\/rest\/v1\/campaigns\/\d+\/trigger\.json$/,
    answer: () => json(200, { success: true, result: [{ id: 1001 }] }) },
  { vendor: "braze", path: /^\/users\/track$/, records: (b) => b.attributes, answer: () => json(201, { message: "success" }) },
  { vendor: "mparticle", path: /^\/s2s\/v2\/bulkevents$/, records: (b) => b, answer: () => [202, ""] },
  { vendor: "salesforce", path: /^\/services\/data\/v[\d.]+\/sobjects\/Campaign\/\w+$/,
    answer: () => json(200, { Id: "701000000000001AAA", Name: "Bench" }) },
  { vendor: "salesforce", path: /^\/services\/data\/v[\d.]+\/composite\/sobjects$/, records: (b) => b.records,
    answer: (body) => json(200, (parse(body).records as unknown[]).map((_, i) => ({
      id: `00v${String(i).padStart(15, "0")}`, success: true, errors: [] }))) },
  { vendor: "airtable", path: /^\/v0\/meta\/bases\/\w+\/tables$/, answer: () => json(200, { tables: [{
    id: "tblBENCH00000001", name: "Audience", fields: ["users.id", "users.email", "users.city", "users.created_date",
      "users.sfdc_id", "orders.count", "orders.total"].map((name, i) => ({ id: `fld${i}`, name, type: "singleLineText" })),
  }] }) },
  { vendor: "airtable", path: /^\/v0\/\w+\/\w+$/, records: (b) => b.records, answer: (body) => json(200, {
    records: (parse(body).records as object[]).map((r, i) => ({ id: `rec${i}`, createdTime: "2026-12-01", ...r })) }) },
];

export function crmApi(): void {
  const counts = noCounts();
  const kept = new KeptBodies<Route>();
  const server = http.createServer((req, res) => {
    const route = routeOf(req.url ?? "");
    if (!route) {
      req.resume();
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"message":"not found"}');
      return;
    }
    kept.take(req, route, (body) => {
      let status = 400;
      let text: string | Buffer = '{"message":"invalid JSON"}';
      try { [status, text] = route.answer(body); } catch { /* counted as a fault with the body */ }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as { port: number }).port }));
  process.on("message", (m: unknown) => {
    if (typeof m === "object" && m && "reserve" in m) {
      kept.reserve(Number(m.reserve));
      process.send!("reserved");
      return;
    }
    for (const { tag, body } of kept.bodies) { countInto(counts, tag, body); }
    kept.clear();
    process.send!(counts);
  });
}

/** Every vendor's counts at zero. */
export function noCounts(): VendorCounts {
  return Object.fromEntries((["hubspot", "marketo", "braze", "mparticle", "salesforce", "airtable"] as const)
    .map((v) => [v, { records: 0, requests: 0, bytes: 0, faults: 0 }])) as VendorCounts;
}

/** The call a request's URL makes, if the stand-in knows it. */
export function routeOf(url: string): Route | undefined {
  const path = url.split("?")[0];
  return ROUTES.find((r) => r.path.test(path));
}

/** Adds one kept body to its vendor's counts. */
export function countInto(counts: VendorCounts, route: Route, body: Buffer): void {
  if (!route.vendor) { return; }
  const count = counts[route.vendor];
  count.requests++;
  count.bytes += body.length;
  if (!route.records) { return; }
  try {
    const records = route.records(parse(body));
    if (!Array.isArray(records)) { throw new Error("no records"); }
    count.records += records.length;
  } catch {
    count.faults++;
  }
}

function parse(body: Buffer): any {
  return JSON.parse(body.toString("utf8"));
}

/**
 * HubSpot's answer to a batch update: every input again with its timestamps (about 25 KB for 100 of
 * the bench's). The hub writes `{"inputs":[{"id":...,"properties":{...}},...]}`, so the stamps go
 * before each input's closing brace, found as `}},{"id":` (no property value of the bench holds it)
 * without parsing the body; any other body is parsed.
 */
export function hubspotAnswer(body: Buffer): Buffer {
  const head = '{"status":"COMPLETE","results":[';
  const tail = '],"startedAt":"2026-12-01T00:00:00Z","completedAt":"2026-12-01T00:00:01Z"}';
  const text = body.toString("latin1");
  if (!text.startsWith('{"inputs":[{"id":') || !text.endsWith("}}]}")) {
    const inputs = parse(body).inputs as Array<{ id: string; properties: object }>;
    return Buffer.from(head + inputs.map((input) => JSON.stringify({ id: input.id, properties: input.properties })
      .slice(0, -1) + `,${STAMPS}}`).join(",") + tail);
  }
  const inputs = text.slice('{"inputs":['.length, -"}]}".length);
  return Buffer.from(head + inputs.split('}},{"id":').join(`},${STAMPS}},{"id":`) + `,${STAMPS}}` + tail, "latin1");
}
