// The official form, step by step: the account the user logs in through (loginCid: the accounts
// the login can reach), the client account of a manager (targetCid), create or append, mobile ids
// or contact information, the new list's name or the list to add to (the account's open,
// writable Customer Match lists of that kind), hashing, and the two EU consent fields.
import { FormField, FormOption } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { TokenRejectedError } from "../../hub/oauth/login_errors";
import { RetryableError, UserError } from "../../lib/errors";
import { Consent, CustomerMatchTarget } from "./customer_match_job";
import { dashed, GoogleAdsApi } from "./google_ads_api";

const CONSENTS: FormOption[] = ["UNSPECIFIED", "GRANTED", "DENIED"].map((c) => ({ name: c, label: c.toLowerCase() }));
const YES_NO: FormOption[] = [{ name: "yes", label: "Yes" }, { name: "no", label: "No" }];

/** A customer id without dashes. */
export const cid = (value: string | undefined) => (value ?? "").trim().replace(/-/g, "");

/** The accounts the login reaches, each asked about itself (login-customer-id = the account). */
async function accessible(login: (loginCid?: string) => GoogleAdsApi, token: string): Promise<FormOption[]> {
  const answer = await login().call(token,
    { path: "customers:listAccessibleCustomers", what: "your Google Ads accounts" });
  const ids: string[] = (answer.resourceNames ?? []).map((r: string) => String(r).replace(/^customers\//, ""));
  const options: FormOption[] = [];
  for (const id of ids.slice(0, 100)) {
    try {
      const [row] = await login(id).search(token, id,
        "SELECT customer.id, customer.descriptive_name, customer.manager FROM customer",
        `the account ${dashed(id)}`, 1);
      const name = row?.customer?.descriptiveName || "(no name)";
      options.push({ name: id, label: `${name} (${dashed(id)})${row?.customer?.manager ? ", manager" : ""}` });
    } catch (err) {
      // Draft, cancelled or unreachable accounts answer errors; they cannot be chosen (official hub, PR #494).
      if (!(err instanceof UserError) || err instanceof TokenRejectedError || err instanceof RetryableError) {
        throw err;
      }
    }
  }
  return options;
}

export async function customerMatchFormFields(login: (loginCid?: string) => GoogleAdsApi, token: string,
                                              request: ActionRequest): Promise<FormField[]> {
  const v = request.formParams;
  const fields: FormField[] = [{ name: "loginCid", label: "Log in through account", type: "select", required: true,
    interactive: true, options: await accessible(login, token),
    description: "A manager account to reach its clients, or the account itself." }];
  const loginCid = cid(v.loginCid);
  if (!loginCid) { return fields; }
  const api = login(loginCid);
  const [me] = await api.search(token, loginCid, "SELECT customer.manager FROM customer", `the account ${dashed(loginCid)}`, 1);
  let target = loginCid;
  if (me?.customer?.manager) {
    const clients = await api.search(token, loginCid, "SELECT customer_client.id, customer_client.descriptive_name, " +
      "customer_client.manager FROM customer_client WHERE customer_client.status NOT IN ('CANCELED', 'SUSPENDED')",
      `the client accounts of ${dashed(loginCid)}`);
    fields.push({ name: "targetCid", label: "Account of the list", type: "select", required: true, interactive: true,
      options: clients.filter((c) => !c.customerClient?.manager).map((c) => ({ name: String(c.customerClient.id),
        label: `${c.customerClient.descriptiveName || "(no name)"} (${dashed(String(c.customerClient.id))})` })) });
    target = cid(v.targetCid);
    if (!target) { return fields; }
  }
  fields.push(
    { name: "createOrAppend", label: "Create a list or add to one", type: "select", required: true, interactive: true,
      options: [{ name: "create", label: "Create a new list" }, { name: "append", label: "Add to an existing list" }] },
    { name: "mobileDevice", label: "Match by mobile advertising ids (IDFA/AAID)?", type: "select", required: true,
      interactive: true, options: YES_NO });
  const mobile = v.mobileDevice === "yes";
  if (mobile) {
    fields.push({ name: "mobileAppId", label: "Mobile app id", type: "string", required: true, default: "" });
  }
  if (v.createOrAppend === "create") {
    fields.push({ name: "newListName", label: "New list's name", type: "string", required: true, default: "" },
      { name: "newListDescription", label: "New list's description", type: "string", required: false, default: "" });
  } else if (v.createOrAppend === "append") {
    const lists = await api.search(token, target, "SELECT user_list.resource_name, user_list.name FROM user_list " +
      "WHERE user_list.type = 'CRM_BASED' AND user_list.read_only = FALSE AND user_list.account_user_list_status = " +
      "'ENABLED' AND user_list.membership_status = 'OPEN' AND user_list.crm_based_user_list.upload_key_type = " +
      `'${mobile ? "MOBILE_ADVERTISING_ID" : "CONTACT_INFO"}'`, `the Customer Match lists of ${dashed(target)}`);
    if (lists.length) {
      fields.push({ name: "targetUserListRN", label: "List", type: "select", required: true,
        options: lists.map((l) => ({ name: String(l.userList.resourceName), label: String(l.userList.name) })) });
    } else {
      fields.push({ name: "noAvalaibleLists", label: "No lists", type: "textarea", required: false,
        default: "This account has no open Customer Match list of this kind: choose \"Create a new list\"." });
    }
  }
  fields.push(
    { name: "doHashing", label: "Hash the values?", type: "select", required: true, default: "yes", options: YES_NO,
      description: "No: the identifiers are SHA-256 hashes already." },
    { name: "consentAdUserData", label: "Consent: ad user data", type: "select", required: true,
      default: "UNSPECIFIED", options: CONSENTS },
    { name: "consentAdPersonalization", label: "Consent: ad personalization", type: "select", required: true,
      default: "UNSPECIFIED", options: CONSENTS });
  return fields;
}

function consent(value: string | undefined, field: string, errors: Record<string, string>): Consent {
  const c = (value?.trim() || "UNSPECIFIED").toUpperCase();
  if (!CONSENTS.some((o) => o.name === c)) { errors[field] = "Choose UNSPECIFIED, GRANTED or DENIED."; }
  return c as Consent;
}

/** The form's choices for a delivery; a missing one fails before anything is read. */
export function customerMatchTarget(request: ActionRequest): CustomerMatchTarget {
  const v = request.formParams;
  const errors: Record<string, string> = {};
  const loginCid = cid(v.loginCid);
  if (!/^\d{10}$/.test(loginCid)) { errors.loginCid = "Choose the account to log in through."; }
  const targetCid = cid(v.targetCid) || loginCid;
  if (!/^\d{10}$/.test(targetCid)) { errors.targetCid = "Choose the account of the list."; }
  const mode = v.createOrAppend?.trim();
  if (mode !== "create" && mode !== "append") { errors.createOrAppend = "Choose create or append."; }
  const device = v.mobileDevice?.trim();
  if (device !== "yes" && device !== "no") { errors.mobileDevice = "Choose whether to match by mobile ids."; }
  const mobile = device === "yes";
  if (mobile && !v.mobileAppId?.trim()) { errors.mobileAppId = "Give the mobile app's id."; }
  if (mode === "create" && !v.newListName?.trim()) { errors.newListName = "Name the new list."; }
  const userList = mode === "append" ? v.targetUserListRN?.trim() : undefined;
  if (mode === "append" && !/^customers\/\d+\/userLists\/\d+$/.test(userList ?? "")) {
    errors.targetUserListRN = "Choose the list to add to.";
  }
  const hashing = v.doHashing?.trim() || "yes";
  if (hashing !== "yes" && hashing !== "no") { errors.doHashing = "Choose yes or no."; }
  const target: CustomerMatchTarget = { loginCid, targetCid, userList, mobile, hash: hashing === "yes",
    newListName: v.newListName?.trim(), newListDescription: v.newListDescription?.trim(),
    mobileAppId: v.mobileAppId?.trim(),
    consentAdUserData: consent(v.consentAdUserData, "consentAdUserData", errors),
    consentAdPersonalization: consent(v.consentAdPersonalization, "consentAdPersonalization", errors) };
  if (Object.keys(errors).length) {
    throw new UserError(`The Google Ads form is not complete: ${Object.values(errors).join(" ")} Open the ` +
      "schedule's form in Looker and choose again.", errors);
  }
  return target;
}
