// Parsers for configuration values: each reads one setting from an environment object,
// validates it and says what is wrong in one line naming the variable. Only src/config/index.ts
// hands them the real environment.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function first(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== "") { return value.trim(); }
  }
  return undefined;
}

export function intSetting(env: Env, name: string, fallback: number, min: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}; it is "${raw}".`);
  }
  return value;
}

export function boolSetting(env: Env, name: string): boolean {
  const raw = first(env, name);
  if (raw === undefined) { return false; }
  if (/^(1|true|yes|on)$/i.test(raw)) { return true; }
  if (/^(0|false|no|off)$/i.test(raw)) { return false; }
  throw new ConfigError(`${name} must be true or false; it is "${raw}".`);
}

/** An http(s) base URL setting, returned with exactly one trailing slash. */
export function baseUrlSetting(env: Env, name: string, fallback: string): string {
  const raw = first(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL; it is "${raw}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigError(`${name} must be an http(s) URL; it is "${raw}".`);
  }
  return raw.replace(/\/+$/, "") + "/";
}

export function listSetting(env: Env, name: string, fallback: string[]): string[] {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

/** Each entry is an IP address or a CIDR block such as 10.1.0.0/16 or fd00::/8. */
export function cidrListSetting(env: Env, name: string): string[] {
  const list = listSetting(env, name, []);
  for (const entry of list) {
    const [ip, bits, extra] = entry.split("/");
    const family = net.isIP(ip);
    const max = family === 6 ? 128 : 32;
    const prefixOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(`${name} must list IP addresses or CIDR blocks (e.g. 10.1.0.0/16), comma-separated; ` +
        `"${entry}" is neither.`);
    }
  }
  return list;
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** A byte size: a whole number, optionally with K, M, G or T (binary units, e.g. `2G`). */
export function sizeSetting(env: Env, name: string, fallback: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const match = /^(\d+)\s*([kmgt]?)i?b?$/i.exec(raw);
  if (!match) {
    throw new ConfigError(`${name} must be a number of bytes, optionally with K, M or G (e.g. 2G); it is "${raw}".`);
  }
  return Number(match[1]) * SIZE_UNITS[match[2].toLowerCase()];
}

export function directorySetting(env: Env, name: string, fallback: string): string {
  const dir = first(env, name) ?? fallback;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ConfigError(`${name} must be an existing directory; "${dir}" is not.`);
  }
  return path.resolve(dir);
}

export function secondsSetting(env: Env, name: string, fallback: number): number {
  const raw = first(env, name);
  if (raw === undefined) { return fallback; }
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number of seconds; it is "${raw}".`);
  }
  return value;
}

/** The commit of a git checkout the hub runs from, when there is one. */
export function gitHead(): string | undefined {
  try {
    const gitDir = path.join(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../../.git" : "../../.git");
    const head = fs.readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (!head.startsWith("ref: ")) { return head.slice(0, 12); }
    const ref = head.slice(5);
    const refFile = path.join(gitDir, ref);
    if (fs.existsSync(refFile)) { return fs.readFileSync(refFile, "utf8").trim().slice(0, 12); }
    const packed = fs.readFileSync(path.join(gitDir, "packed-refs"), "utf8");
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    return line ? line.slice(0, 12) : undefined;
  } catch {
    return undefined;
  }
}

export function packageVersion(): string {
  for (const candidate of ["../../package.json", "../../../package.json"]) {
    const file = path.join(__dirname, candidate);
    if (fs.existsSync(file)) { return JSON.parse(fs.readFileSync(file, "utf8")).version; }
  }
  return "0.0.0";
}

export function choiceSetting<T extends string>(env: Env, name: string, choices: readonly T[]): T {
  const raw = first(env, name)?.toLowerCase() ?? choices[0];
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(", ")}; it is "${raw}".`);
  }
  return raw as T;
}
