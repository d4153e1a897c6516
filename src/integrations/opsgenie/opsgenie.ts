// Opsgenie: creates alerts through the Alert API v2 (POST /v2/alerts, `Authorization: GenieKey
// <key>`, answered 202 with a requestId): one for a clicked cell, or one for a schedule's query
// (its message and priority from the form, the row count and first rows as the description).
// The admin picks the account's region (api.opsgenie.com or api.eu.opsgenie.com); OPSGENIE_API_URL
// overrides both.
import { previewRows } from "../../data/rows/row_preview";
import { DEDUPLICATE_FIELD } from "../../families/alerts/alert_keys";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { markVendorText } from "../../lib/http_errors";
import { requestJson } from "../../lib/vendor_json";
import { Alert, cellAlert, MAX_MESSAGE, PRIORITIES, Priority, queryAlert } from "./opsgenie_alert";
import { requestOutcome } from "./opsgenie_request";

const REGIONS: Record<string, string> = { US: "https://api.opsgenie.com/", EU: "https://api.eu.opsgenie.com/" };
const PREVIEW_ROWS = 10;

export class OpsgenieIntegration extends Integration {
  // Wire names (name, param and field names) are stored by Looker: never rename them once shipped.
  readonly name = "opsgenie";
  readonly label = "Opsgenie";
  readonly description = "Create an Opsgenie alert from a clicked value or from a schedule's query.";
  readonly icon = iconBeside(__dirname, "opsgenie.svg");
  readonly params: Param[] = [{
    name: "api_key", label: "API key", required: true, sensitive: true,
    description: "The API key of an API integration in Opsgenie (Teams > your team > Integrations > Add " +
      "integration > API), with Create and Update Access.",
  }, {
    name: "region", label: "Region", required: false, sensitive: false,
    description: "US (api.opsgenie.com, the default) or EU (api.eu.opsgenie.com), as your Opsgenie account's URL shows.",
  }];
  readonly supportedActionTypes: ActionType[] = ["cell", "query"];
  readonly supportedFormats: Format[] = ["json_detail", "csv"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  /**
   * `apiUrl`: OPSGENIE_API_URL when set, which wins over the region. `statusWaitsMs`: the waits
   * between asks of how a create went (opsgenie_request.ts), about 5 s in all.
   */
  constructor(private readonly http: HttpClient, private readonly apiUrl?: string,
              private readonly statusWaitsMs: number[] = [250, 500, 1000, 1500, 2000]) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const fields: ActionForm["fields"] = [{
      name: "message", label: "Message", type: "string", required: request.type !== "cell",
      description: `The alert's title, at most ${MAX_MESSAGE} characters` +
        (request.type === "cell" ? "; the field's name when empty." : "."),
    }, {
      name: "priority", label: "Priority", type: "select", default: "P3",
      options: PRIORITIES.map((p) => ({ name: p, label: p })),
    }];
    return new ActionForm(request.type === "cell" ? fields : [...fields, DEDUPLICATE_FIELD]);
  }

  readonly dryRunChecks = "the settings and the form's values; the API key and the region, read with Opsgenie's List " +
    "alerts (a GET, which creates nothing: a refused key, a key of the other region, or one without the Read Access " +
    "the hub uses to confirm a create, fails the dry run; its Create access is not proven, since only a create would " +
    "prove it); and the data Looker sent (bytes, rows, the first row with its values masked)";

