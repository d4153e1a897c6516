// Mocha's configuration. `npm test` (or `npx mocha`) runs every test file under test/, two files
// at a time (one worker a core: most files wait on servers, child processes and timers, so two
// workers halve the run on the 2-core machines the project is built for); naming files or globs
// (`npm test -- test/x.ts`, `npx mocha test/lib/*.ts`) runs those only, in one process: mocha would
// otherwise add them to the configured spec and run everything.
const fs = require("fs");

const ALL = ["test/**/test_*.ts"];
// Options that take a value, so their value is not mistaken for a file.
const WITH_VALUE = new Set(["-g", "--grep", "-f", "--fgrep", "-R", "--reporter", "-O", "--reporter-option",
  "-r", "--require", "-t", "--timeout", "-s", "--slow", "--ui", "-u", "--file", "--config", "--package",
  "-j", "--jobs", "--extension", "--ignore", "--exclude", "--watch-files", "--watch-ignore", "--retries"]);

function namedFiles(argv) {
  const named = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (WITH_VALUE.has(arg)) { i++; continue; }
    if (arg.startsWith("-")) { continue; }
    if (fs.existsSync(arg) || /[*?{]/.test(arg)) { named.push(arg); }
  }
  return named;
}

// Node 22.18 and later strip TypeScript types themselves when a file is imported, and mocha imports
// the files it is given: ts-node must compile them instead (the code uses what stripping refuses).
const major = Number(process.versions.node.split(".")[0]);
const nodeOption = major >= 22 ? ["no-experimental-strip-types"] : [];

const argv = process.argv.slice(2);
const everything = namedFiles(argv).length === 0;
// SUITE_WIDE_ONLY (test/helpers/suite_wide.ts) narrows the suite-wide tests for a scaffold check
// that names its files; left set in a shell, it would quietly narrow the whole suite.
if (everything && process.env.SUITE_WIDE_ONLY) {
  throw new Error("SUITE_WIDE_ONLY is set: it narrows the suite-wide tests. Unset it to run the whole suite.");
}
// MOCHA_JOBS=1 runs the whole suite in one process (to read its output in order, or to bisect).
const jobs = Number(process.env.MOCHA_JOBS || 2);

module.exports = {
  "node-option": nodeOption,
  require: ["ts-node/register/transpile-only", "test/setup.ts"],
  spec: everything ? ALL : [],
  // A dry run lists the tests, in one process.
  parallel: everything && jobs > 1 && !argv.includes("--dry-run"),
  jobs,
  timeout: 20000,
  exit: true,
};
