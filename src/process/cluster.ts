// The cluster's primary process: forks WEB_CONCURRENCY workers (each a whole hub sharing
// the port), replaces workers that die, and on SIGTERM lets every worker drain, then exits.
import cluster from "cluster";
import { Config } from "../config";
import { Logger } from "../lib/logger";
import { withHubNodeFlags } from "./node_flags";
import { onStopSignals } from "./signals";
import { serveClusterMetrics } from "../server/metrics";

/** A worker that dies sooner than this after its start is replaced only after a pause. */
const MIN_WORKER_LIFETIME_MS = 5000;

export function runPrimary(config: Config, logger: Logger): void {
  let stopping = false;
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.setupPrimary({ execArgv: withHubNodeFlags(process.execArgv) });
  serveClusterMetrics();
  for (let i = 0; i < config.webConcurrency; i++) { fork(); }
  logger.info("cluster started", { workers: config.webConcurrency });

  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info("all workers stopped");
        process.exit(0);
      }
      return;
    }
    logger.error("worker died; starting another", { pid: worker.process.pid, code, signal });
    setTimeout(fork, lived < MIN_WORKER_LIFETIME_MS ? 1000 : 0);
  });

  // The workers drain within their grace period; the backstop exit is only a last resort.
  onStopSignals(logger, config.shutdownGraceMs, () => {
    stopping = true;
    logger.info("stopping workers");
    for (const worker of Object.values(cluster.workers ?? {})) { worker?.process.kill("SIGTERM"); }
  });
}
