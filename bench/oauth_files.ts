// Parts "drive", "dropbox" and "sheets": one large CSV push through the whole hub (compiled, a
// child process) to the per-user login destinations, each vendor played by its fake (test/fakes/)
// in the bench process with a logged-in user's sealed state. Measures time and the hub's peak RSS
// and checks what the vendor got: the same bytes (SHA-256 and length), or every row.
import { createHash } from "crypto";
import { storedStateFor } from "../src/hub/oauth/stored_state";
import { Sealer } from "../src/hub/oauth/sealing";
import { FakeDropbox } from "../test/fakes/dropbox_api";
import { FakeGoogle } from "../test/fakes/google_api";
import { FakeOAuthServer } from "../test/fakes/oauth_server";
import { sender } from "./deliveries";
import { BENCH_SECRET, procMemory, probeStatus, startHub } from "./hub_process";
import { BenchContext, numbers, Part } from "./part";
import { CSV_HEADER, csvBlock, csvPlan } from "./payloads";
import { fmt, MB, MiB } from "./results";

const HEADER = "| delivery | HTTP | wall time | throughput | hub RSS before | hub peak RSS | worst GET /status | " +
  "vendor got it all | target < 150 MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |";

function expectedSha256(mib: number): string {
  const hash = createHash("sha256").update(CSV_HEADER);
  const block = csvBlock();
  for (let i = 0; i < csvPlan(mib).blocks; i++) { hash.update(block); }
  return hash.digest("hex");
}

function loggedIn(oauth: FakeOAuthServer, integration: string): string {
  const tokens = oauth.issue();
  return storedStateFor(new Sealer(BENCH_SECRET), integration,
    { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: Date.now() + 3_600_000 });
}

interface Run {
  integration: string;
  env: Record<string, string>;
  formParams: Record<string, string>;
  mib: number;
  /** Whether the vendor got all of it, and how to say it. */
  check(sha256: string, csvBytes: number): { ok: boolean; text: string };
  label: string;
}

async function deliver(oauth: FakeOAuthServer, run: Run, ctx: BenchContext): Promise<string> {
  const hub = await startHub(ctx.root, { env: run.env });
  try {
    const before = procMemory(hub.pid, "VmRSS");
    const probe = probeStatus(hub.url);
    const fields = JSON.stringify({ data: { state_json: loggedIn(oauth, run.integration) },
      form_params: run.formParams, scheduled_plan: { title: "Bench", url: "https://looker.example.com/looks/1" } });
    const result = await sender("push", [hub.url, hub.key, String(run.mib), run.integration, fields]).message;
    const { worstMs, probes } = await probe.stop();
    const peak = hub.peakRss();
    const got = run.check(expectedSha256(run.mib), result.csvBytes);
    const ok = result.status === 200 && /"success":true/.test(result.answer);
    const line = `| ${run.label} | ${result.status}${ok ? "" : ` ${result.answer.slice(0, 160)}`} | ` +
      `${fmt(result.ms / 1000, 2)} s | ${fmt(result.csvBytes / MiB / (result.ms / 1000))} MiB/s | ` +
      `${fmt(before / MB)} MB | ${fmt(peak / MB)} MB | ${fmt(worstMs, 1)} ms (${probes} probes) | ${got.text} | ` +
      `${peak < 150 * MB && ok && got.ok ? "met" : "**not met**"} |`;
    ctx.say(line);
    return line;
  } finally {
    await hub.stop();
  }
}

async function withOAuth<T>(use: (oauth: FakeOAuthServer) => Promise<T>): Promise<T> {
  const oauth = await new FakeOAuthServer().start();
  try { return await use(oauth); } finally { await oauth.stop(); }
}

function googleEnv(oauth: FakeOAuthServer, google: FakeGoogle): Record<string, string> {
  return { GOOGLE_DRIVE_CLIENT_ID: oauth.clientId, GOOGLE_DRIVE_CLIENT_SECRET: oauth.clientSecret,
    GOOGLE_OAUTH_TOKEN_URL: oauth.tokenUrl, GOOGLE_API_URL: google.url, GOOGLE_SHEETS_API_URL: google.url };
}

