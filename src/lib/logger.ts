// Winston logger. Lines are JSON in production and readable in development. Callers pass
// only safe metadata: ids, names, counts, durations; never values, tokens or data.
// Two promises hold whatever is logged:
// - A line is one line: control characters in the message and in values (a newline from a
//   percent-encoded path, an ANSI escape) are escaped in every format, so no value can forge
//   a log line.
// - Logging never throws into the program, loops or blocks: when stdout is gone (a closed
//   pipe), lines are dropped and the program goes on, shutdown included.
import { Writable } from "stream";
import * as winston from "winston";

export type Logger = winston.Logger;

export interface LoggerOptions {
  level: string;
  format: "json" | "pretty";
  /** Extra transport, used by tests that inspect what was logged. */
  stream?: NodeJS.WritableStream;
  /** Where lines go without `stream`; default process.stdout. */
  output?: NodeJS.WritableStream;
}

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `text` with every control character written as a \uXXXX escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

const pretty = winston.format.printf((info) => {
  const { level, message, timestamp, ...meta } = info;
  const fields = Object.entries(meta)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${escapeControls(k)}=${escapeControls(typeof v === "string" ? v : JSON.stringify(v) ?? "")}`)
    .join(" ");
  return `${timestamp} ${level} ${escapeControls(String(message))}${fields ? " " + fields : ""}`;
});

/** JSON escapes C0 controls itself; DEL, C1 and U+2028/2029 are escaped here too (still valid JSON). */
const escapeJsonLine = winston.format((info) => {
  const key = Symbol.for("message") as unknown as string;
  const line = info[key];
  if (typeof line === "string") { info[key] = escapeControls(line); }
  return info;
});

/**
 * A stdout that never fails the program: a write error (EPIPE when the reader is gone) or an
 * `error` event silences it for good, and writes never wait (no backpressure into logging).
 */
export function safeOutput(target: NodeJS.WritableStream = process.stdout): Writable {
  if (target === process.stdout) { return safeStdout ??= makeSafe(target); }
  return makeSafe(target);
}

let safeStdout: Writable | undefined;

function makeSafe(target: NodeJS.WritableStream): Writable {
  let broken = false;
  const silence = () => { broken = true; };
  target.on("error", silence);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!broken) {
        try {
          target.write(chunk);
        } catch {
          broken = true;
        }
      }
      done();
    },
  });
}

export function createLogger(options: LoggerOptions): Logger {
  const format = options.format === "json"
    ? winston.format.combine(winston.format.timestamp(), winston.format.json(), escapeJsonLine())
    : winston.format.combine(winston.format.timestamp(), pretty);
  const transport = new winston.transports.Stream({ stream: options.stream ?? safeOutput(options.output) });
  transport.on("error", () => undefined);
  const logger = winston.createLogger({ level: options.level, format, transports: [transport] });
  logger.on("error", () => undefined);
  skipDisabledLevels(logger);
  cheapChildren(logger);
  return logger;
}

/**
 * winston formats every line (timestamp, JSON, escapes) before its transports look at the
 * level, so an `info` under LOG_LEVEL=warn cost as much as one written: a few per request.
 * Each level's method now returns at once when no transport takes that level (winston's own
 * isLevelEnabled, which reads the logger's and each transport's level at the call). Children
 * inherit the methods.
 */
function skipDisabledLevels(logger: winston.Logger): void {
  logger.isLevelEnabled = isLevelEnabled;
  const methods = logger as unknown as Record<string, (...args: unknown[]) => winston.Logger>;
  for (const level of Object.keys(logger.levels)) {
    const write = methods[level];
    if (typeof write !== "function") { continue; }
    methods[level] = function (this: winston.Logger, ...args: unknown[]) {
      return this.isLevelEnabled(level) ? write.apply(this, args) : this;
    };
  }
}

/**
 * winston's isLevelEnabled, without its copy of the transports list (its `transports` getter
 * builds a new array at each call): the logger's level, then any transport's own level, as
 * winston reads them at the call.
 */
function isLevelEnabled(this: winston.Logger, level: string): boolean {
  const levels = this.levels as Record<string, number | undefined>;
  const given = levels[level];
  const configured = levels[this.level];
  if (given === undefined || configured === undefined) { return false; }
  const pipes = (this as unknown as { _readableState?: { pipes?: unknown } })._readableState?.pipes;
  const transports = (Array.isArray(pipes) ? pipes : this.transports) as Array<{ level?: string }>;
  if (!transports.length) { return configured >= given; }
  for (const transport of transports) {
    if ((levels[transport.level ?? ""] ?? configured) >= given) { return true; }
  }
  return false;
}

const FIELDS = Symbol("childFields");
const PARENT = Symbol("childParent");

interface Child {
  [FIELDS]: object;
  [PARENT]: Child | undefined;
}

/** The fields of `child` and its parents, the child's over its parents'. */
function assignFields(target: object, child: Child): void {
  if (child[PARENT]) { assignFields(target, child[PARENT]!); }
  Object.assign(target, child[FIELDS]);
}

/**
 * winston's child is Object.create(parent, {write}): an object of a new shape each time, a link
 * longer per generation, and every request made two (its ids, then its integration): about 5%
 * of a small request's CPU. Here every child of `root` has the same prototype and holds its
 * fields and its parent; a line carries the same fields (the call's over the child's over its
 * parents'), merged when it is written (most children write nothing), and `root` writes it.
 */
function cheapChildren(root: winston.Logger): void {
  const childProto = Object.create(root) as winston.Logger;
  const make = (fields: object, parent: Child | undefined): winston.Logger => {
    const child = Object.create(childProto) as winston.Logger & Child;
    child[FIELDS] = fields;
    child[PARENT] = parent;
    return child;
  };
  childProto.write = function (this: winston.Logger & Child, info: unknown) {
    const line: Record<string, unknown> = {};
    assignFields(line, this);
    Object.assign(line, info);
    if (info instanceof Error) {
      // Object.assign does not copy an Error's own non-enumerable fields (as winston's child).
      line.stack = info.stack;
      line.message = info.message;
      line.cause = info.cause;
    }
    return root.write(line);
  } as winston.Logger["write"];
  childProto.child = function (this: winston.Logger & Child, fields: object) { return make(fields, this); };
  root.child = (fields: object) => make(fields, undefined);
}
