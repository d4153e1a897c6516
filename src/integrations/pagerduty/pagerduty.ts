// Ours: pages through PagerDuty's Events API v2 when a cell is clicked or a schedule's query
// shows trouble. One event for a cell; for a query one per row (up to the form's limit) or one
// summary event. Dedup keys make a schedule that fires again update its incidents.
import { DEDUPLICATE_FIELD } from "../../families/alerts/alert_keys";
import { ActionForm } from "../../hub/action_form";
import { ActionRequest, ActionType } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { DownloadSetting, Format, iconBeside, Integration, Param } from "../../hub/integration";
import { eachLimited, outcomesResponse, singleOutcomeResponse, TargetOutcome } from "../../hub/target_outcomes";
import { jsonDetailItems } from "../../data/rows/rows";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { requestJson } from "../../lib/vendor_json";
import {
  cellEvent, EventSettings, RowReader, rowEvent, SEVERITIES, Severity, summaryEvent, TriggerEvent,
} from "./pagerduty_events";
import { groupDigits } from "../../lib/digits";

const DEFAULT_MAX_EVENTS = 25;
const LIMIT_MAX_EVENTS = 1000;
const SUMMARY_ROWS = 10;
/** PagerDuty accepts about 120 events a minute per routing key; a few at a time with retries on 429. */
const CONCURRENCY = 3;

const WORDING = {
  done: (t: string) => `Triggered ${t}`, doneOne: (t: string) => `Triggered an event for ${t}`,
  verb: "trigger", verbOne: "trigger an event for", noun: "event", where: " in PagerDuty",
};

export class PagerDutyIntegration extends Integration {
  readonly name = "pagerduty";
  readonly label = "PagerDuty";
  readonly description = "Trigger PagerDuty incidents from a clicked cell or from a query's rows, updated when a " +
    "schedule fires again.";
  readonly icon = iconBeside(__dirname, "pagerduty.svg");
  readonly params: Param[] = [{
    name: "routing_key",
    label: "Integration Key",
    description: "The Integration Key (routing key) of an Events API v2 integration on the PagerDuty service to page " +
      "(Service > Integrations > Add > Events API V2).",
    required: true,
    sensitive: true,
  }];
  readonly supportedActionTypes: ActionType[] = ["cell", "query"];
  readonly supportedFormats: Format[] = ["json_detail"];
  readonly supportedDownloadSettings: DownloadSetting[] = ["push", "url"];

