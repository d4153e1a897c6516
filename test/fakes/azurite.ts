// Azurite (Microsoft's Azure Storage emulator) for the Azure tests and the bench: its blob
// service as a child process on a loopback port, data in a temporary directory. Started once
// per suite on first use and stopped by the root `after` hook.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stopChild } from "./child_server";
import { childServerPort } from "./closed_port";

/** Azurite's well-known development account and key. */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite {
  port: number;
  /** AZURE_STORAGE_BLOB_URL for it: path-style, `{account}` in the path. */
  blobUrlTemplate: string;
  /** The directory Azurite keeps its data in. */
  location: string;
}

const MAIN = require.resolve("azurite/dist/src/blob/main.js");

let started: Promise<Azurite> | undefined;
let child: ChildProcess | undefined;
let location: string | undefined;


async function start(): Promise<Azurite> {
  location = fs.mkdtempSync(path.join(os.tmpdir(), "lis-azurite-"));
  const port = await childServerPort();
  child = spawn(process.execPath, [MAIN, "--blobHost", "127.0.0.1", "--blobPort", String(port),
    "--location", location, "--skipApiVersionCheck", "--disableProductStyleUrl", "--silent", "--disableTelemetry"],
  { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c) => { output += c; });
  child.stderr!.on("data", (c) => { output += c; });
  const until = Date.now() + 30_000;
  while (!/successfully listens/i.test(output)) {
    if (child.exitCode !== null) { throw new Error(`Azurite exited: ${output}`); }
    if (Date.now() > until) { throw new Error(`Azurite did not start: ${output}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, blobUrlTemplate: `http://127.0.0.1:${port}/{account}`, location };
}

/** The suite's Azurite, started on first use. */
export function sharedAzurite(): Promise<Azurite> {
  if (!started) { started = start(); }
  return started;
}

export async function stopAzurite(): Promise<void> {
  if (!started) { return; }
  started = undefined;
  await stopChild(child);
  child = undefined;
  if (location) { fs.rmSync(location, { recursive: true, force: true }); }
  location = undefined;
}

if (typeof after === "function") { after(stopAzurite); }
