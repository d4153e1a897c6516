// Writes a stream to an SFTP server with ssh2: under a temporary name in the target folder,
// renamed to the final name only when every byte arrived (so a reader never sees half a file),
// the temporary file removed when anything fails. The server's host key is checked against the
// admin's fingerprint when one is set. Failures become sentences naming what to fix.
import * as crypto from "crypto";
import { Readable } from "stream";
import { pipeline } from "stream/promises";
import { Client, ConnectConfig, SFTPWrapper } from "ssh2";
import { RetryableError, UserError } from "../../lib/errors";
import { currentSignal } from "../../lib/abort_scope";
import { Logger } from "../../lib/logger";
import { watchdog } from "../../lib/object_stores/watchdog";
import { networkError, networkFailure } from "../../lib/network_errors";
import { countBytes } from "../../lib/object_stores/store_errors";
import { hostKeyFingerprint } from "./sftp_address";
import { SftpFileWriter } from "./sftp_writer";

export interface SftpTarget {
  /** The address connected to (already checked by the URL guard). */
  address: string;
  port: number;
  directory: string;
  fileName: string;
  username: string;
  password?: string;
  privateKey?: string;
  /** `SHA256:...`: the only host key accepted, when set. */
  fingerprint?: string;
  timeoutMs?: number;
  /** Longest wait for the answer to any request once connected (HTTP_TOTAL_TIMEOUT_SECONDS); default 15 minutes. */
  totalTimeoutMs?: number;
}

// SFTP status codes (draft-ietf-secsh-filexfer-02).
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const FAILURE = 4;

class HostKeyMismatch extends UserError {}

/** Connects and logs in, the host key checked against the admin's fingerprint; the client, ready. */
async function connected(target: SftpTarget): Promise<Client> {
  const client = new Client();
  let presented: string | undefined;
  const config: ConnectConfig = {
    host: target.address, port: target.port, username: target.username, password: target.password || undefined,
    privateKey: target.privateKey || undefined, readyTimeout: target.timeoutMs ?? 20_000, keepaliveInterval: 15_000,
    hostVerifier: (key: Buffer) => {
      presented = hostKeyFingerprint(key);
      return !target.fingerprint || presented === target.fingerprint;
    },
  };
  try {
    await connect(client, config);
    return client;
  } catch (err) {
    client.end();
    if (target.fingerprint && presented && presented !== target.fingerprint) {
      throw new HostKeyMismatch(`The SFTP server in "Address" presented the host key ${presented}, not the expected ` +
        `${target.fingerprint}: nothing was sent. If the server's key was changed on purpose, update the "Host key ` +
        "fingerprint\" setting; otherwise someone may be intercepting the connection.");
    }
    throw connectProblem(err, target);
  }
}

/**
 * A dry run's check (docs/dry_run.md): connects, logs in and reads the folder's attributes (stat),
 * writing nothing. Whether the user may write there is not proven: only a write would prove it.
 */
export async function sftpCheck(target: SftpTarget): Promise<void> {
  const client = await connected(target);
  const limitMs = target.totalTimeoutMs ?? 900_000;
  const dog = watchdog(limitMs, () => tooSlow(limitMs), currentSignal());
  dog.signal.addEventListener("abort", () => client.destroy(), { once: true });
  try {
    const sftp = await dog.guard(new Promise<SFTPWrapper>((resolve, reject) =>
      client.sftp((e, s) => e ? reject(e) : resolve(s))));
    const stats = await dog.guard(new Promise<{ isDirectory(): boolean }>((resolve, reject) =>
      sftp.stat(target.directory || ".", (e, found) => e ? reject(e) : resolve(found))));
    if (!stats.isDirectory()) {
      throw new UserError("The folder in \"Address\" is a file on the SFTP server, not a folder. Fix the folder in " +
        "the address.", { address: "Not a folder on the server." });
    }
  } catch (err) {
    if (err instanceof UserError) { throw err; }
    const code = (err as { code?: unknown }).code;
    if (code === PERMISSION_DENIED) {
      throw new UserError("The user in \"Username\" may not read the folder in \"Address\". Give the user access to " +
        "that folder, or choose another one.");
    }
    throw typeof code === "number" ? fileProblem(err, "write") : connectProblem(err, target);
  } finally {
    dog.stop();
    client.end();
  }
}

