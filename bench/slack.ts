// Part "slack": one large CSV push delivered by the whole hub (compiled, a child process) to
// the Slack integration, which uploads it to the fake Slack Web API (test/fakes/slack_api.ts)
// running in the bench process. Measures time and the hub's peak RSS, and checks that Slack
// received exactly the bytes that were sent (SHA-256 and length).
import { FakeSlack } from "../test/fakes/slack_api";
import { sender } from "./deliveries";
import { procMemory, probeStatus, startHub } from "./hub_process";
import { numbers, Part } from "./part";
import { csvSha256 } from "./payloads";
import { fmt, MB, MiB } from "./results";


export const slackPart: Part = {
  name: "slack", title: "Slack: one large file delivery through the whole hub", needsBuild: true,
  async run(ctx) {
    const lines = [
      "| CSV size | HTTP | wall time | throughput | hub RSS before | hub peak RSS | worst GET /status | Slack got the same bytes | target < 150 MB |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ];
    for (const mib of numbers(ctx.option("mb", "50,500"))) {
      const fake = await new FakeSlack().start();
      fake.keepBytesUpTo = 0;
      const hub = await startHub(ctx.root, { env: { SLACK_API_URL: fake.apiUrl } });
      try {
        const expected = csvSha256(mib);
        const before = procMemory(hub.pid, "VmRSS");
        const probe = probeStatus(hub.url);
        const fields = JSON.stringify({
          data: { slack_api_token: fake.token },
          form_params: { channelType: "manual", channel: "C0BENCH01", filename: "bench" },
          scheduled_plan: { title: "Bench", url: "https://looker.example.com/looks/1" },
        });
        const result = await sender("push", [hub.url, hub.key, String(mib), "slack", fields]).message;
        const { worstMs, probes } = await probe.stop();
        const peak = hub.peakRss();
        const upload = fake.uploads[fake.uploads.length - 1];
        const same = !!upload && upload.sha256 === expected && upload.bytes === result.csvBytes;
        const ok = result.status === 200 && /"success":true/.test(result.answer);
        const line = `| ${fmt(result.csvBytes / MiB)} MiB | ${result.status}${ok ? "" : ` ${result.answer.slice(0, 100)}`} | ` +
          `${fmt(result.ms / 1000, 2)} s | ${fmt(result.csvBytes / MiB / (result.ms / 1000))} MiB/s | ` +
          `${fmt(before / MB)} MB | ${fmt(peak / MB)} MB | ${fmt(worstMs, 1)} ms (${probes} probes) | ` +
          `${same ? "yes" : `no (${upload?.bytes ?? 0} of ${result.csvBytes} bytes)`} | ` +
          `${peak < 150 * MB ? "met" : "**not met**"} |`;
        ctx.say(line);
        lines.push(line);
      } finally {
        await hub.stop();
        await fake.stop();
      }
    }
    return [
      "The hub (one worker, production mode) gets an execute with a push CSV attachment from a sender process,",
      "spools it, and uploads it through files.getUploadURLExternal, a streamed POST to the upload URL and",
      "files.completeUploadExternal to the fake Slack in the bench process. Peak RSS is the hub's VmHWM.",
      "Target (issue 5): a 500 MB delivery with the hub's RSS under 150 MB.",
      "",
      ...lines,
    ].join("\n");
  },
};
