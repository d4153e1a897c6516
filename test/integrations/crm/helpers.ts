// Shared setup of the CRM and marketing tests: the real app around one family's integrations,
// Looker-shaped json_detail deliveries (pushed, inline or as a JSON string, or at a download URL).
import request from "supertest";
import { CrmSettings, crmSettings } from "../../../src/config/crm";
import { Integration } from "../../../src/hub/integration";
import { HttpClient } from "../../../src/lib/http_client";
import { authHeader, buildTestApp, TestApp } from "../../helpers/app";
import { testHttpClient } from "../../helpers/http";
import { startDownloadServer } from "../../fakes/download_server";

export type Field = { name: string; tags?: string[]; label?: string; label_short?: string };
export interface Fields { dimensions?: Field[]; measures?: Field[]; table_calculations?: Field[]; }

/** A json_detail document; `ran_at` first, where Looker puts it. */
export function detail(fields: Fields, data: Array<Record<string, unknown>>) {
  return { ran_at: "2026-11-30T08:00:00+00:00", fields: { dimensions: [], measures: [], table_calculations: [],
    ...fields }, data };
}

/** Rows from plain values: each value becomes a cell `{value}`. */
export function cells(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, { value: v }])));
}

export interface BodyOptions {
  params: Record<string, string>;
  formParams?: Record<string, string>;
  hiddenFields?: string[];
  /** How the data arrives: the real push shape (a JSON string, extension json), inline, or a URL. */
  as?: "string" | "inline" | { url: string };
}

export function executeBody(payload: unknown, options: BodyOptions) {
  const as = options.as ?? "string";
  const plan: Record<string, unknown> = {
    scheduled_plan_id: 42, title: "Audience", type: "Look", url: "https://looker.example.test/looks/17",
    query: { fields: [], vis_config: { hidden_fields: options.hiddenFields ?? [] } }, download_url: null,
  };
  if (typeof as === "object") {
    plan.download_url = as.url;
    return { type: "query", scheduled_plan: plan, attachment: null, data: options.params,
      form_params: { format: "json_detail_lite_stream", ...options.formParams } };
  }
  return {
    type: "query", scheduled_plan: plan, data: options.params, form_params: options.formParams ?? {},
    attachment: { mimetype: "application/json", extension: "json",
      data: as === "string" ? JSON.stringify(payload) : payload },
  };
}

export async function execute(app: TestApp, name: string, body: unknown) {
  const res = await request(app.app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader())
    .set("User-Agent", "LookerOutgoingWebhook/25.10.0")
    .set("X-Looker-Webhook-Id", "3f6c2a9e1b7d4e5f")
    .send(body as object);
  return res.body.looker as { success: boolean; message?: string; validation_errors?: Record<string, string> };
}

export async function form(app: TestApp, name: string, body: unknown = {}) {
  const res = await request(app.app).post(`/actions/${name}/form`)
    .set("Authorization", authHeader()).set("User-Agent", "LookerOutgoingWebhook/25.10.0").send(body as object);
  return res.body;
}

/** Serves `payload` once as Looker's download URL; stopped by the caller. */
export async function servedDetail(payload: unknown) {
  const server = await startDownloadServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(payload));
  });
  return { url: `${server.url}/download/one-time-token`, server };
}

export function crmTestSettings(env: Record<string, string> = {}): CrmSettings {
  return crmSettings(env);
}

export function crmApp(
  build: (http: HttpClient, settings: CrmSettings) => Integration[], env: Record<string, string> = {},
): TestApp {
  return buildTestApp(build(testHttpClient(env), crmTestSettings(env)));
}
