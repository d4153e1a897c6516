// The burst's client, in its own process: builds the three kinds of execute body once and
// sends the deliveries, all started within the spread (burst) or one after another (serial).
// argv: a JSON BurstPlan. Answers a BurstSent over IPC and exits.
import * as http from "http";
import { CSV_HEADER, csvBlock, csvPlan } from "./payloads";
import { segmentBody } from "./segment";
import { VendorPorts } from "./burst_vendors";

export interface BurstPlan {
  hubUrl: string;
  key: string;
  vendors: VendorPorts;
  webhooks: number; webhookMib: number;
  segments: number; segmentRows: number;
  slacks: number; slackMib: number;
  /** "burst": every delivery starts within `spreadMs`; "serial": one after another. */
  mode: "burst" | "serial";
  spreadMs: number;
}

export interface DeliveryResult { kind: string; status: number; answer: string; ms: number; startedAtMs: number; }
export interface BurstSent { results: DeliveryResult[]; wallMs: number; bodyBytes: number; lastStartMs: number; }

function csvBody(integration: string, mib: number, fields: object): Buffer {
  const block = JSON.stringify(csvBlock()).slice(1, -1);
  const { blocks } = csvPlan(mib);
  const head = JSON.stringify({ type: "query", scheduled_plan: { title: "burst", query_id: 1 }, data: {},
    form_params: {}, ...fields }).slice(0, -1) +
    `,"attachment":{"mimetype":"text/csv","extension":"csv","data":"${JSON.stringify(CSV_HEADER).slice(1, -1)}`;
  return Buffer.concat([Buffer.from(head), ...Array.from({ length: blocks }, () => Buffer.from(block)),
    Buffer.from('"}}')]);
}

/**
 * What a delivery sends when it starts: the headers and the body's first bytes. The rest follows
 * once every delivery has started: written at once, 200 bodies (1.25 GiB) filled the kernel's
 * socket buffers within the first second, and that copying held this process's timers back, so
 * the last starts came at 1.2-2 s. Looker too sends a body as its query runs, not all at once.
 */
const FIRST_BYTES = 256 * 1024;

interface Started { answer: Promise<DeliveryResult>; rest(): void; }

function post(plan: BurstPlan, integration: string, body: Buffer, started: bigint): Started {
  const t0 = process.hrtime.bigint();
  let rest = () => undefined as void;
  const answer = new Promise<DeliveryResult>((resolve) => {
    const req = http.request(`${plan.hubUrl}/actions/${integration}/execute`, {
      method: "POST", agent: false,
      headers: { "authorization": `Token token="${plan.key}"`, "content-type": "application/json",
        "content-length": String(body.length), "user-agent": "LookerOutgoingWebhook/23.0.0" },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { text += c; });
      res.on("end", () => resolve({ kind: integration, status: res.statusCode ?? 0, answer: text.trim(),
        ms: Number(process.hrtime.bigint() - t0) / 1e6, startedAtMs: Number(t0 - started) / 1e6 }));
    });
    req.on("error", (err) => resolve({ kind: integration, status: 0, answer: String(err), ms: 0,
      startedAtMs: Number(t0 - started) / 1e6 }));
    req.write(body.subarray(0, FIRST_BYTES));
    rest = () => { req.end(body.subarray(FIRST_BYTES)); };
  });
  return { answer, rest };
}

async function main(plan: BurstPlan): Promise<void> {
  const v = plan.vendors;
  const webhook = csvBody("webhook", plan.webhookMib, {
    form_params: { url: `http://127.0.0.1:${v.webhook}/in` } });
  const slack = csvBody("slack", plan.slackMib, {
    data: { slack_api_token: v.slackToken },
    form_params: { channelType: "manual", channel: "C0BENCH01", filename: "burst" },
    scheduled_plan: { title: "Burst", url: "https://looker.example.com/looks/1" } });
  const segment = Buffer.concat([...segmentBody(plan.segmentRows)]);
  // Interleaved, as schedules of different kinds fire together.
  const jobs: Array<[string, Buffer]> = [];
  for (let i = 0; jobs.length < plan.webhooks + plan.segments + plan.slacks; i++) {
    if (i < plan.webhooks) { jobs.push(["webhook", webhook]); }
    if (i < plan.segments) { jobs.push(["segment_event", segment]); }
    if (i < plan.slacks) { jobs.push(["slack", slack]); }
  }
  const bodyBytes = jobs.reduce((sum, [, body]) => sum + body.length, 0);
  const started = process.hrtime.bigint();
  let results: DeliveryResult[];
  let lastStartMs = 0;
  if (plan.mode === "serial") {
    results = [];
    for (const [integration, body] of jobs) {
      const one = post(plan, integration, body, started);
      one.rest();
      results.push(await one.answer);
    }
  } else {
    const gap = plan.spreadMs / jobs.length;
    const all = await Promise.all(jobs.map(([integration, body], i) => new Promise<Started>((resolve) => {
      setTimeout(() => {
        lastStartMs = Math.max(lastStartMs, Number(process.hrtime.bigint() - started) / 1e6);
        resolve(post(plan, integration, body, started));
      }, i * gap);
    })));
    // Every delivery has started: the bodies' rest now streams with the sockets' backpressure.
    all.forEach((one) => one.rest());
    results = await Promise.all(all.map((one) => one.answer));
  }
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.send!({ results, wallMs, bodyBytes, lastStartMs } as BurstSent, () => process.exit(0));
}

main(JSON.parse(process.argv[2]) as BurstPlan).catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
