// Powers off DigitalOcean droplets named by a cell or by the query's field tagged
// `digitalocean_droplet_id`. Named as the official hub's action; unlike it, every power-off is
// awaited and reported, not just the first.
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param, RequiredField } from "../../hub/integration";
import { Attempt, outcomesResponse, tryEach } from "../../hub/target_outcomes";
import { taggedValues } from "../../data/rows/tagged_values";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { requestJson } from "../../lib/vendor_json";

const TAG = "digitalocean_droplet_id";
const MAX_DROPLETS = 1000;
/** DigitalOcean allows 250 requests a minute in bursts; a few at a time stays well inside. */
const CONCURRENCY = 4;

const WORDING = {
  done: (t: string) => `Started powering off ${t}`, verb: "power off", noun: "droplet", where: " in DigitalOcean",
};

export class DigitalOceanDropletIntegration extends Integration {
  readonly name = "digitalocean_droplet";
  readonly label = "DigitalOcean - Stop Droplet";
  readonly description = "Power off the DigitalOcean droplets whose IDs are in a query or a clicked cell.";
  readonly icon = iconBeside(__dirname, "digitalocean.svg");
  readonly params: Param[] = [{
    name: "digitalocean_api_key",
    label: "DigitalOcean API Key",
    description: "A personal access token with write scope (API > Tokens in the DigitalOcean control panel).",
    required: true,
    sensitive: true,
  }];
  readonly supportedActionTypes: ActionType[] = ["cell", "query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];
  readonly requiredFields: RequiredField[] = [{ tag: TAG }];

  constructor(private readonly http: HttpClient, private readonly apiUrl: string) { super(); }

  readonly dryRunChecks = "the settings; the API key, read as Looker's connection test reads it (GET /v2/account: " +
    "a refused key fails the dry run); and the data Looker sent (bytes, rows, the first row with its values masked)";

  /** The key, tried with the connection test's read; no droplet is touched. */
  async dryRunPreflight(request: ActionRequest): Promise<string> {
    await this.connectionTest(request, request.params.digitalocean_api_key.trim());
    return "DigitalOcean took the API key (GET /v2/account)";
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const token = request.params.digitalocean_api_key.trim();
    if (request.isTest) { return this.connectionTest(request, token); }
    const { values } = await taggedValues(request, TAG, { what: "droplet ID", max: MAX_DROPLETS });
    const outcomes = await tryEach(values, CONCURRENCY, (id) => `droplet ${id}`, async (id): Promise<Attempt> => {
      if (!/^\d{1,19}$/.test(id)) {
        return { target: `"${id}"`, ok: false, detail: "not a droplet ID, which is a number" };
      }
      return this.powerOff(request, token, id, `droplet ${id}`);
    });
    return outcomesResponse(outcomes, WORDING);
  }

  private async powerOff(request: ActionRequest, token: string, id: string, target: string)
    : Promise<Attempt> {
    const result = await requestJson(this.http, {
      url: `${this.apiUrl}v2/droplets/${id}/actions`, method: "POST", trusted: true, who: "DigitalOcean",
      logger: request.logger,
      headers: { "authorization": `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "power_off" }),
    });
    if (result.unavailable) {
      const busy = result.unavailable === "rate_limited" ? "DigitalOcean's rate limit was reached"
        : "DigitalOcean did not answer";
      return { target, ok: false, detail: `${busy}; try again in a minute` };
    }
    const { status, answer } = result;
    if (status < 300) {
      const action = answer?.action;
      // DigitalOcean answers 201 with the action it started; anything else is no proof it did.
      if (!action?.id) {
        return { target, ok: false, detail: `DigitalOcean answered HTTP ${status} without an action; ` +
          "check the droplet in the control panel and try again" };
      }
      return { target, ok: true, detail: `action ${action.id}, ${action.status ?? "in-progress"}` };
    }
    const said = typeof answer?.message === "string" ? answer.message.replace(/\.$/, "") : "";
    switch (status) {
      case 401:
        return { target, ok: false, stopAll: true, detail: "DigitalOcean refused the API key: it is wrong, " +
          "expired or revoked. Ask your Looker admin to paste a current token" };
      case 403:
        return { target, ok: false, stopAll: true, detail: "DigitalOcean's API key may only read: ask your " +
          "Looker admin for a token with write scope" };
      case 404:
        return { target, ok: false, detail: "no such droplet in this DigitalOcean account" };
      case 422:
        return { target, ok: false, detail: said || "DigitalOcean cannot power it off now" };
      default:
        return { target, ok: false, detail: `DigitalOcean answered HTTP ${status}${said ? `: ${said}` : ""}; ` +
          "check the droplet and try again" };
    }
  }

  private async connectionTest(request: ActionRequest, token: string): Promise<ActionResponse> {
    const response = await this.http.request({
      url: `${this.apiUrl}v2/account`, trusted: true, who: "DigitalOcean", logger: request.logger,
      headers: { authorization: `Bearer ${token}` }, acceptStatus: (s) => s < 500 && s !== 429,
    });
    if (response.status !== 200) {
      throw new UserError("DigitalOcean refused the API key: check that it is current and has write scope.");
    }
    let account: any;
    try { account = response.json().account; } catch { account = undefined; }
    return ActionResponse.ok(`Connected to DigitalOcean${account?.email ? ` as ${account.email}` : ""}.`);
  }
}
