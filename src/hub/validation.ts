// Checks made before any integration code runs, answered in words for the Looker user.
import { ActionForm } from "./action_form";
import { ActionRequest } from "./action_request";
import { UserError } from "../lib/errors";
import { Integration } from "./integration";

/** The action type is supported and every required admin param is present. */
export function validateRequest(integration: Integration, request: ActionRequest): void {
  if (request.type && !integration.supportedActionTypes.includes(request.type)) {
    throw new UserError(
      `${integration.label} cannot deliver ${request.type} actions; ` +
      `it supports ${integration.supportedActionTypes.join(", ")}. Choose another destination.`,
    );
  }
  const missing = integration.params.filter((p) => p.required && !(request.params[p.name] ?? "").trim());
  if (missing.length) {
    const labels = missing.map((p) => `"${p.label}"`).join(", ");
    throw new UserError(
      `${integration.label} is not set up: ${labels} ${missing.length > 1 ? "are" : "is"} missing. ` +
      `Ask your Looker admin to fill ${missing.length > 1 ? "them" : "it"} in under Admin > Actions.`,
    );
  }
}

/** Every required field of the form has a value; the answer points at the fields. */
export function validateFormValues(form: ActionForm, request: ActionRequest): void {
  const errors: Record<string, string> = {};
  for (const field of form.fields) {
    if (field.required && !(request.formParams[field.name] ?? "").trim()) {
      errors[field.name] = `${field.label ?? field.name} is required.`;
    }
  }
  const names = Object.keys(errors);
  if (names.length) {
    const labels = form.fields.filter((f) => errors[f.name]).map((f) => `"${f.label ?? f.name}"`).join(", ");
    throw new UserError(`Please fill in ${labels} before sending.`, errors);
  }
}
