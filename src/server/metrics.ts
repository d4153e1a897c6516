// Prometheus metrics (prom-client). Labels are integration names and outcomes only: never
// anything a user typed. Under the cluster, GET /metrics on any worker answers for all of them.
import * as cluster from "cluster";
import * as crypto from "crypto";
import { NextFunction, Request, Response } from "express";
import * as client from "prom-client";

/** `dry_run`: an execute with X-Hub-Dry-Run that checked and reported, sending nothing. */
export type Outcome = "success" | "failure" | "error" | "dry_run";

/** Installs prom-client's worker-side listener once per process. */
let aggregatorListening: client.AggregatorRegistry<client.RegistryContentType> | undefined;

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800];

export class HubMetrics {
  readonly registry = new client.Registry();
  private readonly deliveries = new client.Counter({
    name: "hub_deliveries_total", help: "Execute requests answered, by integration and outcome.",
    labelNames: ["integration", "outcome"] as const, registers: [this.registry],
  });
  private readonly duration = new client.Histogram({
    name: "hub_delivery_duration_seconds", help: "Time from request to answer of execute requests.",
    labelNames: ["integration", "outcome"] as const, buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  private readonly inFlight = new client.Gauge({
    name: "hub_deliveries_in_flight", help: "Execute requests being delivered now.",
    labelNames: ["integration"] as const, registers: [this.registry],
  });
  private readonly bytes = new client.Counter({
    name: "hub_delivered_bytes_total", help: "Bytes of delivery data read, by integration.",
    labelNames: ["integration"] as const, registers: [this.registry],
  });
  private readonly rows = new client.Counter({
    name: "hub_delivered_rows_total", help: "Rows of delivery data read, by integration.",
    labelNames: ["integration"] as const, registers: [this.registry],
  });
  private readonly forms = new client.Counter({
    name: "hub_form_requests_total", help: "Form requests answered, by integration and outcome.",
    labelNames: ["integration", "outcome"] as const, registers: [this.registry],
  });

  private readonly policyRefusals = new client.Counter({
    name: "hub_policy_refusals_total",
    help: "Forms and deliveries the delivery policy refused, by integration, rule kind and rule (its place in POLICY_FILE).",
    labelNames: ["integration", "kind", "rule"] as const, registers: [this.registry],
  });

  constructor(collectDefaults = true) {
    // Under the cluster, the primary aggregates what each worker's registry holds.
    // (constructing an AggregatorRegistry is what makes prom-client answer the primary).
    if (cluster.default.isWorker) {
      client.AggregatorRegistry.setRegistries([this.registry]);
      aggregatorListening = aggregatorListening ?? new client.AggregatorRegistry();
    }
    if (collectDefaults) {
      // Process metrics and event-loop lag (nodejs_eventloop_lag_*), sampled by prom-client.
      client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    }
  }

  /** Call when an execute starts; the returned function records its end. */
  deliveryStarted(integration: string): (outcome: Outcome) => void {
    const end = this.duration.startTimer({ integration });
    this.inFlight.inc({ integration });
    let done = false;
    return (outcome) => {
      if (done) { return; }
      done = true;
      this.inFlight.dec({ integration });
      this.deliveries.inc({ integration, outcome });
      end({ outcome });
    };
  }

  dataRead(integration: string, bytes: number, rows: number): void {
    if (bytes) { this.bytes.inc({ integration }, bytes); }
    if (rows) { this.rows.inc({ integration }, rows); }
  }

  formAnswered(integration: string, outcome: Outcome): void {
    this.forms.inc({ integration, outcome });
  }

  policyRefused(integration: string, kind: string, rule: string): void {
    this.policyRefusals.inc({ integration, kind, rule });
  }
}

const ASK = "hub:metrics:ask";
const ANSWER = "hub:metrics:answer";

/** In the cluster's primary: answers workers' requests for the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  const primary = cluster.default;
  primary.on("message", (worker, message) => {
    if (!message || message.type !== ASK) { return; }
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text }),
      () => worker.send({ type: ANSWER, id: message.id, text: null }),
    );
  });
}

let nextAsk = 0;
function clusterMetricsText(): Promise<string | null> {
  return new Promise((resolve) => {
    const id = ++nextAsk;
    const timer = setTimeout(() => { process.off("message", listener); resolve(null); }, 5000);
    const listener = (message: any) => {
      if (message?.type !== ANSWER || message.id !== id) { return; }
      clearTimeout(timer);
      process.off("message", listener);
      resolve(message.text);
    };
    process.on("message", listener);
    process.send!({ type: ASK, id });
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/** GET /metrics, optionally behind `Authorization: Bearer <METRICS_TOKEN>`. */
export function metricsRoute(metrics: HubMetrics, token: string | undefined) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (token && !sameSecret(req.get("authorization") ?? "", `Bearer ${token}`)) {
        res.status(401).json({ success: false, error: "Send Authorization: Bearer <METRICS_TOKEN> to read metrics." });
        return;
      }
      const text = cluster.default.isWorker && process.send ? await clusterMetricsText() : null;
      res.type(metrics.registry.contentType).send(text ?? await metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  };
}
