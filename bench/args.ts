// The bench command line: part names, `--name value` options, and whether to write
// bench/RESULTS.md (`--write`; without it the figures are only printed).

const ALIASES: Record<string, string> = { download: "url" };

export interface BenchArgs {
  names: string[];
  options: Map<string, string>;
  /** True only with `--write` (`--no-write`, the default, is accepted too). */
  write: boolean;
  /** `--help` or `-h`: print the parts and stop (running every part is `npm run bench` alone). */
  help: boolean;
}

export function parseBenchArgs(args: string[]): BenchArgs {
  const names: string[] = [];
  const options = new Map<string, string>();
  let write = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
    } else if (arg === "--write" || arg === "--no-write") {
      write = arg === "--write";
    } else if (arg.startsWith("--")) {
      const [key, inline] = arg.slice(2).split("=", 2);
      options.set(key, inline ?? args[++i] ?? "");
    } else {
      names.push(ALIASES[arg] ?? arg);
    }
  }
  return { names, options, write, help };
}
