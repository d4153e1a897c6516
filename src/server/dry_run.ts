// A dry run's steps after the checks every execute makes (action_routes.ts): the form as Looker
// would show it, built from the vendor's answers with these settings (so the credentials are tried
// and a chosen channel, bucket or list must be among those the vendor lists), then the
// integration's own dry run or the hub's (src/data/rows/dry_run_report.ts). All within
// withDryRun: the shared HTTP client refuses any call that may write (src/lib/dry_run.ts).
import { genericDryRun } from "../data/rows/dry_run_report";
import { ActionForm } from "../hub/action_form";
import { ActionRequest } from "../hub/action_request";
import { ActionResponse } from "../hub/action_response";
import { Integration } from "../hub/integration";
import { validateFormValues } from "../hub/validation";
import { DryRunWriteError, withDryRun } from "../lib/dry_run";
import { UserError } from "../lib/errors";

/** The form with the vendor's lists, checked as a delivery's form is, and each chosen value against its list. */
async function checkedForm(integration: Integration, request: ActionRequest): Promise<string | undefined> {
  let form: ActionForm;
  try {
    form = await integration.form!(request);
  } catch (err) {
    // A form that reads through a call the guard cannot tell from a write: checked as a delivery checks it.
    if (!(err instanceof DryRunWriteError)) { throw err; }
    const fallback = integration.validationForm ? integration.validationForm(request) : Promise.reject(err);
    validateFormValues(await fallback, request);
    return undefined;
  }
  if (form.error) { throw new UserError(form.error); }
  validateFormValues(form, request);
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    const value = request.formParams[field.name];
    const options = field.options ?? [];
    if (field.type !== "select" || !options.length || !value || options.some((o) => o.name === value)) { continue; }
    errors[field.name] = `"${value}" is not among the choices ${integration.label} offers here now.`;
  }
  if (Object.keys(errors).length) {
    throw new UserError(`Dry run: ${Object.keys(errors).map((name) => `"${name}"`).join(", ")} names a choice ` +
      `that ${integration.label} does not list for these settings; choose again in the form.`, errors);
  }
  return "the form as Looker would show it with these settings (where it lists the vendor's channels, buckets " +
    "or lists, the settings work and every choice is among them)";
}

export function runDryRun(integration: Integration, request: ActionRequest): Promise<ActionResponse> {
  return withDryRun(async () => {
    const formChecked = integration.form && request.type !== "cell" ? await checkedForm(integration, request) : undefined;
    const response = integration.dryRun ? await integration.dryRun(request)
      : await genericDryRun(integration, request, await integration.dryRunPreflight?.(request));
    if (formChecked && response.dryRun && response.message) {
      response.dryRun.checked = `${response.dryRun.checked}; ${formChecked}`;
      response.message = response.message.replace(/\.$/, `; ${formChecked}.`);
    }
    return response;
  });
}
