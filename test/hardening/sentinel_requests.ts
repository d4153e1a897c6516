// Looker-shaped requests for any integration, with a sentinel in every value a user or admin
// types and every row, so tests can check that none of it reaches the logs.
import { DefinitionContext, Format, Integration } from "../../src/hub/integration";
import { lookerAttachment } from "../helpers/looker_payloads";
import { rowTags, tagValue } from "../helpers/suite_settings";

export const SENTINEL = "SENTINELzq7";

export function sentinel(what: string): string {
  return `${SENTINEL}_${what}`;
}

/** Admin params, with vendor-looking values carrying the sentinel. */
export function sentinelParams(integration: Integration): Record<string, string> {
  return Object.fromEntries(integration.params.map((p) => [p.name, sentinel(p.name)]));
}

/** A value for a form field: URLs point at the local vendor, with the sentinel in the path. */
export function sentinelFieldValue(field: { name: string; type?: string; options?: Array<{ name: string }> },
                                   vendorUrl: string): string {
  if (/url/i.test(field.name)) { return `${vendorUrl}/hooks/${sentinel(field.name)}`; }
  if (/^(to|cc|from)$/.test(field.name)) { return `${sentinel(field.name)}@example.com`; }
  if (field.type === "select" && field.options && field.options.length) { return field.options[0].name; }
  return sentinel(field.name);
}

/** The id and email tags of every row destination (in its settings file), so each delivery reaches its vendor. */
function tagsOf(name: string): string[] {
  return name === "users.id" ? rowTags("id") : name === "users.email" ? rowTags("email") : [];
}

function jsonDetail(): unknown {
  const dims = ["users.id", "users.email", "users.name"].map((name) => ({
    name, label: name, label_short: name, tags: tagsOf(name), type: "string", hidden: false }));
  return {
    ran_at: "2026-11-28T00:00:00Z",
    fields: { dimensions: dims, measures: [], table_calculations: [], pivots: [] },
    data: [1, 2, 3].map((i) => ({
      "users.id": { value: sentinel(`id${i}`) }, "users.email": { value: `${sentinel(`mail${i}`)}@example.com` },
      "users.name": { value: sentinel(`name${i}`), rendered: sentinel(`rendered${i}`) },
    })),
  };
}

/** An attachment in the integration's first supported format, as Looker sends it, rows full of sentinels. */
export function sentinelAttachment(format: Format): Record<string, unknown> {
  switch (format) {
    case "csv":
    case "txt":
      return lookerAttachment(format, `id,email\n${sentinel("row1")},${sentinel("mail1")}\n${sentinel("row2")},x\n`);
    case "json_detail":
    case "json_detail_lite_stream":
      return lookerAttachment(format, JSON.stringify(jsonDetail()));
    case "json":
    case "json_label":
    case "inline_json":
      return lookerAttachment(format, [{ "users.id": sentinel("j1"), "users.email": sentinel("jm1") }]);
    case "html":
      return lookerAttachment(format, `<table><td>${sentinel("html")}</td></table>`);
    default:
      return lookerAttachment(format, Buffer.from(sentinel("binary")));
  }
}

export function firstFormat(integration: Integration): Format {
  const context: DefinitionContext = { lookerVersion: null };
  return integration.formatsFor(context)[0] ?? "csv";
}

/**
 * The tag an integration's targets are read from, when it requires one (phone, droplet id...);
 * `anyTag` also takes the first of a choice of tags (Salesforce's contact or lead id).
 */
export function targetTag(integration: Integration, anyTag = false): string | undefined {
  const first = integration.requiredFields[0] as { tag?: string; any_tag?: string[] } | undefined;
  return first?.tag ?? (anyTag ? first?.any_tag?.[0] : undefined);
}

/** A json_detail whose one dimension carries the integration's tag, with a vendor-shaped value. */
export function taggedAttachment(tag: string, format?: Format): Record<string, unknown> {
  const value = tagValue(tag) ?? "42";
  const data = JSON.stringify({
    fields: { dimensions: [{ name: "t.id", label: "ID", tags: [tag] }], measures: [] },
    data: [{ "t.id": { value } }],
  });
  return format ? lookerAttachment(format, data) : { mimetype: "application/json", extension: "json", data };
}
