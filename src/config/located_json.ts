// A small JSON reader that remembers the line each value starts on, so a configuration file
// (POLICY_FILE) that is valid JSON but says something wrong can be answered "line 12: ...".
// Files here are a few kilobytes written by an admin: clarity over speed.
import { ConfigError } from "./values";

export interface LocatedJson {
  value: unknown;
  /** The line (1-based) where the value at a path starts; paths look like `fields[0].action`. */
  lineOf(path: string): number;
}

const MAX_DEPTH = 32;

export function parseLocatedJson(text: string, source: string): LocatedJson {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const fail = (reason: string): never => { throw new ConfigError(`${source}: line ${line}: ${reason}`); };
  const skipSpace = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === "\n") { line++; } else if (c !== " " && c !== "\t" && c !== "\r") { return; }
      i++;
    }
  };
  const expect = (c: string) => {
    skipSpace();
    if (text[i] !== c) { fail(text[i] === undefined ? `the file ends where "${c}" is expected` : `"${c}" expected`); }
    i++;
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== "\"") {
      if (text[i] === "\\") { i++; }
      if (text[i] === "\n") { fail("a string runs past the end of its line"); }
      i++;
    }
    if (i >= text.length) { fail("a string is not closed"); }
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("a string has an invalid escape");
    }
  };
  const readValue = (path: string, depth: number): unknown => {
    skipSpace();
    lines.set(path, line);
    if (depth > MAX_DEPTH) { fail(`values nest more than ${MAX_DEPTH} levels deep`); }
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, unknown> = Object.create(null);
      skipSpace();
      if (text[i] === "}") { i++; return out; }
      for (;;) {
        skipSpace();
        if (text[i] !== "\"") { fail("a key in double quotes expected"); }
        const key = readString();
        if (Object.prototype.hasOwnProperty.call(out, key)) { fail(`"${key}" appears twice`); }
        expect(":");
        out[key] = readValue(path ? `${path}.${key}` : key, depth + 1);
        skipSpace();
        if (text[i] === ",") { i++; continue; }
        expect("}");
        return out;
      }
    }
    if (c === "[") {
      i++;
      const out: unknown[] = [];
      skipSpace();
      if (text[i] === "]") { i++; return out; }
      for (;;) {
        out.push(readValue(`${path}[${out.length}]`, depth + 1));
        skipSpace();
        if (text[i] === ",") { i++; continue; }
        expect("]");
        return out;
      }
    }
    if (c === "\"") { return readString(); }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!literal) { return fail(c === undefined ? "the file ends where a value is expected" : "a value expected"); }
    i += literal[0].length;
    return JSON.parse(literal[0]);
  };
  const value = readValue("", 0);
  skipSpace();
  if (i < text.length) { fail("more text after the end of the JSON value"); }
  return { value, lineOf: (path) => lines.get(path) ?? 1 };
}