/** Connects, writes `body` to `directory/fileName` through a temporary name; answers the bytes. */
export async function sftpUpload(
  target: SftpTarget, body: Readable, logger?: Logger,
): Promise<{ bytes: number; path: string }> {
  const client = await connected(target);
  let closed = false;
  client.once("close", () => { closed = true; });
  const finalPath = `${target.directory}${target.fileName}`;
  const tempPath = `${target.directory}.${target.fileName}.${crypto.randomBytes(6).toString("hex")}.part`;
  // Every SFTP request must be answered within the deadline (ssh2 has no timeout once connected, and
  // its keep-alives pass while a server sits on a request); the delivery's end stops it too.
  const limitMs = target.totalTimeoutMs ?? 900_000;
  const dog = watchdog(limitMs, () => tooSlow(limitMs), currentSignal());
  dog.signal.addEventListener("abort", () => client.destroy(), { once: true });
  let sftp: SFTPWrapper | undefined;
  try {
    sftp = await dog.guard(new Promise<SFTPWrapper>((resolve, reject) =>
      client.sftp((e, s) => e ? reject(e) : resolve(s))));
    dog.kick();
    const counted = countBytes(body);
    try {
      await dog.guard(write(client, sftp, tempPath, counted.stream, () => dog.kick()));
    } catch (err) {
      throw counted.sourceError() ?? await writeProblem(sftp, err, target.directory);
    }
    await dog.guard(replace(sftp, tempPath, finalPath))
      .catch((err) => { throw err instanceof UserError ? err : fileProblem(err, "rename"); });
    logger?.debug("sftp file written", { bytes: counted.bytes() });
    return { bytes: counted.bytes(), path: finalPath };
  } catch (err) {
    if (sftp && !closed && !dog.signal.aborted) { await removeQuietly(sftp, tempPath); }
    if (err instanceof UserError) { throw err; }
    throw connectProblem(err, target);
  } finally {
    dog.stop();
    client.end();
  }
}

/** Removes `path`, giving up after a few seconds (the connection may be half gone). */
function removeQuietly(sftp: SFTPWrapper, path: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5000);
    try {
      sftp.unlink(path, () => { clearTimeout(timer); resolve(); });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

function connect(client: Client, config: ConnectConfig): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once("ready", () => resolve());
    // ssh2 may emit more than one error (a timeout, then the lost connection): each must have a listener.
    client.on("error", reject);
    client.once("close", () => reject(Object.assign(new Error("connection closed"), { code: "ECONNRESET" })));
    client.connect(config);
  });
}

/** The server sat on a request past the deadline. */
function tooSlow(ms: number): RetryableError {
  return new RetryableError(`The SFTP server in "Address" did not answer a request within ${Math.round(ms / 1000)} ` +
    "seconds, the time the hub allows (HTTP_TOTAL_TIMEOUT_SECONDS), so the connection was closed. Nothing was " +
    "written under the file's name (a temporary .part file may remain in the folder). Try again later.");
}

/**
 * Writes `source` to a new file at `path`, many requests in flight; fails when the connection
 * closes. `answered` is called at each answer of the server.
 */
async function write(
  client: Client, sftp: SFTPWrapper, path: string, source: Readable, answered: () => void,
): Promise<void> {
  const handle = await new Promise<Buffer>((resolve, reject) =>
    sftp.open(path, "w", 0o644, (err, h) => err ? reject(err) : resolve(h)));
  answered();
  const writer = new SftpFileWriter(sftp, handle);
  writer.on("answer", answered);
  const onClose = () => writer.fail(Object.assign(new Error("connection closed"), { code: "ECONNRESET" }));
  client.once("close", onClose);
  try {
    await pipeline(source, writer);
  } finally {
    client.off("close", onClose);
  }
  // Closing is where some servers report a failed flush (a full disk on close).
  await new Promise<void>((resolve, reject) => sftp.close(handle, (err) => err ? reject(err) : resolve()));
}

