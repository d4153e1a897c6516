// bench/RESULTS.md is made of one section per part, each between HTML comment markers, so a
// run of one part rewrites that part's section and keeps the others (and any text outside them).
import { execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const MiB = 1024 * 1024;
/** Memory is given in MB (10^6 bytes), as the targets are: "under 150 MB". */
export const MB = 1000 * 1000;

const loads = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

function cpuModel(): string {
  const model = (os.cpus()[0]?.model ?? "").trim();
  if (model) { return model; }
  try {
    return execSync("lscpu", { encoding: "utf8" }).match(/Model name:\s*(.+)/)?.[1]?.trim() ?? "unknown CPU";
  } catch {
    return "unknown CPU";
  }
}

/** What a section says about where and when it was measured; call `end()` when the part is done. */
export function machineNote(command: string): { end(): string } {
  const started = new Date();
  const loadAtStart = loads();
  return {
    end: () => {
      return [
        `Command: \`${command}\`  `,
        `Date: ${started.toISOString()} (${fmt((Date.now() - started.getTime()) / 1000)} s)  `,
        `Machine: nproc ${os.availableParallelism()}, ${cpuModel()}, ${fmt(os.totalmem() / 1024 ** 3)} GiB RAM, ` +
          `node ${process.version}, ${os.type()} ${os.release()}  `,
        // The benchmark's own processes (hub, load generator, fake vendor) count in the load.
        `Load average (1, 5, 15 min): ${loadAtStart} at start, ${loads()} at end.`,
      ].join("\n");
    },
  };
}

const begin = (part: string) => `<!-- bench:${part} begin -->`;
const finish = (part: string) => `<!-- bench:${part} end -->`;

/**
 * Puts `text` as the section of `part` in `file`: in place of the old one when there is one,
 * else after the last section (or at the end of the file).
 */
export function writeSection(file: string, part: string, text: string): void {
  const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmark results\n";
  const section = `${begin(part)}\n${text.trim()}\n${finish(part)}`;
  const from = old.indexOf(begin(part));
  const to = old.indexOf(finish(part));
  let next: string;
  if (from >= 0 && to > from) {
    next = old.slice(0, from) + section + old.slice(to + finish(part).length);
  } else {
    const last = old.lastIndexOf(" end -->");
    const at = last >= 0 ? last + " end -->".length : old.length;
    next = old.slice(0, at) + (last >= 0 ? "\n\n" : "\n") + section + old.slice(at);
  }
  fs.writeFileSync(file, next.replace(/\n*$/, "\n"));
}
