// JIRA: opens an issue with the schedule's data attached. Named as the official hub's action
// (`jira_create_issue`; params `address`, `username`, `password`; form `project`, `issueType`,
// `summary`, `description`); unlike it, the delivered file is attached, the issue links back to
// Looker, and the answer names the new issue. Jira Cloud (API v3) or Data Center (API v2, a password
// or a personal access token).
import { ActionForm, FormField } from "../../hub/action_form";
import { ActionRequest } from "../../hub/action_request";
import { ActionResponse } from "../../hub/action_response";
import { cellLink } from "../../hub/cell";
import { FileIntegration, iconBeside, Param } from "../../hub/integration";
import { formatBytes, requestContentType, requestFileName } from "../../data/files/file_naming";
import { UserError } from "../../lib/errors";
import { HttpClient } from "../../lib/http_client";
import { multipartFile } from "../../families/webhook/multipart_file";
import { adfDescription, textDescription } from "./jira_content";
import { JiraSite } from "./jira_site";

/** Jira's longest summary. */
const MAX_SUMMARY = 255;

export class JiraIntegration extends FileIntegration {
  readonly name = "jira_create_issue";
  readonly label = "JIRA";
  readonly description = "Create a Jira issue with the data attached and a link back to Looker.";
  readonly icon = iconBeside(__dirname, "jira.svg");
  readonly params: Param[] = [{
    name: "address", label: "Address", required: true, sensitive: false,
    description: "The Jira site's URL, e.g. https://your-company.atlassian.net (Data Center: the base URL).",
  }, {
    name: "username", label: "Username", required: true, sensitive: false,
    description: "Jira Cloud: the Atlassian account's email. Data Center / Server: the account's username.",
  }, {
    name: "password", label: "Password", required: true, sensitive: true,
    description: "Jira Cloud: an API token of that account (id.atlassian.com > Security). Data Center / Server: " +
      "the account's password, or a personal access token.",
  }];

  constructor(private readonly http: HttpClient) { super(); }

  async form(request: ActionRequest): Promise<ActionForm> {
    try {
      const site = await JiraSite.connect(this.http, request);
      const projects = await site.projects();
      if (!projects.length) {
        return ActionForm.error("The Jira account sees no project: ask a Jira admin for the Browse Projects " +
          "permission in the project to file issues in.");
      }
      const chosen = projects.find((p) => p.name === request.formParams.project)?.name ?? projects[0].name;
      const issueTypes = await site.issueTypes(chosen);
      return new ActionForm(formFields(projects, chosen, issueTypes));
    } catch (err) {
      if (err instanceof UserError) { return ActionForm.error(err.message); }
      throw err;
    }
  }

  /** Field names and `required` only: a delivery does not list the site's projects again. */
  async validationForm(): Promise<ActionForm> {
    return new ActionForm(formFields([], "", []));
  }

  async execute(request: ActionRequest): Promise<ActionResponse> {
    const f = request.formParams;
    const summary = (f.summary ?? "").trim().replace(/\s+/g, " ");
    if (summary.length > MAX_SUMMARY) {
      throw new UserError(`The summary has ${summary.length} characters; Jira takes at most ${MAX_SUMMARY}.`,
        { summary: `At most ${MAX_SUMMARY} characters.` });
    }
    const site = await JiraSite.connect(this.http, request);
    const link = cellLink(request);
    const text = f.description ?? "";
    const created = await site.call("POST", "/issue", JSON.stringify({ fields: {
      project: { id: f.project }, issuetype: { id: f.issueType }, summary,
      description: site.cloud ? adfDescription(text, link) : textDescription(text, link),
    } }), { "content-type": "application/json" });
    const key = String(created?.key ?? created?.id ?? "");
    if (!key) { throw new UserError("Jira answered without the new issue's key; check the project for it."); }
    const url = site.browseUrl(key);
    request.logger.info("jira issue created", { cloud: site.cloud });
    if (!request.delivery) { return ActionResponse.ok(`Created ${key} (${url}); there were no results to attach.`); }
    const fileName = requestFileName(request, undefined);
    try {
      const file = await multipartFile(request.delivery, fileName, requestContentType(request));
      await site.call("POST", `/issue/${encodeURIComponent(key)}/attachments`, file.body, {
        "content-type": file.contentType,
        // Jira refuses uploads without it (XSRF protection for form posts).
        "x-atlassian-token": "no-check",
      });
      return ActionResponse.ok(`Created ${key} (${url}) with "${fileName}" (${formatBytes(file.bytes())}) attached.`);
    } catch (err) {
      if (!(err instanceof UserError)) { throw err; }
      // The issue exists: say so, and that the file is not on it.
      return ActionResponse.failure(`Created ${key} (${url}), but the file could not be attached: ${err.message}`);
    }
  }
}

function formFields(projects: FormField["options"], project: string, issueTypes: FormField["options"]): FormField[] {
  return [{
    name: "project", label: "Project", type: "select", required: true, interactive: true,
    default: project || undefined, options: projects,
    description: "The project to file the issue in; the issue types follow it.",
  }, {
    name: "issueType", label: "Issue Type", type: "select", required: true,
    default: issueTypes?.[0]?.name, options: issueTypes,
  }, {
    name: "summary", label: "Summary", type: "string", required: true,
  }, {
    name: "description", label: "Description", type: "textarea", required: true,
    description: "The issue's text; a link to the Look or dashboard is added below it.",
  }];
}
