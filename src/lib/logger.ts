// Winston logger. Lines are JSON in production and readable in development. Callers pass
// only safe metadata: ids, names, counts, durations; never values, tokens or data.
import * as winston from "winston";

export type Logger = winston.Logger;

export interface LoggerOptions {
  level: string;
  format: "json" | "pretty";
  /** Extra transport, used by tests that inspect what was logged. */
  stream?: NodeJS.WritableStream;
}

const pretty = winston.format.printf((info) => {
  const { level, message, timestamp, ...meta } = info;
  const fields = Object.entries(meta)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${timestamp} ${level} ${message}${fields ? " " + fields : ""}`;
});

export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === "json"
    ? winston.format.combine(winston.format.timestamp(), winston.format.json())
    : winston.format.combine(winston.format.timestamp(), pretty);
  const transports: winston.transport[] = options.stream
    ? [new winston.transports.Stream({ stream: options.stream })]
    : [new winston.transports.Console()];
  return winston.createLogger({ level: options.level, format, transports });
}
