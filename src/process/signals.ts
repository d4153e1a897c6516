// How a hub process (single, cluster primary or worker) meets crashes and signals.
// - An uncaught exception is logged as far as logging still works, and the process exits 1
//   (a cluster primary replaces the worker; a platform restarts the process). It never
//   goes on in an unknown state, and a failure while logging it cannot loop.
// - SIGTERM and SIGINT, any number of them, start one drain: platforms signal every process
//   of a dyno or pod (Heroku), a terminal's Ctrl-C reaches the whole process group, and a
//   primary forwards the signal to its workers; only the grace period ends a delivery.
// - A backstop exit after the grace period (plus a margin) makes sure SIGTERM ends the process.
// - Process warnings (deprecations, an SDK's notice, too many listeners) are log lines.
import { Logger } from "../lib/logger";

const BACKSTOP_MARGIN_MS = 5000;

export function handleCrashes(logger: Logger): void {
  let crashing = false;
  process.on("unhandledRejection", (reason) => {
    try {
      logger.error("unhandled rejection", { error: (reason as Error)?.name, stack: (reason as Error)?.stack });
    } catch {
      // Logging must not throw into the program.
    }
  });
  process.on("uncaughtException", (err) => {
    if (crashing) { return; }
    crashing = true;
    try {
      logger.error("uncaught exception: exiting", { error: err?.name, stack: err?.stack });
    } catch {
      // Nothing more can be said.
    }
    // The line above went out synchronously (stdout to a pipe or file is synchronous on Linux).
    process.exit(1);
  });
}

/** How much of a warning's text a log line keeps. */
const WARNING_TEXT_LIMIT = 1000;

/**
 * Sends process warnings through the logger instead of Node's own printer, which writes them to
 * stderr as several lines of plain text: in production that breaks the JSON log and the lines
 * reach no log search (the AWS SDK's notice about old Node versions was nine such lines).
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners("warning");
  process.on("warning", (warning: Error & { code?: string }) => {
    try {
      logger.warn("process warning", {
        warning: warning.name, code: warning.code, text: String(warning.message).slice(0, WARNING_TEXT_LIMIT),
      });
    } catch {
      // Logging must not throw into the program.
    }
  });
}

/**
 * Calls `stop` on the first SIGTERM or SIGINT and ignores the later ones (logged), exiting
 * at the latest `graceMs` plus a margin after the first.
 */
export function onStopSignals(logger: Logger, graceMs: number, stop: () => void): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      try { logger.info("already shutting down; the signal changes nothing", { signal }); } catch { /* ignored */ }
      return;
    }
    stopping = true;
    setTimeout(() => process.exit(0), graceMs + BACKSTOP_MARGIN_MS).unref();
    stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
