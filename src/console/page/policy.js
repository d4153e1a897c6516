// The delivery policy's rules for the open integration (POLICY_FILE), as the hub reports them:
// each rule by its place and line in the file; the values it allows are not shown.
import { el, post } from "./hub.js";

const ACTIONS = {
  refuse: "refuses a delivery with a field tagged",
  drop: "drops the fields tagged",
  hash: "hashes (SHA-256) the values of fields tagged",
};

function fieldLine(rule) {
  const untagged = rule.without_tags === "allow" ? "lets formats without field tags (CSV, PDF) through"
    : "refuses formats without field tags (CSV, PDF) and single values";
  return `${ACTIONS[rule.action]} "${rule.tag}"; ${untagged}`;
}

export async function renderPolicy(list, name) {
  list.replaceChildren();
  const { status, json } = await post(`/console/api/policy/${encodeURIComponent(name)}`);
  if (status !== 200) { return list.append(el("li", {}, json.error || `HTTP ${status}`)); }
  const policy = json.policy;
  if (!policy) { return list.append(el("li", {}, "No delivery policy on this hub (POLICY_FILE is not set).")); }
  const rules = [
    ...policy.fields.map((r) => [r, fieldLine(r)]),
    ...policy.users.map((r) => [r, `delivers only for users whose "${r.user_attribute}" user attribute it allows ` +
      `(Looker fills the param ${r.param})`]),
    ...policy.instances.map((r) => [r, `not offered to the Looker instance ${r.instance}`]),
  ];
  if (!rules.length) { return list.append(el("li", {}, "No rule of the policy applies to this integration.")); }
  for (const [rule, text] of rules) {
    list.append(el("li", {}, el("code", {}, rule.rule), ` (line ${rule.line}): ${text}`));
  }
}
