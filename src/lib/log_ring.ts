// The last log lines of recent requests, by request id, for the console's "log lines of this
// request" panel. It is a logger transport: it keeps exactly the lines the logs already hold
// (formatted the same way), nothing more, and only as many as its bounds allow.
import TransportStream from "winston-transport";

const MESSAGE = Symbol.for("message");

export interface LogRingLimits {
  /** Requests remembered; the oldest is forgotten first. */
  maxRequests: number;
  /** Lines kept per request; later ones are counted, not kept. */
  maxLinesPerRequest: number;
  /** Characters kept of one line. */
  maxLineLength: number;
}

const DEFAULT_LIMITS: LogRingLimits = { maxRequests: 500, maxLinesPerRequest: 200, maxLineLength: 4000 };

interface Entry {
  lines: string[];
  dropped: number;
}

export class LogRing extends TransportStream {
  private readonly entries = new Map<string, Entry>();
  private readonly limits: LogRingLimits;

  constructor(limits: Partial<LogRingLimits> = {}) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  log(info: Record<string | symbol, unknown>, callback: () => void): void {
    const requestId = info.requestId;
    if (typeof requestId === "string") { this.keep(requestId, String(info[MESSAGE] ?? info.message ?? "")); }
    callback();
  }

  /** The lines logged for a request id, oldest first (empty when unknown or forgotten). */
  linesOf(requestId: string): { lines: string[]; dropped: number } {
    const entry = this.entries.get(requestId);
    return entry ? { lines: [...entry.lines], dropped: entry.dropped } : { lines: [], dropped: 0 };
  }

  private keep(requestId: string, line: string): void {
    let entry = this.entries.get(requestId);
    if (!entry) {
      if (this.entries.size >= this.limits.maxRequests) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
      entry = { lines: [], dropped: 0 };
      this.entries.set(requestId, entry);
    }
    if (entry.lines.length >= this.limits.maxLinesPerRequest) {
      entry.dropped++;
      return;
    }
    entry.lines.push(line.length > this.limits.maxLineLength ? line.slice(0, this.limits.maxLineLength) + "…" : line);
  }
}
