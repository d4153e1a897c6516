// Shared setup of the Segment tests: the real app around the three integrations, pointed at
// a local fake Segment API, and Looker-shaped execute bodies.
import request from "supertest";
import { AnalyticsNodeSender } from "../../../src/integrations/segment/analytics_node_sender";
import { BatchSender } from "../../../src/integrations/segment/batch_sender";
import { SegmentSettings } from "../../../src/integrations/segment/segment_delivery";
import { segmentIntegrations } from "../../../src/integrations/segment/segment";
import {
  SEGMENT_SENDER_KINDS, SegmentSender, SegmentSenderKind, SegmentSenderOptions,
} from "../../../src/integrations/segment/segment_sender";
import { authHeader, buildTestApp, TestApp } from "../../helpers/app";
import { testHttpClient } from "../../helpers/http";
import { FakeSegmentApi } from "../../fakes/segment_api";
import { Format } from "../../../src/hub/integration";
import { lookerAttachment } from "../../helpers/looker_payloads";

export const WRITE_KEY = "test-write-key";
export const APP = { name: "looker-integration-service", version: "9.9.9" };

/** Runs `suite` once per sender (SEGMENT_SENDER), the kind in its title. */
export function forEachSender(title: string, suite: (kind: SegmentSenderKind) => void): void {
  for (const kind of SEGMENT_SENDER_KINDS) {
    describe(`${title} [${kind} sender]`, () => suite(kind));
  }
}

export function segmentApp(
  fake: FakeSegmentApi, kind: SegmentSenderKind, sender: SegmentSettings["sender"] = {},
): TestApp {
  return buildTestApp(segmentIntegrations({
    apiHost: fake.url,
    appName: APP.name,
    appVersion: APP.version,
    senderKind: kind,
    // Tiny backoff for both: HTTP_RETRY_* for the batch sender, retryDelay for analytics-node.
    http: testHttpClient({ HTTP_MAX_ATTEMPTS: "4" }),
    sender: { retryDelay: () => 5, ...sender },
  }));
}

/** A sender on its own, outside a delivery. */
export function newSender(kind: SegmentSenderKind, options: SegmentSenderOptions): SegmentSender {
  return kind === "analytics-node" ? new AnalyticsNodeSender(options)
    : new BatchSender({ ...options, http: testHttpClient(), library: APP });
}

/** What each sender puts in the request besides the messages. */
export function expectedLibrary(kind: SegmentSenderKind): { userAgent: RegExp; libraryName: string } {
  return kind === "analytics-node"
    ? { userAgent: /^analytics-node\//, libraryName: "analytics-node" }
    : { userAgent: /^LookerIntegrationService\//, libraryName: APP.name };
}

type Field = { name: string; tags?: string[] };
type Fields = { dimensions?: Field[]; measures?: Field[]; table_calculations?: Field[] };

/** A json_detail payload; `ran_at` comes first, where Looker puts it. */
export function detail(fields: Fields, data: Array<Record<string, unknown>>, ranAt?: string) {
  return { ...(ranAt ? { ran_at: ranAt } : {}), fields, data };
}

export interface ExecuteOptions {
  writeKey?: string | null;
  formParams?: Record<string, string>;
  hiddenFields?: string[];
  /** The Looker format pushed (json_detail_lite_stream by default), with its real MIME type and extension. */
  format?: Format;
  webhookId?: string;
}

export function executeBody(payload: unknown, options: ExecuteOptions = {}) {
  return {
    type: "query",
    data: options.writeKey === null ? {} : { segment_write_key: options.writeKey ?? WRITE_KEY },
    form_params: options.formParams ?? {},
    scheduled_plan: {
      scheduled_plan_id: 7, title: "Users", type: "Look", url: "https://looker.example.test/looks/1",
      query: { fields: [], vis_config: { hidden_fields: options.hiddenFields ?? [] } },
    },
    attachment: lookerAttachment(options.format ?? "json_detail_lite_stream", payload),
  };
}

/** POSTs an execute through the real app and returns Looker's `looker` answer. */
export async function execute(app: TestApp, name: string, body: unknown, webhookId = "wh-1") {
  const res = await request(app.app).post(`/actions/${name}/execute`)
    .set("Authorization", authHeader())
    .set("User-Agent", "LookerOutgoingWebhook/23.0.0")
    .set("X-Looker-Webhook-Id", webhookId)
    .send(body as object);
  return { status: res.status, looker: res.body.looker as { success: boolean; message?: string;
    validation_errors?: Record<string, string> } };
}
