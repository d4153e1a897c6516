// jira_create_issue as the suite-wide tests run it (test/helpers/suite_settings.ts): the admin's site
// address is the fake Jira's (or the hardening suites' vendor).
import { JIRA_EMAIL, JIRA_TOKEN, JiraFake } from "../../fakes/jira_api";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["jira_create_issue"],
  shapedParams: (url) => ({ jira_create_issue: { address: url } }),
  async lookerShapes() {
    const jira = await new JiraFake().start();
    return {
      deliveries: { jira_create_issue: { data: { address: jira.url("/"), username: JIRA_EMAIL, password: JIRA_TOKEN },
        form: { project: "10000", issueType: "1", summary: "Revenue", description: "Weekly numbers" } } },
      stop: () => jira.stop(),
    };
  },
};
