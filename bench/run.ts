// The bench suite: `npm run bench` runs every part; `npm run bench -- <part> [<part> ...]
// [options]` runs those; `--note "..."` adds a line to each section written (what else ran).
// Figures are only printed unless `--write` is given: then each part rewrites only its own
// section of bench/RESULTS.md (so a run on a busy laptop cannot overwrite the published ones).
// See bench/README.md for the parts, their options and their targets.
import { execSync } from "child_process";
import * as path from "path";
import { adsPart } from "./ads";
import { burstPart } from "./burst";
import { officialPart } from "./official";
import { crmPart } from "./crm";
import { copySpeedPart } from "./push_speed";
import { rowSpeedPart } from "./row_speed";
import { listPart, pushPart, urlPart } from "./deliveries";
import { emailPart } from "./email";
import { loadPart, soakPart } from "./load";
import { parseBenchArgs } from "./args";
import { drivePart, dropboxPart, sheetsPart } from "./oauth_files";
import { BenchContext, Part } from "./part";
import { profileHubsInto } from "./hub_process";
import { machineNote, writeSection } from "./results";
import { rowsPart } from "./rows";
import { segmentPart } from "./segment";
import { slackPart } from "./slack";
import { smallPart } from "./small";
import { startupPart } from "./startup";
import { storagePart } from "./storage";
import { bigqueryPart, postgresPart } from "./warehouse";
import { webhookSpeedPart } from "./webhook_speed";

const ROOT = path.join(__dirname, "..");
const PARTS: Part[] = [
  startupPart, listPart, pushPart, urlPart, rowsPart, slackPart, emailPart, segmentPart, crmPart, adsPart, storagePart,
  loadPart, soakPart, drivePart, dropboxPart, sheetsPart,
  // Issue 19: the distance to the machine's limits, as ratios measured in one run.
  copySpeedPart, rowSpeedPart, burstPart, smallPart,
  // Issue 29: write-back to warehouses.
  postgresPart, bigqueryPart,
  // Issue 30: beside the official hub (needs its checkout; only when named).
  officialPart,
  // Issue 30: bytes at the speed the hub reads them.
  webhookSpeedPart,
];
/** `npm run bench` alone runs these; the 10-minute soak runs only when named. */
const DEFAULT_PARTS = ["startup", "list", "push", "url", "rows", "slack", "email", "segment", "crm", "ads", "storage",
  "load", "drive", "dropbox", "sheets",
  "copyspeed", "rowspeed", "burst", "small", "postgres", "bigquery", "webhookspeed"];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { names, options, write, help } = parseBenchArgs(args);
  if (help) {
    process.stdout.write("npm run bench -- [part ...] [--write] [--note \"...\"] [--<option> <value> ...]\n" +
      "Without a part: every default part, a long run. Options per part: bench/README.md.\n\n" +
      PARTS.map((p) => `  ${p.name.padEnd(13)} ${p.title}${DEFAULT_PARTS.includes(p.name) ? "" : " (only when named)"}`)
        .join("\n") + "\n");
    return;
  }
  const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length) {
    throw new Error(`Unknown part(s): ${unknown.join(", ")}. Parts: ${PARTS.map((p) => p.name).join(", ")}.`);
  }
  const parts = PARTS.filter((p) => (names.length ? names : DEFAULT_PARTS).includes(p.name));
  if (parts.some((p) => p.needsBuild)) {
    process.stdout.write("Building (npm run build)...\n");
    execSync("npm run build", { cwd: ROOT, stdio: "ignore" });
  }
  const profileDir = options.get("cpu-prof");
  if (profileDir) { profileHubsInto(path.resolve(profileDir)); }
  const command = `npm run bench${args.length ? " -- " + args.join(" ") : ""}`;
  const failures: string[] = [];
  const ctx: BenchContext = {
    root: ROOT,
    option: (name, fallback) => options.get(name) ?? fallback,
    say: (line) => process.stdout.write(line + "\n"),
    fail: (reason) => { failures.push(reason); },
  };
  const results = path.join(ROOT, "bench/RESULTS.md");
  for (const part of parts) {
    process.stdout.write(`\n== ${part.name}: ${part.title}\n`);
    const machine = machineNote(command);
    const text = await part.run(ctx);
    const note = options.get("note");
    const section = `## ${part.title}\n\n${machine.end()}${note ? `  \nNote: ${note}` : ""}\n\n${text}\n`;
    if (write) {
      writeSection(results, part.name, section);
      process.stdout.write(`(section "${part.name}" of bench/RESULTS.md written)\n`);
    } else {
      process.stdout.write(`\n${section}\n(printed only: \`--write\` puts it in bench/RESULTS.md)\n`);
    }
  }
  if (failures.length) {
    process.stderr.write(`\nTargets not met:\n${failures.map((f) => `- ${f}`).join("\n")}\n`);
    process.exit(1);
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
