// A real OpenSSH sshd for the SFTP tests: a child process on a loopback port with a generated
// host key, key auth for the user running the tests, and a temporary directory to write to.
// Started once per suite on first use and stopped by the root `after` hook.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { stopChild } from "./child_server";
import { childServerPort } from "./closed_port";

export interface Sshd {
  port: number;
  user: string;
  /** The client's private key (OpenSSH format) that the server accepts. */
  clientKey: string;
  /** The server's host key fingerprint, `SHA256:...` as ssh-keygen prints it. */
  hostFingerprint: string;
  /** A directory the user may write to, emptied by `reset()`. */
  root: string;
  /** A directory on a 1 MiB tmpfs (root only), or undefined when one cannot be mounted. */
  fullDisk?: string;
  reset(): void;
}

const SSHD = ["/usr/sbin/sshd", "/usr/bin/sshd"].find((p) => fs.existsSync(p));

export function sshdAvailable(): boolean { return SSHD !== undefined; }

let started: Promise<Sshd> | undefined;
let child: ChildProcess | undefined;
let base: string | undefined;
let mounted: string | undefined;


function keygen(file: string): void {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file], { stdio: "ignore" });
}

function fingerprint(publicKeyFile: string): string {
  const line = fs.readFileSync(publicKeyFile, "utf8").trim().split(/\s+/);
  const blob = Buffer.from(line[1], "base64");
  return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

function tryMountTmpfs(dir: string): boolean {
  if (process.getuid?.() !== 0) { return false; }
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0777", "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function start(): Promise<Sshd> {
  if (!SSHD) { throw new Error("sshd is not installed (Debian: apt-get install openssh-server)"); }
  base = fs.mkdtempSync(path.join(os.tmpdir(), "lis-sshd-"));
  fs.chmodSync(base, 0o755);
  const hostKey = path.join(base, "host_key");
  const clientKey = path.join(base, "client_key");
  keygen(hostKey);
  keygen(clientKey);
  const authorized = path.join(base, "authorized_keys");
  fs.copyFileSync(`${clientKey}.pub`, authorized);
  fs.chmodSync(authorized, 0o600);
  const root = path.join(base, "files");
  fs.mkdirSync(root);
  const fullDisk = path.join(base, "full");
  fs.mkdirSync(fullDisk);
  if (tryMountTmpfs(fullDisk)) { mounted = fullDisk; }
  // Run as root, sshd wants its privilege separation directory (Debian's service makes it at boot).
  if (process.getuid?.() === 0 && !fs.existsSync("/run/sshd")) { fs.mkdirSync("/run/sshd", { mode: 0o755 }); }
  const port = await childServerPort();
  const config = path.join(base, "sshd_config");
  fs.writeFileSync(config, [
    `Port ${port}`, "ListenAddress 127.0.0.1", `HostKey ${hostKey}`, `PidFile ${path.join(base, "sshd.pid")}`,
    `AuthorizedKeysFile ${authorized}`, "PasswordAuthentication no", "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", "UsePAM no", "StrictModes no",
    "Subsystem sftp internal-sftp", "LogLevel ERROR", "MaxStartups 50", "MaxSessions 50", "",
  ].join("\n"));
  child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c) => { stderr += c; });
  await waitForPort(port, () => stderr);
  const user = os.userInfo().username;
  return {
    port, user, clientKey: fs.readFileSync(clientKey, "utf8"), hostFingerprint: fingerprint(`${hostKey}.pub`),
    root, fullDisk: mounted,
    reset() {
      for (const dir of [root, mounted].filter(Boolean) as string[]) {
        for (const entry of fs.readdirSync(dir)) { fs.rmSync(path.join(dir, entry), { recursive: true, force: true }); }
      }
    },
  };
}

async function waitForPort(port: number, stderr: () => string): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child?.exitCode !== null) { throw new Error(`sshd exited: ${stderr()}`); }
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (open) { return; }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen: ${stderr()}`);
}

/** The suite's sshd, started on first use. */
export function sharedSshd(): Promise<Sshd> {
  if (!started) { started = start(); }
  return started;
}

export async function stopSshd(): Promise<void> {
  if (!started) { return; }
  started = undefined;
  await stopChild(child);
  child = undefined;
  if (mounted) {
    try { execFileSync("umount", [mounted], { stdio: "ignore" }); } catch { /* already gone */ }
    mounted = undefined;
  }
  if (base) { fs.rmSync(base, { recursive: true, force: true }); }
  base = undefined;
}

if (typeof after === "function") { after(stopSshd); }
