// Part "storage": one large CSV (1 GiB by default) through the whole hub (compiled, a child
// process) to each storage destination, pushed in the execute body and through a download_url,
// against the servers the tests use: s3rver (amazon_s3), Azurite (azure_storage), the GCS fake
// (google_cloud_storage) and OpenSSH's sshd (sftp). Beside each, the same server's speed for a
// direct copy of the same bytes without the hub (the vendor SDK, curl or scp from this process),
// so the figure says how close the hub gets to the storage's own limit. Checks the stored size.
import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { azureBlobService } from "../src/lib/object_stores/azure_blob";
import { AZURITE_ACCOUNT, AZURITE_KEY, sharedAzurite, stopAzurite } from "../test/fakes/azurite";
import { FakeGcs } from "../test/fakes/gcs_api";
import { S3_KEY_ID, S3_SECRET, sharedS3Server, stopS3Server } from "../test/fakes/s3_server";
import { sharedSshd, stopSshd } from "../test/fakes/sshd";
import { sender } from "./deliveries";
import { readAnswer, startHub } from "./hub_process";
import { Part } from "./part";
import { CSV_HEADER, csvBlock, csvPlan } from "./payloads";
import { fmt, MB, MiB } from "./results";

interface Store {
  integration: string;
  env: Record<string, string>;
  fields: (name: string) => Record<string, unknown>;
  /** Bytes stored under `name` (0 when missing). */
  size: (name: string) => Promise<number>;
  /** A direct copy of `file` to the same server, without the hub. */
  direct: (file: string, name: string) => Promise<void>;
  stop: () => Promise<void>;
}

async function s3Store(): Promise<Store> {
  const s3 = await sharedS3Server();
  await s3.createBucket("bench-bucket");
  const client = new S3Client({ region: "us-east-1", endpoint: s3.url, forcePathStyle: true,
    credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: S3_SECRET } });
  return {
    integration: "amazon_s3", env: { AWS_S3_ENDPOINT: s3.url },
    fields: (name) => ({ data: { access_key_id: S3_KEY_ID, secret_access_key: S3_SECRET, region: "us-east-1" },
      form_params: { bucket: "bench-bucket", filename: name } }),
    size: async (name) => fs.statSync(path.join(s3.directory, "bench-bucket", `${name}._S3rver_object`),
      { throwIfNoEntry: false })?.size ?? 0,
    direct: async (file, name) => {
      await new Upload({ client, params: { Bucket: "bench-bucket", Key: name, Body: fs.createReadStream(file) },
        partSize: 8 * MiB, queueSize: 4 }).done();
    },
    stop: stopS3Server,
  };
}

async function azureStore(): Promise<Store> {
  const azurite = await sharedAzurite();
  const service = azureBlobService({ account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY,
    blobUrlTemplate: azurite.blobUrlTemplate });
  const container = service.getContainerClient("bench-container");
  await container.createIfNotExists();
  return {
    integration: "azure_storage", env: { AZURE_STORAGE_BLOB_URL: azurite.blobUrlTemplate },
    fields: (name) => ({ data: { account: AZURITE_ACCOUNT, accessKey: AZURITE_KEY },
      form_params: { container: "bench-container", filename: name } }),
    size: async (name) => {
      const blob = container.getBlobClient(name);
      return await blob.exists() ? (await blob.getProperties()).contentLength ?? 0 : 0;
    },
    direct: async (file, name) => {
      await container.getBlockBlobClient(name).uploadStream(fs.createReadStream(file), 8 * MiB, 4);
    },
    stop: stopAzurite,
  };
}

async function gcsStore(): Promise<Store> {
  const gcs = await new FakeGcs().start();
  gcs.buckets = ["bench-bucket"];
  return {
    integration: "google_cloud_storage", env: { GCS_API_URL: gcs.url, GOOGLE_OAUTH_TOKEN_URL: gcs.tokenUrl },
    fields: (name) => ({ data: { client_email: gcs.clientEmail, private_key: gcs.privateKeyPem,
      project_id: gcs.projectId }, form_params: { bucket: "bench-bucket", filename: name } }),
    size: async (name) => gcs.object("bench-bucket", name)?.size ?? 0,
    direct: async (file, name) => {
      // The fake's own limit: one session, the whole file in a single PUT with curl.
      const token = `ya29.bench-${Date.now()}`;
      gcs.minted.add(token);
      const session = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${gcs.url}/upload/storage/v1/b/bench-bucket/o?uploadType=resumable&name=` +
          encodeURIComponent(name), { method: "POST", headers: { authorization: `Bearer ${token}` } },
        (res) => { res.resume(); resolve(String(res.headers.location)); });
        req.on("error", reject);
        req.end("{}");
      });
      const size = fs.statSync(file).size;
      // Asynchronously: the fake answers from this process's event loop.
      await run("curl", ["-sS", "-X", "PUT", "-T", file, "-H", `Content-Range: bytes 0-${size - 1}/${size}`,
        "-o", "/dev/null", session]);
    },
    stop: () => gcs.stop(),
  };
}

async function sftpStore(): Promise<Store> {
  const sshd = await sharedSshd();
  const keyFile = path.join(os.tmpdir(), `bench-sftp-key-${process.pid}`);
  fs.writeFileSync(keyFile, sshd.clientKey, { mode: 0o600 });
  return {
    integration: "sftp", env: { PRIVATE_URL_ALLOWLIST: "127.0.0.1" },
    fields: (name) => ({ data: { sftp_private_key: sshd.clientKey, sftp_host_key_fingerprint: sshd.hostFingerprint },
      form_params: { address: `sftp://127.0.0.1:${sshd.port}${sshd.root}/`, username: sshd.user, filename: name } }),
    size: async (name) => fs.statSync(path.join(sshd.root, name), { throwIfNoEntry: false })?.size ?? 0,
    direct: async (file, name) => {
      await run("scp", ["-q", "-i", keyFile, "-P", String(sshd.port), "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", file,
        `${sshd.user}@127.0.0.1:${sshd.root}/${name}`]);
    },
    stop: async () => { fs.rmSync(keyFile, { force: true }); await stopSshd(); },
  };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(command, args, (err) => err ? reject(err) : resolve()));
}

