// Shared set-up of the email tests: the real app around the `email` integration, with its
// settings from a test configuration and the hub's guard from a test HTTP client.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EmailIntegration } from "../../../src/integrations/email/email";
import { LinkStore } from "../../../src/families/mail/mail_file";
import { buildTestApp, testConfig } from "../../helpers/app";
import { LOOKER_HEADERS, PLAN } from "../../helpers/execute";
import { testHttpClient } from "../../helpers/http";

export const CSV = "Orders Created Date,Orders Total\n2024-03-01,1204.50\n2024-03-02,980.00\n";

export interface EmailHub {
  app: any;
  spoolDir: string;
  logs: () => string;
  /** Files left in the spool folder (must be none after every delivery). */
  leftovers(): string[];
  close(): void;
}

/** The app with the email integration; `env` sets EMAIL_* / SMTP_* and the guard's settings. */
export function emailHub(env: Record<string, string> = {}, linkStore?: LinkStore): EmailHub {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-email-test-"));
  const config = testConfig({ SMTP_TIMEOUT_SECONDS: "1", ...env });
  const http = testHttpClient(env);
  const integration = new EmailIntegration({ settings: config.email, guard: http.guard, spoolDir, linkStore });
  const hub = buildTestApp([integration], env);
  return {
    app: hub.app, spoolDir, logs: hub.logs,
    leftovers: () => fs.readdirSync(spoolDir),
    close: () => fs.rmSync(spoolDir, { recursive: true, force: true }),
  };
}

export function csvPayload(formParams: Record<string, string>, data: Record<string, unknown>): Record<string, any> {
  return {
    type: "query",
    scheduled_plan: { ...PLAN, title: "Weekly revenue" },
    attachment: { mimetype: "text/csv", extension: "csv", data: CSV },
    data,
    form_params: formParams,
  };
}

export { LOOKER_HEADERS };
