// A real PostgreSQL for the write-back tests (Debian's package, /usr/lib/postgresql/<n>/bin):
// initdb into a temporary directory, the server as a child process on a loopback port (its unix
// socket in that directory too), password auth (SCRAM) for one user, TLS with the test CA's
// server certificate. Run as root, initdb refuses to run: the cluster then belongs to the
// `postgres` user (or nobody). Started once per suite on first use, stopped by the root `after` hook.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { childServerPort } from "./closed_port";

export interface PostgresServer {
  port: number;
  user: string;
  password: string;
  database: string;
  /** The connection URL for the hub (sslmode=disable unless told), password included. */
  url(options?: { password?: string; sslmode?: string; database?: string; user?: string }): string;
  /** Runs SQL as the suite's user on a fresh connection. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  /** A connection of the test's own (a concurrent reader); the caller ends it. */
  connect(): Promise<Client>;
}

const TLS = path.join(__dirname, "..", "fixtures", "tls");

function binDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) { return undefined; }
  return fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((v) => path.join(root, v, "bin"))
    .find((dir) => fs.existsSync(path.join(dir, "initdb")));
}

export function postgresAvailable(): boolean { return binDir() !== undefined; }

/** The user the cluster runs as: ourselves, or when we are root `postgres` (else nobody). */
function owner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) { return {}; }
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name]).toString().trim());
      const gid = Number(execFileSync("id", ["-g", name]).toString().trim());
      return { uid, gid };
    } catch { /* no such user */ }
  }
  throw new Error("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL");
}

/**
 * The run's temporary directories (nested when the suite runs files in workers) are root's: the
 * cluster's owner may pass through them (search, not list) up to the first one anyone may.
 */
function letThrough(dir: string): void {
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    const mode = fs.statSync(d).mode & 0o7777;
    if ((mode & 0o001) !== 0) { return; }
    fs.chmodSync(d, mode | 0o711);
  }
}

let started: Promise<PostgresServer> | undefined;
let child: ChildProcess | undefined;
let base: string | undefined;

function chownAll(dir: string, who: { uid?: number; gid?: number }): void {
  if (who.uid === undefined) { return; }
  fs.chownSync(dir, who.uid, who.gid!);
  for (const entry of fs.readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (fs.statSync(full).isDirectory()) { chownAll(full, who); } else { fs.chownSync(full, who.uid, who.gid!); }
  }
}

async function start(): Promise<PostgresServer> {
  const bin = binDir();
  if (!bin) { throw new Error("PostgreSQL is not installed (Debian: apt-get install postgresql)"); }
  const who = owner();
  if (who.uid !== undefined) { letThrough(os.tmpdir()); }
  base = fs.mkdtempSync(path.join(os.tmpdir(), "lis-pg-"));
  const user = "hub";
  const password = "pg-test-password-7f3a";
  const database = "warehouse";
  fs.writeFileSync(path.join(base, "pwfile"), `${password}\n`);
  fs.copyFileSync(path.join(TLS, "server.crt"), path.join(base, "server.crt"));
  fs.copyFileSync(path.join(TLS, "server.key"), path.join(base, "server.key"));
  fs.chmodSync(path.join(base, "server.key"), 0o600);
  fs.mkdirSync(path.join(base, "socket"));
  chownAll(base, who);
  const data = path.join(base, "data");
  execFileSync(path.join(bin, "initdb"), ["-D", data, "-U", user, `--pwfile=${path.join(base, "pwfile")}`,
    "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "-N"], { ...who, stdio: "ignore" });
  const port = await childServerPort();
  child = spawn(path.join(bin, "postgres"), ["-D", data, "-p", String(port), "-k", path.join(base, "socket"),
    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
    "-c", "full_page_writes=off", "-c", "max_connections=40", "-c", "shared_buffers=32MB",
    "-c", "ssl=on", "-c", `ssl_cert_file=${path.join(base, "server.crt")}`,
    "-c", `ssl_key_file=${path.join(base, "server.key")}`, "-c", "log_min_messages=fatal"],
  { ...who, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c) => { stderr += c; });
  const connect = async (db = database) => {
    const client = new Client({ host: "127.0.0.1", port, user, password, database: db });
    client.on("error", () => undefined);
    await client.connect();
    return client;
  };
  await waitUntilReady(() => connect("postgres"), () => stderr);
  const admin = await connect("postgres");
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  return {
    port, user, password, database,
    url(options = {}) {
      const pass = encodeURIComponent(options.password ?? password);
      return `postgres://${options.user ?? user}:${pass}@127.0.0.1:${port}/${options.database ?? database}` +
        `?sslmode=${options.sslmode ?? "disable"}`;
    },
    async query<T>(sql: string, values?: unknown[]) {
      const client = await connect();
      try {
        return (await client.query(sql, values)).rows as T[];
      } finally {
        await client.end();
      }
    },
    connect: () => connect(),
  };
}

async function waitUntilReady(connect: () => Promise<Client>, stderr: () => string): Promise<void> {
  const until = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < until) {
    if (child?.exitCode !== null) { throw new Error(`postgres exited: ${stderr()}`); }
    try {
      const client = await connect();
      await client.end();
      return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`postgres did not start: ${String(last)} ${stderr()}`);
}

/** The suite's PostgreSQL, started on first use. */
export function sharedPostgres(): Promise<PostgresServer> {
  if (!started) { started = start(); }
  return started;
}

/** Fast shutdown (SIGINT: sessions are ended, not waited for), bounded; then the directory goes. */
export async function stopPostgres(): Promise<void> {
  if (!started) { return; }
  started = undefined;
  const running = child;
  child = undefined;
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGINT");
    const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (base) { fs.rmSync(base, { recursive: true, force: true }); }
  base = undefined;
}

if (typeof after === "function") { after(stopPostgres); }
