// Part "ads": a json_detail_lite_stream delivery of --rows people (default 1,000,000: email,
// phone, names, zip, country) pushed to facebook_custom_audiences and google_ads_customer_match
// on the compiled hub (a fresh child process each, one worker, a logged-in user's sealed state),
// which normalises and hashes every identifier and sends it to the vendors' fakes of test/fakes/
// in this process (rows counted, not kept): Facebook in one session of 10,000-row batches,
// Google Ads in addOperations of 10,000, then the job run and polled. The body is generated here.
import * as http from "http";
import { Readable } from "stream";
import { Sealer } from "../src/hub/oauth/sealing";
import { storedStateFor } from "../src/hub/oauth/stored_state";
import { DEVELOPER_TOKEN, FakeGoogleAds } from "../test/fakes/google_ads_api";
import { FakeGraph } from "../test/fakes/graph_api";
import { FakeOAuthServer } from "../test/fakes/oauth_server";
import { BENCH_SECRET, readAnswer, startHub } from "./hub_process";
import { Part } from "./part";
import { fmt, MB, MiB } from "./results";

const FIELDS = { dimensions: [
  { name: "people.email", tags: ["email"] }, { name: "people.phone", tags: ["phone"] },
  { name: "people.first_name", tags: ["first_name"] }, { name: "people.last_name", tags: ["last_name"] },
  { name: "people.zip", tags: ["zip"] }, { name: "people.country", tags: ["country"] },
], measures: [{ name: "orders.total", tags: [] }] };

function* body(rows: number, state: string, form: Record<string, string>): Generator<Buffer> {
  const head = { type: "query", data: { state_json: state }, form_params: form,
    scheduled_plan: { title: "bench", query: { vis_config: { hidden_fields: [] } } } };
  yield Buffer.from(JSON.stringify(head).slice(0, -1) + `,"attachment":{"mimetype":"application/json",` +
    `"extension":"json","data":{"ran_at":"2026-12-01T10:00:00+00:00","fields":${JSON.stringify(FIELDS)},"data":[`);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    chunk += (i ? "," : "") + `{"people.email":{"value":" Person.${i}@Example.com"},` +
      `"people.phone":{"value":"+1 (650) ${String(i).padStart(7, "0").replace(/^(\d+)(\d{4})$/, "$1-$2")}"},` +
      `"people.first_name":{"value":"Ana${i % 97}"},"people.last_name":{"value":"Smith-${i % 1013}"},` +
      `"people.zip":{"value":"${String(10000 + (i % 89999))}"},` +
      `"people.country":{"value":"${i % 3 ? "US" : "United States"}"},` +
      `"orders.total":{"value":${(i % 1000) / 10}}}`;
    if (chunk.length > 256 * 1024) { yield Buffer.from(chunk); chunk = ""; }
  }
  yield Buffer.from(chunk + "]}}}");
}

interface Target {
  integration: string;
  form: Record<string, string>;
  state(): string;
  /** People the vendor received, and in how many requests. */
  received(): { people: number; requests: number };
}

async function deliver(root: string, target: Target, env: Record<string, string>, rows: number,
                       say: (line: string) => void): Promise<string> {
  const hub = await startHub(root, { env: { ...env, ALLOW_PRIVATE_URLS: "true", ALLOW_HTTP_URLS: "true" } });
  try {
    let bytes = 0;
    const started = process.hrtime.bigint();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${hub.url}/actions/${target.integration}/execute`, {
        method: "POST", headers: { "authorization": `Token token="${hub.key}"`, "content-type": "application/json",
          "user-agent": "LookerOutgoingWebhook/25.10.0" },
      }, (res) => readAnswer(res).then(resolve, reject));
      req.on("error", reject);
      Readable.from(body(rows, target.state(), target.form)).on("data", (c: Buffer) => { bytes += c.length; })
        .pipe(req);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = hub.peakRss();
    const got = target.received();
    const rate = rows / seconds;
    const ok = answer.status === 200 && /"success":true/.test(answer.body) && got.people === rows;
    const line = `| \`${target.integration}\` | ${fmt(rows)} (${fmt(bytes / MiB, 1)} MiB) | ` +
      `${ok ? "ok" : `**FAILED** ${answer.status} ${answer.body.slice(0, 160)}`} | ${fmt(got.people)} in ` +
      `${fmt(got.requests)} requests | ${fmt(seconds, 1)} s | ${fmt(rate)} rows/s | ${fmt(peak / MB)} MB | ` +
      `${peak < 150 * MB && ok ? "met" : "**not met**"} |`;
    say(line);
    return line;
  } finally {
    await hub.stop();
  }
}

