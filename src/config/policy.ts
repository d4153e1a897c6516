// The delivery policy file (POLICY_FILE): read and checked once at start, so a mistake stops the
// start with the file's line and the reason instead of letting data through. What the rules mean
// and how they are applied: src/hub/policy.ts and docs/policy.md.
import * as fs from "fs";
import { parseLocatedJson } from "./located_json";
import { ConfigError } from "./values";

export type FieldAction = "refuse" | "drop" | "hash";
export const FIELD_ACTIONS: readonly FieldAction[] = ["refuse", "drop", "hash"];
/** What a field rule does with a delivery that carries no field tags (CSV, PDF, a cell...). */
export type WithoutTags = "refuse" | "allow";

interface Located {
  /** Where the rule is: `fields[0]`, for logs, metrics and messages. */
  id: string;
  /** Its line in the file. */
  line: number;
  /** Integration names, or "*" for every one. */
  integrations: string[];
}

export interface FieldRule extends Located { tag: string; action: FieldAction; withoutTags: WithoutTags; }
export interface UserRule extends Located { userAttribute: string; allow: string[]; }
export interface InstanceRule extends Located { instance: string; }

export interface PolicySettings {
  file: string;
  fields: FieldRule[];
  users: UserRule[];
  instances: InstanceRule[];
}

/** Looker's user attribute names: lower-case letters, digits and underscores, starting with a letter. */
const USER_ATTRIBUTE = /^[a-z][a-z0-9_]*$/;

type Fail = (path: string, reason: string) => never;

function keysOf(
  value: unknown, path: string, allowed: string[], required: string[], fail: Fail,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) { return fail(path, "an object expected"); }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) { fail(path ? `${path}.${key}` : key, `unknown key "${key}"; a rule here takes ${allowed.join(", ")}`); }
  }
  for (const key of required) {
    if (!(key in record)) { fail(path, `"${key}" is missing`); }
  }
  return record;
}

function text(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== "string" || value.trim() === "") { return fail(path, "a non-empty string expected"); }
  return value.trim();
}

function texts(value: unknown, path: string, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0) { return fail(path, "a non-empty list of strings expected"); }
  return value.map((item, n) => text(item, `${path}[${n}]`, fail));
}

function rules<T>(value: unknown, kind: string, fail: Fail, read: (item: unknown, path: string) => T): T[] {
  if (value === undefined) { return []; }
  if (!Array.isArray(value)) { return fail(kind, "a list of rules expected"); }
  return value.map((item, n) => read(item, `${kind}[${n}]`));
}

/** Checks a policy document; `lineOf` says where each path starts, for messages. */
export function policyFrom(document: unknown, file: string, lineOf: (path: string) => number): PolicySettings {
  const fail: Fail = (path, reason) => { throw new ConfigError(`POLICY_FILE ${file}: line ${lineOf(path)}: ${reason}.`); };
  const top = keysOf(document, "", ["fields", "users", "instances"], [], fail);
  const located = (path: string, record: Record<string, unknown>) =>
    ({ id: path, line: lineOf(path), integrations: texts(record.integrations, `${path}.integrations`, fail) });
  const fields = rules(top.fields, "fields", fail, (item, path): FieldRule => {
    const r = keysOf(item, path, ["tag", "integrations", "action", "without_tags"], ["tag", "integrations", "action"], fail);
    const action = text(r.action, `${path}.action`, fail);
    if (!FIELD_ACTIONS.includes(action as FieldAction)) {
      fail(`${path}.action`, `action "${action}" is not one of ${FIELD_ACTIONS.join(", ")}`);
    }
    const withoutTags = r.without_tags === undefined ? "refuse" : text(r.without_tags, `${path}.without_tags`, fail);
    if (withoutTags !== "refuse" && withoutTags !== "allow") {
      fail(`${path}.without_tags`, `without_tags "${withoutTags}" is not refuse or allow`);
    }
    return { ...located(path, r), tag: text(r.tag, `${path}.tag`, fail), action: action as FieldAction,
      withoutTags: withoutTags as WithoutTags };
  });
  const users = rules(top.users, "users", fail, (item, path): UserRule => {
    const r = keysOf(item, path, ["integrations", "user_attribute", "allow"], ["integrations", "user_attribute", "allow"], fail);
    const userAttribute = text(r.user_attribute, `${path}.user_attribute`, fail);
    if (!USER_ATTRIBUTE.test(userAttribute)) {
      fail(`${path}.user_attribute`, `"${userAttribute}" is not a Looker user attribute name (lower-case letters, ` +
        "digits and underscores, starting with a letter)");
    }
    return { ...located(path, r), userAttribute, allow: texts(r.allow, `${path}.allow`, fail) };
  });
  const instances = rules(top.instances, "instances", fail, (item, path): InstanceRule => {
    const r = keysOf(item, path, ["instance", "integrations"], ["instance", "integrations"], fail);
    return { ...located(path, r), instance: text(r.instance, `${path}.instance`, fail) };
  });
  return Object.freeze({ file, fields, users, instances });
}

/** Reads POLICY_FILE; undefined when it is not set. */
export function policySetting(file: string | undefined): PolicySettings | undefined {
  if (file === undefined) { return undefined; }
  let content: string;
  try {
    content = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`POLICY_FILE ${file} cannot be read (${code ?? "unreadable"}); ` +
      "set it to the path of the policy's JSON file, or unset it to run without a policy.");
  }
  const parsed = parseLocatedJson(content, `POLICY_FILE ${file}`);
  return policyFrom(parsed.value, file, parsed.lineOf);
}
