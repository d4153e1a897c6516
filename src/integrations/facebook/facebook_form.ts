// The form, step by step as the official hub shows it: the ad account (from the user's own
// accounts), then create / add to / replace, then the new audience's name or the audience to
// change (the account's customer-list audiences), and whether the hub hashes the values.
import { FormField, FormOption } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";
import { AudienceOperation, AudienceTarget } from "./audience_session";
import { GraphApi, pages } from "./graph_api";

const OPERATIONS: FormOption[] = [
  { name: "create_audience", label: "Create a new audience" },
  { name: "update_audience", label: "Add to an existing audience" },
  { name: "replace_audience", label: "Replace the people of an existing audience" },
];

const HASHING: FormOption[] = [
  { name: "do_hashing", label: "Yes: normalise and hash the values (already hashed ones are kept)" },
  { name: "do_no_hashing", label: "No: the values are SHA-256 hashes already" },
];

/** The ad account id without Facebook's "act_" prefix. */
export const accountId = (value: string) => value.trim().replace(/^act_/, "");

export async function facebookFormFields(graph: GraphApi, token: string, request: ActionRequest): Promise<FormField[]> {
  const values = request.formParams;
  const accounts = await pages(graph, token, "me/adaccounts", "name,account_id", "your ad accounts");
  if (!accounts.length) {
    return [{ name: "no_ad_accounts", type: "message", label: "No ad accounts",
      value: "Your Facebook login has no ad account. Ask an admin of your business to give you a role on one " +
        "(Business Settings > Ad accounts), then reopen this form." }];
  }
  const fields: FormField[] = [{
    name: "choose_ad_account", label: "Ad account", type: "select", required: true, interactive: true,
    options: accounts.map((a) => ({ name: String(a.account_id),
      label: `${a.name ?? a.account_id} (${a.account_id})` })),
  }];
  const account = values.choose_ad_account ? accountId(values.choose_ad_account) : "";
  if (!account) { return fields; }
  fields.push({ name: "choose_create_update_replace", label: "What to do", type: "select", required: true,
    interactive: true, default: "create_audience", options: OPERATIONS });
  const operation = (values.choose_create_update_replace || "create_audience") as AudienceOperation;
  if (operation === "create_audience") {
    fields.push({ name: "create_audience_name", label: "New audience's name", type: "string", required: true },
      { name: "create_audience_description", label: "New audience's description", type: "string", required: true });
  } else {
    const audiences = (await pages(graph, token, `act_${account}/customaudiences`, "name,subtype",
      `the audiences of the ad account ${account}`)).filter((a) => !a.subtype || a.subtype === "CUSTOM");
    fields.push({ name: "choose_custom_audience", label: "Audience", type: "select", required: true,
      description: audiences.length ? "Customer list audiences of this ad account." :
        "This ad account has no customer list audience yet: choose \"Create a new audience\".",
      options: audiences.map((a) => ({ name: String(a.id), label: String(a.name ?? a.id) })) });
  }
  fields.push({ name: "should_hash", label: "Hash the values?", type: "select", required: true,
    default: "do_hashing", options: HASHING });
  return fields;
}

/** The form's choices for a delivery; a missing or unknown choice fails before anything is read. */
export function audienceTarget(request: ActionRequest): AudienceTarget {
  const values = request.formParams;
  const errors: Record<string, string> = {};
  const adAccountId = accountId(values.choose_ad_account ?? "");
  if (!/^\d+$/.test(adAccountId)) { errors.choose_ad_account = "Choose the ad account."; }
  const operation = (values.choose_create_update_replace?.trim() || "create_audience") as AudienceOperation;
  if (!OPERATIONS.some((o) => o.name === operation)) {
    errors.choose_create_update_replace = "Choose create, add to or replace.";
  }
  const name = values.create_audience_name?.trim();
  const audienceId = values.choose_custom_audience?.trim();
  if (operation === "create_audience" && !name) { errors.create_audience_name = "Name the new audience."; }
  if (operation !== "create_audience" && !/^\d+$/.test(audienceId ?? "")) {
    errors.choose_custom_audience = "Choose the audience.";
  }
  const hashing = values.should_hash?.trim() || "do_hashing";
  if (!HASHING.some((h) => h.name === hashing)) { errors.should_hash = "Choose whether the hub hashes the values."; }
  if (Object.keys(errors).length) {
    throw new UserError(`The Facebook form is not complete: ${Object.values(errors).join(" ")} Open the schedule's ` +
      "form in Looker and choose again.", errors);
  }
  return { adAccountId, operation, audienceId, name, description: values.create_audience_description?.trim() || name,
    hash: hashing === "do_hashing" };
}
