// A logged-in user's state for integrations that declare OAuth, so the hardening suites reach
// their vendor calls (and check that tokens never reach the logs).
import { Integration } from "../../src/hub/integration";
import { storedStateFor } from "../../src/hub/oauth/stored_state";
import { Sealer } from "../../src/hub/oauth/sealing";
import { TEST_SECRET } from "../helpers/app";

/** `{state_json}` for an OAuth integration (tokens named after `tag`), nothing for others. */
export function loginData(integration: Integration, tag: string): Record<string, string> {
  if (!integration.oauth) { return {}; }
  return { state_json: storedStateFor(new Sealer(TEST_SECRET), integration.name, {
    accessToken: `${tag}_access`, refreshToken: `${tag}_refresh`, expiresAt: Date.now() + 3_600_000,
  }) };
}
