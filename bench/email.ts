// Part "email": one large CSV push delivered by the whole hub (compiled, a child process) to the
// `email` integration, which sends it as an attachment over SMTP (STARTTLS, AUTH) to a real
// smtp-server in the bench process. The server parses the message as a stream (mailparser)
// and hashes the decoded attachment, so the check is on the bytes that arrived, not the wire.
// Measures time and the hub's peak RSS.
import { createHash } from "crypto";
import { MailParser } from "mailparser";
import * as net from "net";
import { SMTPServer } from "smtp-server";
import { testCertificate } from "../test/fakes/smtp_server";
import { sender } from "./deliveries";
import { probeStatus, procMemory, startHub } from "./hub_process";
import { numbers, Part } from "./part";
import { csvSha256 } from "./payloads";
import { fmt, MB, MiB } from "./results";

interface Arrived { sha256: string; bytes: number; filename?: string; }

/** An SMTP server that keeps nothing: each attachment is hashed as it is decoded. */
async function countingSmtp(): Promise<{ port: number; arrived: Arrived[]; stop(): Promise<void> }> {
  const tls = testCertificate();
  const arrived: Arrived[] = [];
  const server = new SMTPServer({
    key: tls.key, cert: tls.cert, logger: false, size: 0,
    onAuth: (auth, _session, cb) => auth.username === "bench" && auth.password === "bench"
      ? cb(null, { user: "bench" }) : cb(new Error("refused")),
    onData: (stream, _session, callback) => {
      const parser = new MailParser();
      parser.on("data", (part: any) => {
        if (part.type !== "attachment") { return; }
        const hash = createHash("sha256");
        let bytes = 0;
        part.content.on("data", (c: Buffer) => { hash.update(c); bytes += c.length; });
        part.content.on("end", () => {
          arrived.push({ sha256: hash.digest("hex"), bytes, filename: part.filename });
          part.release();
        });
      });
      parser.on("end", () => callback());
      parser.on("error", (err: Error) => callback(err));
      stream.pipe(parser);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    port: (server.server.address() as net.AddressInfo).port, arrived,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}


export const emailPart: Part = {
  name: "email", title: "Email: one large attachment over SMTP through the whole hub", needsBuild: true,
  async run(ctx) {
    const lines = [
      "| CSV size | HTTP | wall time | throughput | hub RSS before | hub peak RSS | worst GET /status | " +
        "attachment arrived intact | target < 150 MB |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const mib of numbers(ctx.option("mb", "50,500"))) {
      const smtp = await countingSmtp();
      const hub = await startHub(ctx.root, { env: {
        SMTP_URL: `smtp://bench:bench@127.0.0.1:${smtp.port}`, EMAIL_FROM: "bench@example.com",
        SMTP_CA_CERTIFICATE: testCertificate().cert, EMAIL_MAX_ATTACHMENT_BYTES: "2G",
      } });
      try {
        const expected = csvSha256(mib);
        const before = procMemory(hub.pid, "VmRSS");
        const probe = probeStatus(hub.url);
        const fields = JSON.stringify({
          data: {}, form_params: { to: "ada@example.com", filename: "bench" },
          scheduled_plan: { title: "Bench", type: "Look", url: "https://looker.example.com/looks/1" },
        });
        const result = await sender("push", [hub.url, hub.key, String(mib), "email", fields]).message;
        const { worstMs, probes } = await probe.stop();
        const peak = hub.peakRss();
        const got = smtp.arrived[smtp.arrived.length - 1];
        const same = !!got && got.sha256 === expected && got.bytes === result.csvBytes && got.filename === "bench.csv";
        const ok = result.status === 200 && /"success":true/.test(result.answer);
        const line = `| ${fmt(result.csvBytes / MiB)} MiB | ${result.status}${ok ? "" : ` ${result.answer.slice(0, 100)}`} | ` +
          `${fmt(result.ms / 1000, 2)} s | ${fmt(result.csvBytes / MiB / (result.ms / 1000))} MiB/s | ` +
          `${fmt(before / MB)} MB | ${fmt(peak / MB)} MB | ${fmt(worstMs, 1)} ms (${probes} probes) | ` +
          `${same ? "yes" : `no (${got?.bytes ?? 0} of ${result.csvBytes} bytes)`} | ` +
          `${peak < 150 * MB ? "met" : "**not met**"} |`;
        ctx.say(line);
        lines.push(line);
      } finally {
        await hub.stop();
        await smtp.stop();
      }
    }
    return [
      "The hub (one worker, production mode) gets an execute with a push CSV attachment from a sender process,",
      "spools it (counting its size for the attach-or-link rule), reads the first rows back for the body, and",
      "sends it with nodemailer over STARTTLS with AUTH (hub-wide SMTP_URL, SMTP_CA_CERTIFICATE trusting the",
      "bench's self-signed certificate, EMAIL_MAX_ATTACHMENT_BYTES=2G) to smtp-server in the bench process,",
      "which decodes the MIME as a stream and hashes the attachment. Peak RSS is the hub's VmHWM.",
      "Target (issue 17): a 500 MB result through SMTP with the hub's peak RSS under 150 MB.",
      "",
      ...lines,
    ].join("\n");
  },
};