const STORES: Record<string, () => Promise<Store>> = { s3: s3Store, azure: azureStore, gcs: gcsStore, sftp: sftpStore };

/** The CSV bench/sender.ts sends, as a file, for the direct copies. */
function csvFile(mib: number): { file: string; bytes: number } {
  const file = path.join(os.tmpdir(), `bench-storage-${process.pid}.csv`);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, CSV_HEADER);
  const block = Buffer.from(csvBlock());
  for (let i = 0; i < csvPlan(mib).blocks; i++) { fs.writeSync(fd, block); }
  fs.closeSync(fd);
  return { file, bytes: fs.statSync(file).size };
}

function executeUrl(hubUrl: string, key: string, integration: string, fields: Record<string, any>, url: string) {
  const body = JSON.stringify({ type: "query", ...fields, form_params: { ...fields.form_params, format: "csv" },
    scheduled_plan: { title: "bench", download_url: url } });
  return new Promise<{ status: number; answer: string }>((resolve, reject) => {
    const req = http.request(`${hubUrl}/actions/${integration}/execute`, { method: "POST",
      headers: { "Authorization": `Token token="${key}"`, "Content-Type": "application/json" } },
    (res) => readAnswer(res).then(({ body: answer }) => resolve({ status: res.statusCode ?? 0, answer }), reject));
    req.on("error", reject);
    req.end(body);
  });
}

export const storagePart: Part = {
  name: "storage", title: "Storage: a large file to each store, push and download_url", needsBuild: true,
  async run(ctx) {
    const mib = Number(ctx.option("mib", "1024"));
    const names = ctx.option("stores", "s3,azure,gcs,sftp").split(",");
    const lines = [
      "| store | delivery | wall time | throughput | direct copy (same server) | hub peak RSS | stored size right | target < 150 MB |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    const { file, bytes } = csvFile(mib);
    try {
      for (const name of names) {
        const store = await STORES[name]();
        try {
          const started = Date.now();
          await store.direct(file, "direct.csv");
          const directMibs = bytes / MiB / ((Date.now() - started) / 1000);
          for (const mode of ["push", "url"] as const) {
            const hub = await startHub(ctx.root, { env: { ...store.env, LOG_LEVEL: "warn" } });
            const target = `${mode}.csv`;
            try {
              const t0 = Date.now();
              let status: number;
              let answer: string;
              if (mode === "push") {
                const result = await sender("push", [hub.url, hub.key, String(mib), store.integration,
                  JSON.stringify(store.fields(target))]).message;
                ({ status, answer } = result);
              } else {
                const source = sender("serve", [String(mib)]);
                try {
                  const served = await source.message;
                  ({ status, answer } = await executeUrl(hub.url, hub.key, store.integration, store.fields(target),
                    `http://127.0.0.1:${served.port}/download/once`));
                } finally {
                  source.child.kill();
                }
              }
              const seconds = (Date.now() - t0) / 1000;
              const stored = await store.size(target);
              const peak = hub.peakRss();
              const ok = status === 200 && /"success":true/.test(answer);
              const line = `| ${store.integration} | ${mode === "push" ? "push" : "download_url"} ${fmt(bytes / MiB)} MiB | ` +
                `${fmt(seconds, 1)} s${ok ? "" : ` (FAILED: ${answer.trim().slice(0, 100)})`} | ` +
                `${fmt(bytes / MiB / seconds)} MiB/s | ${fmt(directMibs)} MiB/s | ${fmt(peak / MB)} MB | ` +
                `${stored === bytes ? "yes" : `no (${stored} of ${bytes})`} | ${peak < 150 * MB ? "met" : "**not met**"} |`;
              ctx.say(line);
              lines.push(line);
            } finally {
              await hub.stop();
            }
          }
        } finally {
          await store.stop();
        }
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
    return [
      "The hub (one worker, production mode) gets an execute with the CSV pushed in the body (from a sender",
      "process) or at a download_url (served by a helper process) and streams it to the store; the servers run",
      "in the bench process (s3rver, the GCS fake) or as its children (Azurite, sshd). \"Direct copy\" is the",
      "same bytes sent to the same server from the bench process without the hub: the S3 and Azure SDKs",
      "(8 MiB parts, 4 in flight), curl (one PUT to a GCS session), scp. Peak RSS is the hub's VmHWM.",
      "Target (issue 13): peak RSS under 150 MB.",
      "",
      ...lines,
    ].join("\n");
  },
};
