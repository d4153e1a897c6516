// Starts src/boot.ts as a child process, as a deployment would, for start-up and shutdown tests
// (compiled when dist/ is current: test/helpers/compiled.ts).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { generateApiKey } from "../../src/server/auth";
import { nodeArgs } from "./compiled";


export interface HubProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startHubProcess(args: string[], env: Record<string, string>): HubProcess {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "hub-boot-"));
  const boot = nodeArgs("src/boot.ts");
  const child = spawn(process.execPath, [...boot.args, ...args], {
    cwd, env: { PATH: process.env.PATH!, TMPDIR: os.tmpdir(), ...boot.env, HOST: "127.0.0.1", ...env },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c) => { out += c; });
  child.stderr!.on("data", (c) => { err += c; });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    fs.rmSync(cwd, { recursive: true, force: true });
    resolve(code);
  }));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor(test: () => RegExpMatchArray | null, ms = 90_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = test();
    if (m) { return m; }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out");
}

/** Waits until `test` answers true (polling every 50 ms), or fails after `ms`. */
export async function eventually(
  test: () => boolean | Promise<boolean>, ms = 30_000, what = "condition",
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await test()) { return; }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The URL the hub logged it listens on (JSON logs of production mode). */
export async function listeningUrl(hub: HubProcess): Promise<string> {
  // Generous: on a loaded machine ts-node takes long to start a hub (and each cluster worker).
  const line = await waitFor(() => hub.stdout().match(/^\{.*"hub listening".*\}$/m), 90_000);
  return JSON.parse(line[0]).url;
}

/** A debug delivery that sleeps `sleepMs` in the hub, sent to a hub process keyed by `secret`. */
export function debugDelivery(url: string, secret: string, sleepMs: number): Promise<{ status: number; body: string }> {
  return executeOn(url, secret, "debug", { type: "query", form_params: { sleep: String(sleepMs) },
    attachment: { mimetype: "text/csv", extension: "csv", data: "a\n1\n2\n" } });
}

/** An execute of `integration` with `payload`, sent to a hub process keyed by `secret`. */
export function executeOn(url: string, secret: string, integration: string, payload: unknown,
): Promise<{ status: number; body: string }> {
  return postOn(url, secret, `/actions/${integration}/execute`, payload);
}

/** A POST of `payload` to `route` of a hub process keyed by `secret`. */
export function postOn(url: string, secret: string, route: string, payload: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(payload);
    const req = http.request(`${url}${route}`, { method: "POST", agent: false, headers: {
      "authorization": `Token token="${generateApiKey(secret)}"`, "content-type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