  /** The key, read with List alerts (limit 1); nothing is created. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    const { baseUrl, key } = this.account(request);
    const result = await requestJson(this.http, {
      url: `${baseUrl}v2/alerts?limit=1`, method: "GET", trusted: true, who: "Opsgenie", logger: request.logger,
      headers: { authorization: `GenieKey ${key}` },
    });
    if (result.unavailable) { throw new UserError("Opsgenie's Alert API did not answer. Try again later."); }
    if (result.status === 403) {
      throw new UserError("Opsgenie's API key may not read alerts (HTTP 403): give the API integration Read Access, " +
        "which the hub uses to confirm that an alert was created.");
    }
    if (result.status >= 300) { throw refusal(result.status, result.answer); }
    return "Opsgenie took the API key (List alerts)";
  }

  /** The region's Alert API and the admin's key. */
  private account(request: ActionRequest): { baseUrl: string; key: string } {
    const baseUrl = opsgenieBaseUrl(request.params.region, this.apiUrl);
    const key = (request.params.api_key ?? "").trim();
    if (!key) { throw new UserError("The Opsgenie API key is missing: ask your Looker admin to set it."); }
    return { baseUrl, key };
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const { baseUrl, key } = this.account(request);
    const priority = (request.formParams.priority ?? "P3").toUpperCase() as Priority;
    if (!PRIORITIES.includes(priority)) {
      throw new UserError("Priority must be one of P1 to P5.", { priority: "Pick a priority." });
    }
    const message = (request.formParams.message ?? "").trim();
    if (message.length > MAX_MESSAGE) {
      const said = `Opsgenie takes alert messages of at most ${MAX_MESSAGE} characters; this one has ${message.length}.`;
      throw new UserError(said, { message: said });
    }
    let alert: Alert;
    if (request.type === "cell") {
      alert = cellAlert(request, message, priority);
    } else {
      if (!message) { throw new UserError("Type the alert's message.", { message: "Type the alert's message." }); }
      const preview = await previewRows(request, PREVIEW_ROWS, true);
      const rows = preview?.total ?? 0;
      if (!rows) { return ActionResponse.ok("The query returned no rows, so no Opsgenie alert was created."); }
      alert = queryAlert(request, message, priority, rows, preview);
    }
    const result = await requestJson(this.http, {
      url: `${baseUrl}v2/alerts`, method: "POST", trusted: true, who: "Opsgenie", logger: request.logger,
      headers: { "content-type": "application/json", "authorization": `GenieKey ${key}` }, body: JSON.stringify(alert),
    });
    if (result.unavailable) {
      throw new UserError(result.unavailable === "rate_limited"
        ? "Opsgenie kept answering 429 (too many requests for this API key); no alert was created. Try again in a minute."
        : "Opsgenie's Alert API did not answer; no alert was created. Try again later.");
    }
    if (result.status !== 202 && result.status !== 200) { throw refusal(result.status, result.answer); }
    const requestId = typeof result.answer?.requestId === "string" ? result.answer.requestId.slice(0, 64) : "";
    if (!requestId) { return ActionResponse.ok(`Opsgenie accepted the ${priority} alert.`); }
    const outcome = await requestOutcome({ http: this.http, baseUrl, key, requestId, logger: request.logger,
      waitsMs: this.statusWaitsMs });
    switch (outcome.kind) {
      case "created":
        return ActionResponse.ok(`Opsgenie created the ${priority} alert${outcome.alertId ? ` ${outcome.alertId}` : ""}.`);
      case "refused":
        throw new UserError(`Opsgenie accepted the alert, then did not create it` +
          `${outcome.status ? `: "${markVendorText(outcome.status)}"` : ""}. Check the API integration in Opsgenie ` +
          `(turned on, its team and responders), then send again (request ${requestId}).`);
      case "pending":
        return ActionResponse.ok(`Opsgenie accepted the ${priority} alert and was still processing it (request ` +
          `${requestId}); its alert log shows the outcome.`);
      default:
        return ActionResponse.ok(`Opsgenie accepted the ${priority} alert (request ${requestId}); asking how it went ` +
          "did not work, so its alert log shows the outcome.");
    }
  }
}

/** The Alert API's origin: OPSGENIE_API_URL when set, else the region's (US when empty). */
export function opsgenieBaseUrl(region: string | undefined, override?: string): string {
  if (override) { return override; }
  const url = REGIONS[(region ?? "").trim().toUpperCase() || "US"];
  if (!url) {
    throw new UserError("The Opsgenie region must be US or EU; it is set to something else. Ask your Looker admin " +
      "to fix the Opsgenie integration's Region.");
  }
  return url;
}

/** Opsgenie's refusals (`{"message", "errors": {field: reason}, "requestId"}`) in words the user can act on. */
function refusal(status: number, answer: any): UserError {
  const message = typeof answer?.message === "string" ? answer.message : "";
  const errors = answer?.errors && typeof answer.errors === "object"
    ? Object.values(answer.errors).filter((e): e is string => typeof e === "string") : [];
  const text = [message, ...errors].join(" ").slice(0, 300);
  const said = text ? `: "${markVendorText(text)}"` : "";
  if (status === 401) {
    return new UserError(`Opsgenie refused the API key (HTTP 401${said}). Ask your Looker admin to copy the API ` +
      "integration's key again, and to check the Region (a US key does not work in EU, nor the reverse).");
  }
  if (status === 403) {
    return new UserError(`Opsgenie's API key may not create alerts (HTTP 403${said}). Give the API integration ` +
      "Create and Update Access, or turn it on.");
  }
  return new UserError(`Opsgenie refused the alert (HTTP ${status}${said}).`);
}