  constructor(private readonly http: HttpClient, private readonly eventsUrl: string) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    const fields: ActionForm["fields"] = [{
      name: "severity", label: "Severity", type: "select", default: "error",
      options: SEVERITIES.map((s) => ({ name: s, label: s[0].toUpperCase() + s.slice(1) })),
    }, {
      name: "summary", label: "Summary", type: "string",
      description: "The incident's title. Empty: the schedule's title (with the row or cell it is about).",
    }, {
      name: "dedup_key", label: "Deduplication key", type: "string",
      description: "Optional. Events with the same key update one incident. Empty: derived from the schedule and " +
        "each row's dimensions, so a schedule that fires again updates its incidents rather than opening new ones.",
    }];
    if (request.type === "cell") { return new ActionForm(fields); }
    fields.push({
      name: "event_per", label: "Events", type: "select", default: "row",
      options: [{ name: "row", label: "One event per row" }, { name: "summary", label: "One event for all rows" }],
    }, {
      name: "max_events", label: "Most events", type: "string", default: String(DEFAULT_MAX_EVENTS),
      description: `With one event per row: rows beyond this many are not sent (at most ${LIMIT_MAX_EVENTS}).`,
    }, DEDUPLICATE_FIELD);
    return new ActionForm(fields);
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const settings = this.settings(request);
    if (request.type === "cell") {
      const { event, label } = cellEvent(request, settings);
      return singleOutcomeResponse(await this.send(request, event, label, true), WORDING);
    }
    if (!request.delivery) {
      return ActionResponse.ok("The query returned no rows, so no PagerDuty event was sent.");
    }
    const perRow = (request.formParams.event_per ?? "row") !== "summary";
    const max = perRow ? maxEvents(request.formParams.max_events) : 0;
    const hidden = request.scheduledPlan?.query?.vis_config?.hidden_fields;
    let reader: RowReader | undefined;
    const events: Array<{ event: TriggerEvent; label: string }> = [];
    const firstRows: Array<Record<string, unknown>> = [];
    let rows = 0;
    for await (const item of jsonDetailItems(request.delivery)) {
      if (item.kind === "fields") { reader = new RowReader(item.fields, Array.isArray(hidden) ? hidden : []); }
      if (item.kind !== "row") { continue; }
      rows++;
      if (perRow && events.length < max) { events.push(rowEvent(request, settings, reader!, item.row, rows)); }
      if (!perRow && firstRows.length < SUMMARY_ROWS) { firstRows.push(reader!.details(item.row)); }
    }
    if (rows === 0) { return ActionResponse.ok("The query returned no rows, so no PagerDuty event was sent."); }
    if (!perRow) {
      const outcome = await this.send(request, summaryEvent(request, settings, rows, firstRows), "");
      return outcome.ok
        ? ActionResponse.ok(`Triggered one PagerDuty event for ${groupDigits(rows)} rows.`)
        : ActionResponse.failure(`Could not trigger the PagerDuty event: ${outcome.detail}.`);
    }
    const outcomes = await eachLimited(events, CONCURRENCY, ({ event, label }) => this.send(request, event, label));
    const note = rows > events.length
      ? `Only the first ${groupDigits(events.length)} of ${groupDigits(rows)} rows were sent ` +
        "(the form's \"Most events\")." : "";
    return outcomesResponse(outcomes, WORDING, note);
  }

  private settings(request: ActionRequest): EventSettings {
    const severity = (request.formParams.severity ?? "error").toLowerCase() as Severity;
    if (!SEVERITIES.includes(severity)) {
      throw new UserError(`Severity must be one of ${SEVERITIES.join(", ")}.`, { severity: "Pick a severity." });
    }
    const typedSummary = (request.formParams.summary ?? "").trim();
    const summary = typedSummary || (request.type === "cell" ? (request.scheduledPlan?.title ?? "").trim()
      : request.suggestedTitle());
    return {
      routingKey: request.params.routing_key.trim(), severity, summary,
      dedupKey: (request.formParams.dedup_key ?? "").trim() || undefined,
    };
  }

  /** Sends one event; `showKey` puts the dedup key in a success's detail (a cell's one sentence). */
  private async send(request: ActionRequest, event: TriggerEvent, label: string, showKey = false)
    : Promise<TargetOutcome> {
    const result = await requestJson(this.http, {
      url: `${this.eventsUrl}v2/enqueue`, method: "POST", trusted: true, who: "PagerDuty", logger: request.logger,
      headers: { "content-type": "application/json" }, body: JSON.stringify(event),
    });
    if (result.unavailable) {
      return { target: label, ok: false, detail: result.unavailable === "rate_limited"
        ? "PagerDuty's rate limit for this integration key was reached; try again in a minute"
        : "PagerDuty did not answer; try again later" };
    }
    const { status, answer } = result;
    if (status >= 300) { return { target: label, ok: false, detail: refusal(status, answer) }; }
    if (answer?.status !== "success") {
      return { target: label, ok: false, detail: `PagerDuty answered HTTP ${status} without accepting ` +
        "the event; check the service's recent alerts and try again" };
    }
    const detail = showKey ? `dedup key ${answer.dedup_key ?? event.dedup_key}` : undefined;
    return { target: label, ok: true, detail };
  }
}

function maxEvents(raw: string | undefined): number {
  const text = (raw ?? "").trim();
  if (!text) { return DEFAULT_MAX_EVENTS; }
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > LIMIT_MAX_EVENTS) {
    throw new UserError(`"Most events" must be a whole number from 1 to ${LIMIT_MAX_EVENTS}.`,
      { max_events: `A number from 1 to ${LIMIT_MAX_EVENTS}.` });
  }
  return n;
}

/** PagerDuty's 400 answer `{status, message, errors: [...]}` as a sentence fragment. */
function refusal(status: number, answer: any): string {
  const listed: unknown[] = Array.isArray(answer?.errors) ? answer.errors : [];
  const errors = listed.filter((e): e is string => typeof e === "string");
  const said = (errors.length ? errors.join("; ") : String(answer?.message ?? "")).replace(/\.$/, "").slice(0, 300);
  if (/routing.?key|integration.?key/i.test(said) || status === 401 || status === 403 || status === 404) {
    return `PagerDuty refused the Integration Key${said ? ` (${said})` : ""}; ask your Looker admin to copy it again ` +
      "from the service's Events API v2 integration";
  }
  return `PagerDuty refused the event (HTTP ${status}${said ? `: ${said}` : ""})`;
}