export const drivePart: Part = {
  name: "drive", title: "Google Drive: one large file through the whole hub (resumable upload)", needsBuild: true,
  run: (ctx) => withOAuth(async (oauth) => {
    const lines = [HEADER];
    for (const mib of numbers(ctx.option("mb", "1024"))) {
      const google = await new FakeGoogle(oauth).start();
      google.keepBytesUpTo = 0;
      try {
        lines.push(await deliver(oauth, {
          integration: "google_drive", env: googleEnv(oauth, google), formParams: { filename: "bench" }, mib,
          label: `${fmt(mib)} MiB CSV push`,
          check: (sha, bytes) => {
            const file = [...google.files.values()].pop();
            const ok = !!file && file.sha256 === sha && file.size === bytes;
            return { ok, text: ok ? "yes (SHA-256)" : `no (${file?.size ?? 0} of ${bytes} bytes)` };
          },
        }, ctx));
      } finally {
        await google.stop();
      }
    }
    return ["The hub (one worker) gets an execute with a CSV push and sends it to the fake Drive with a resumable",
      "upload in 8 MiB chunks (PUT per chunk, Content-Range), reading the delivery one chunk at a time.",
      "Target (issue 12): 1 GiB with the hub's peak RSS under 150 MB.", "", ...lines].join("\n");
  }),
};

export const dropboxPart: Part = {
  name: "dropbox", title: "Dropbox: one large file through the whole hub (upload session)", needsBuild: true,
  run: (ctx) => withOAuth(async (oauth) => {
    const lines = [HEADER];
    for (const mib of numbers(ctx.option("mb", "1024"))) {
      const dropbox = await new FakeDropbox(oauth).start();
      dropbox.keepBytesUpTo = 0;
      try {
        lines.push(await deliver(oauth, {
          integration: "dropbox", formParams: { directory: "__root", filename: "bench", includeTimestamp: "no" }, mib,
          env: { DROPBOX_ACTION_APP_KEY: oauth.clientId, DROPBOX_ACTION_APP_SECRET: oauth.clientSecret,
            DROPBOX_API_URL: dropbox.url, DROPBOX_CONTENT_URL: dropbox.url },
          label: `${fmt(mib)} MiB CSV push`,
          check: (sha, bytes) => {
            const file = dropbox.files.get("/bench.csv");
            const ok = !!file && file.sha256 === sha && file.size === bytes;
            return { ok, text: ok ? "yes (SHA-256)" : `no (${file?.size ?? 0} of ${bytes} bytes)` };
          },
        }, ctx));
      } finally {
        await dropbox.stop();
      }
    }
    return ["The hub (one worker) gets an execute with a CSV push and sends it to the fake Dropbox through an upload",
      "session (start, append_v2 per 8 MiB chunk, finish), reading the delivery one chunk at a time.",
      "Target (issue 12): 1 GiB with the hub's peak RSS under 150 MB.", "", ...lines].join("\n");
  }),
};

export const sheetsPart: Part = {
  name: "sheets", title: "Google Sheets: a million rows through the whole hub", needsBuild: true,
  run: (ctx) => withOAuth(async (oauth) => {
    const lines = [HEADER];
    const rowsPerBlock = csvBlock().split("\n").length - 1;
    for (const rows of numbers(ctx.option("rows", "1000000"))) {
      const google = await new FakeGoogle(oauth).start();
      google.sheets.keepCellsUpTo = 0;
      const blocks = Math.ceil(rows / rowsPerBlock);
      const mib = (blocks * Buffer.byteLength(csvBlock())) / MiB;
      try {
        lines.push(await deliver(oauth, {
          integration: "google_sheets", env: googleEnv(oauth, google), mib,
          formParams: { filename: "bench", overwrite: "no" },
          label: `${fmt(blocks * rowsPerBlock)} rows (${fmt(mib)} MiB CSV push)`,
          check: () => {
            const sheet = [...google.sheets.spreadsheets.values()].pop()?.sheets[0];
            const expected = blocks * rowsPerBlock + 1;
            const ok = sheet?.rowsWritten === expected;
            return { ok, text: ok ? `yes (${fmt(expected)} rows with the header)` : `no (${sheet?.rowsWritten ?? 0} rows)` };
          },
        }, ctx));
        ctx.say(`  (${google.sheets.writeRequests} Sheets write requests)`);
      } finally {
        await google.stop();
      }
    }
    return ["The hub (one worker) gets an execute with a CSV push, spools and counts the rows (cell limit), makes",
      "the spreadsheet through the fake Drive, sizes the grid and writes the rows with values.update in batches of",
      "20,000 rows. Target (issue 12): 1,000,000 rows with the hub's peak RSS under 150 MB.", "", ...lines].join("\n");
  }),
};
