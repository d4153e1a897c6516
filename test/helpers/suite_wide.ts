// SUITE_WIDE_ONLY=<name>,<name>...: the costly suite-wide tests (broken vendors, log secrecy, the
// fault matrix, Looker's payload shapes) give cases to the named integrations only. The hub they
// build still registers every integration; only the per-integration walk is narrowed, and the
// checks that name existing integrations keep only what names a walked one. Read here and nowhere
// else. Only test/console/test_new_integration.ts sets it, in its copy of the repository, to run
// those tests over the integrations it scaffolded (the real suite runs them over everything);
// `npm test` and `npx mocha` leave it unset, and then nothing is narrowed.
const ONLY = (process.env.SUITE_WIDE_ONLY ?? "").split(",").map((name) => name.trim()).filter(Boolean);

/** Whether SUITE_WIDE_ONLY narrows this run. */
export const narrowed = ONLY.length > 0;

// Said once per process; a whole-suite run with it set is refused (.mocharc.js).
if (narrowed) { process.stderr.write(`SUITE_WIDE_ONLY: the suite-wide tests walk ${ONLY.join(", ")} only.\n`); }

/** Whether the suite-wide tests walk this integration (every one, unless narrowed). */
export function walks(name: string): boolean {
  return !narrowed || ONLY.includes(name);
}

/**
 * The integrations a suite-wide test walks: all of them, or the named ones. A named one that is not
 * there is an error, so a misspelt name cannot narrow a run to nothing and pass.
 */
export function walked<T extends { name: string }>(integrations: T[]): T[] {
  if (!narrowed) { return integrations; }
  const missing = ONLY.filter((name) => !integrations.some((i) => i.name === name));
  if (missing.length) {
    throw new Error(`SUITE_WIDE_ONLY names ${missing.join(", ")}, not among the integrations this test walks.`);
  }
  return integrations.filter((i) => ONLY.includes(i.name));
}
