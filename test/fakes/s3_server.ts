// An S3-compatible server for the S3 and Spaces tests and the bench: s3rver (in this process,
// data in a temporary directory), with its one key pair. s3rver itself checks only the key ID of
// a SigV4 request; s3_signature.ts checks the signature, so a wrong secret is refused as AWS
// refuses it (403 SignatureDoesNotMatch with AWS's XML error body). Started once per suite on
// first use and stopped by the root `after` hook.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FaultProxy } from "./fault_proxy";
import { signatureProblem } from "./s3_signature";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require("s3rver/lib/models/error");

/** s3rver's fixed credentials. */
export const S3_KEY_ID = "S3RVER";
export const S3_SECRET = "S3RVER";

export interface S3Server {
  port: number;
  url: string;
  directory: string;
  /** Names of the objects in `bucket` (from the server's own store on disk). */
  keys(bucket: string): string[];
  bytes(bucket: string, key: string): Buffer | undefined;
  /** The Content-Type the object was stored with. */
  contentType(bucket: string, key: string): string | undefined;
  createBucket(name: string): Promise<void>;
  /** Multipart uploads begun and neither completed nor aborted. */
  pendingUploads(bucket: string): string[];
  /** Removes a multipart upload's parts, as AbortMultipartUpload does (s3rver lacks it). */
  abortUpload(bucket: string, uploadId: string): boolean;
}

let started: Promise<S3Server> | undefined;
let server: any;
let dir: string | undefined;

async function start(): Promise<S3Server> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-s3rver-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir });
  // Before the router (the last middleware), so every route is checked; s3rver renders the
  // S3Error as AWS does (XML, its status: 403).
  server.middleware.splice(server.middleware.length - 1, 0, async (ctx: any, next: () => Promise<void>) => {
    const problem = signatureProblem(ctx.req, (keyId) => keyId === S3_KEY_ID ? S3_SECRET : undefined);
    if (problem) {
      throw new S3Error(problem.code, problem.message, { ...problem.detail,
        RequestId: crypto.randomBytes(8).toString("hex").toUpperCase(),
        HostId: crypto.randomBytes(24).toString("base64") });
    }
    await next();
  });
  const info = await server.run();
  const directory = dir;
  const bucketDir = (bucket: string) => path.join(directory, bucket);
  const walk = (root: string, prefix = ""): string[] => {
    if (!fs.existsSync(root)) { return []; }
    const out: string[] = [];
    for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) { out.push(...walk(path.join(root, entry.name), rel)); }
      else if (entry.name.endsWith("._S3rver_object")) { out.push(rel.replace(/\._S3rver_object$/, "")); }
    }
    return out;
  };
  return {
    port: info.port, url: `http://127.0.0.1:${info.port}`, directory,
    keys: (bucket) => walk(bucketDir(bucket)).sort(),
    bytes: (bucket, key) => {
      const file = path.join(bucketDir(bucket), `${key}._S3rver_object`);
      return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    },
    contentType: (bucket, key) => {
      const file = path.join(bucketDir(bucket), `${key}._S3rver_metadata.json`);
      return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8"))["content-type"] : undefined;
    },
    createBucket: (name) => server.store.putBucket(name),
    pendingUploads: (bucket) => {
      const uploads = path.join(bucketDir(bucket), "._S3rver_uploads");
      return fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    },
    abortUpload: (bucket, uploadId) => {
      const upload = path.join(bucketDir(bucket), "._S3rver_uploads", path.basename(uploadId));
      if (!fs.existsSync(upload)) { return false; }
      fs.rmSync(upload, { recursive: true, force: true });
      return true;
    },
  };
}

/** The suite's S3-compatible server, started on first use. */
export function sharedS3Server(): Promise<S3Server> {
  if (!started) { started = start(); }
  return started;
}

export async function stopS3Server(): Promise<void> {
  if (!started) { return; }
  started = undefined;
  await server?.close();
  server = undefined;
  if (dir) { fs.rmSync(dir, { recursive: true, force: true }); }
  dir = undefined;
}

if (typeof after === "function") { after(stopS3Server); }

/**
 * A FaultProxy in front of the server that also answers AbortMultipartUpload (which s3rver
 * lacks) by removing the upload's parts from the server's store; stopped by the caller.
 */
export async function s3FaultProxy(s3: S3Server): Promise<FaultProxy> {
  const proxy = await new FaultProxy(s3.port).start();
  proxy.intercept = (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method !== "DELETE" || !url.searchParams.has("uploadId")) { return false; }
    const bucket = url.pathname.split("/")[1];
    const found = s3.abortUpload(bucket, url.searchParams.get("uploadId")!);
    proxy.aborted.push(url.pathname);
    res.writeHead(found ? 204 : 404);
    res.end();
    return true;
  };
  return proxy;
}
