// What every part of the bench suite gets and gives: options in, markdown lines out.

export interface BenchContext {
  /** The repository root (the hub is run from its dist/). */
  root: string;
  /** `--name value` options from the command line. */
  option(name: string, fallback: string): string;
  /** Prints a line as it is measured. */
  say(line: string): void;
  /** Records a target missed: the bench run then exits non-zero (after writing its sections). */
  fail(reason: string): void;
}

export interface Part {
  name: string;
  /** The section's heading in bench/RESULTS.md. */
  title: string;
  /** Whether the compiled hub is needed (npm run build first). */
  needsBuild: boolean;
  /** Measures, and answers the section's text (markdown, without the command and machine). */
  run(ctx: BenchContext): Promise<string>;
}

/** A comma-separated list of numbers from an option. */
export function numbers(text: string): number[] {
  return text.split(",").filter(Boolean).map(Number);
}

/** "met" or "**not met**", telling `ctx` when not met. */
export function verdict(ctx: BenchContext, met: boolean, what: string): string {
  if (!met) { ctx.fail(what); }
  return met ? "met" : "**not met**";
}
