// Shared set-up of the Slack tests: the fake Slack, the real app around the Slack integration,
// and Looker-shaped request bodies.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import request from "supertest";
import { SlackIntegration, SlackOptions } from "../../../src/integrations/slack/slack";
import { SlackAppIntegration } from "../../../src/integrations/slack/slack_app";
import { createHttpClient } from "../../../src/lib/http_client";
import { FakeSlack } from "../../fakes/slack_api";
import { authHeader, buildTestApp, TestApp, testConfig } from "../../helpers/app";

export const CSV = "Month,Orders\n2017-07,773\n2017-06,922\n";

export interface SlackHarness {
  fake: FakeSlack;
  hub: TestApp;
  tmpDir: string;
  /** POSTs to `slack` (or to `slack_app`, which runs beside it on the same fake Slack). */
  post(route: "form" | "execute", body: Record<string, unknown>, name?: "slack" | "slack_app",
       lookerVersion?: string): request.Test;
  /** Files left in the spool folder (must be none after every delivery). */
  leftovers(): string[];
  close(): Promise<void>;
}

export async function slackHarness(options: Partial<SlackOptions> = {}): Promise<SlackHarness> {
  const fake = await new FakeSlack().start();
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "slack-test-"));
  // The shared outbound client sends the upload POST; short retry delays keep the tests quick.
  const http = createHttpClient(testConfig({ HTTP_RETRY_BASE_DELAY_MS: "5", HTTP_RETRY_MAX_DELAY_MS: "20" }));
  const slackOptions: SlackOptions = { apiUrl: fake.apiUrl, minRetryMs: 5, tmpDir, http, ...options };
  const hub = buildTestApp([new SlackIntegration(slackOptions), new SlackAppIntegration(slackOptions)]);
  return {
    fake,
    hub,
    tmpDir,
    post: (route, body, name = "slack", lookerVersion = "25.10.0") => request(hub.app)
      .post(`/actions/${name}/${route}`).set("Authorization", authHeader()).set("X-Looker-Webhook-Id", "wh-1")
      .set("User-Agent", `LookerOutgoingWebhook/${lookerVersion}`).send(body),
    leftovers: () => fs.readdirSync(tmpDir),
    close: async () => {
      await fake.stop();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

/** An execute body as Looker sends it for a Look delivered as CSV. */
export function queryBody(fake: FakeSlack, overrides: {
  formParams?: Record<string, string>; attachment?: Record<string, unknown> | null; [key: string]: unknown;
} = {}): Record<string, unknown> {
  const { formParams, attachment, ...rest } = overrides;
  return {
    type: "query",
    data: { slack_api_token: fake.token },
    form_params: {
      channelType: "manual", channel: "C0123ABCD", initial_comment: "Weekly numbers", filename: "revenue",
      ...formParams,
    },
    scheduled_plan: {
      scheduled_plan_id: 12, title: "Weekly revenue", type: "Look",
      url: "https://looker.example.com/looks/4", query_id: 55,
    },
    attachment: attachment === undefined ? { mimetype: "text/csv", extension: "csv", data: CSV } : attachment,
    ...rest,
  };
}