/** Moves the finished file over the final name: atomically where the server can (posix-rename). */
async function replace(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  const call = (fn: (cb: (err?: Error | null) => void) => void) =>
    new Promise<void>((resolve, reject) => fn((err) => err ? reject(err) : resolve()));
  try {
    await call((cb) => sftp.ext_openssh_rename(from, to, cb));
    return;
  } catch (err) {
    if ((err as { code?: unknown }).code !== undefined) { throw err; }
    // The server lacks the extension (thrown before any request): a plain rename, which refuses to replace.
  }
  await call((cb) => sftp.unlink(to, () => cb()));
  await call((cb) => sftp.rename(from, to, cb));
}

// The messages name the settings, not their values: a failure's message is logged, and the host,
// folder and user are what a person typed.
function fileProblem(err: unknown, what: "write" | "rename"): UserError {
  const code = (err as { code?: unknown }).code;
  if (code === NO_SUCH_FILE) {
    return new UserError("The folder in \"Address\" does not exist on the SFTP server. Create it, or fix the " +
      "folder in the address.", { address: "This folder does not exist on the server." });
  }
  if (code === PERMISSION_DENIED) {
    const action = what === "write" ? "create files" : "rename files";
    return new UserError(`The user in "Username" may not ${action} in the folder in "Address". Give the user ` +
      "write permission on that folder, or choose another one.");
  }
  return new UserError(`The SFTP server in "Address" could not ${what} the file in its folder` +
    `${typeof code === "number" ? ` (SFTP status ${code})` : ""}.`);
}

/** A failed write; a server failure with (almost) no space left is said to be a full disk. */
async function writeProblem(sftp: SFTPWrapper, err: unknown, directory: string): Promise<UserError> {
  const code = (err as { code?: unknown }).code;
  if (code === FAILURE) {
    const free = await new Promise<number | undefined>((resolve) => {
      try {
        sftp.ext_openssh_statvfs(directory, (e, info) =>
          resolve(e || !info ? undefined : Number(info.f_bavail) * Number(info.f_frsize || info.f_bsize)));
      } catch {
        resolve(undefined);
      }
    });
    if (free === undefined || free < 1024 * 1024) {
      return new UserError("The SFTP server in \"Address\" ran out of space (its disk is full or the user's quota " +
        "is used up) while writing the file; the partial file was removed. Free space on the server and send again.");
    }
  }
  if (code !== undefined && typeof code === "number") { return fileProblem(err, "write"); }
  return connectProblem(err);
}

function connectProblem(err: unknown, target?: SftpTarget): UserError {
  if (err instanceof UserError) { return err; }
  const e = err as { code?: string; level?: string; message?: string };
  if (e.level === "client-authentication") {
    const how = target?.privateKey ? "the private key" : "the password";
    return new UserError(`The SFTP server in "Address" refused the login of the user in "Username" with ${how}. ` +
      "Check the username and password (or the key set by your admin).",
      target?.privateKey ? undefined : { password: "The server refused this password." });
  }
  if (e.level === "client-timeout" || e.code === "ETIMEDOUT") {
    return new RetryableError("The SFTP server in \"Address\" did not answer in time. Check the address and port, " +
      "and that the server lets this hub connect.");
  }
  // An HTTP or TLS server on that port (or one that turns this hub away) closes before the SSH handshake.
  if (e.level === "protocol" && /before handshake/i.test(e.message ?? "")) {
    return new UserError("The server in \"Address\" closed the connection before the SSH handshake: it may not " +
      "speak SSH on that port, or it turned this hub away. Check the port in the address (22 unless the server " +
      "says otherwise) and that the server lets this hub connect.");
  }
  const found = networkFailure(err);
  if (found?.kind === "reset" || /closed|No response/i.test(e.message ?? "")) {
    return new RetryableError("The connection to the SFTP server in \"Address\" was cut before the file was " +
      "complete; nothing was written under the file's name. Try again later.");
  }
  // Refused, unreachable, a name that does not resolve: the same words as every other client.
  const network = networkError(err, "The SFTP server in \"Address\"");
  if (network) { return network; }
  // ssh2's own words may quote the host: only its error code is passed on.
  const said = /^[A-Z_]+$/.test(String(e.code ?? "")) ? ` (${e.code})` : "";
  return new UserError(`The SFTP connection to the server in "Address" failed${said}. ` +
    "Check the address and port, and that the server speaks SFTP.");
}