export const adsPart: Part = {
  name: "ads", title: "Ad audiences: 1M people hashed to Facebook and Google Ads", needsBuild: true,
  async run(ctx) {
    const rows = Number(ctx.option("rows", "1000000"));
    const graph = await new FakeGraph().start();
    const oauth = await new FakeOAuthServer().start();
    const ads = await new FakeGoogleAds(oauth).start();
    graph.keepRows = false;
    ads.keepOperations = false;
    const lines: string[] = [];
    try {
      lines.push(await deliver(ctx.root, {
        integration: "facebook_custom_audiences",
        form: { choose_ad_account: "1001", choose_create_update_replace: "create_audience", create_audience_name: "Bench",
          create_audience_description: "bench" },
        state: () => storedStateFor(new Sealer(BENCH_SECRET), "facebook_custom_audiences",
          { accessToken: graph.issue() }),
        received: () => ({ people: [...graph.audiences.values()].reduce((n, a) => n + a.received, 0),
          requests: graph.uploads.length }),
      }, { FACEBOOK_CLIENT_ID: graph.appId, FACEBOOK_CLIENT_SECRET: graph.appSecret, FACEBOOK_GRAPH_URL: graph.url,
        FACEBOOK_OAUTH_URL: graph.url }, rows, ctx.say));
      lines.push(await deliver(ctx.root, {
        integration: "google_ads_customer_match",
        form: { loginCid: "3333333333", createOrAppend: "create", mobileDevice: "no", newListName: "Bench" },
        state: () => {
          const tokens = oauth.issue();
          return storedStateFor(new Sealer(BENCH_SECRET), "google_ads_customer_match",
            { ...tokens, expiresAt: Date.now() + 3_600_000 });
        },
        received: () => {
          const jobs = [...ads.jobs.values()];
          return { people: jobs.reduce((n, j) => n + j.operations, 0), requests: jobs.reduce((n, j) => n + j.adds, 0) };
        },
      }, { GOOGLE_ADS_CLIENT_ID: oauth.clientId, GOOGLE_ADS_CLIENT_SECRET: oauth.clientSecret,
        GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN, GOOGLE_ADS_API_URL: ads.url,
        GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl,
        GOOGLE_ADS_JOB_POLL_SECONDS: "0.05" }, rows, ctx.say));
    } finally {
      await Promise.all([graph.stop(), ads.stop(), oauth.stop()]);
    }
    return [
      "A generated json_detail_lite_stream body (7 fields a row: email, phone, first and last name, zip, country",
      "tagged; a measure) is streamed (chunked) to each integration on a fresh compiled hub (one worker,",
      "production mode, a logged-in user's sealed state). The hub normalises and SHA-256 hashes every identifier",
      "and uploads to the vendor's fake in this process, which counts what it receives: Facebook one session",
      "of 10,000-row batches (create audience, then users), Google Ads a new list, a job, addOperations of",
      "10,000, run and polled to SUCCESS. Peak RSS is the hub's VmHWM. Target (issue 15): 1M rows, RSS < 150 MB.",
      "",
      "| integration | rows | answer | vendor received | wall time | rows/s | hub peak RSS | target < 150 MB |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n");
  },
};
