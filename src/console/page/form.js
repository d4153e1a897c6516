// Renders what Looker renders for an integration: its admin params (sensitive ones masked) and
// its form (string, textarea, select, message, oauth_link, oauth_link_google; defaults, required
// marks, interactive fields that re-ask the form on change, validation errors on their fields).
import { el } from "./hub.js";

function labelFor(id, text, required, extra) {
  return el("label", { for: id }, text, required ? el("span", { class: "required", title: "required" }, " *") : "", extra || "");
}

/** The admin params of a definition; `values` is updated as the person types. */
export function renderParams(container, params, values, onChange) {
  container.replaceChildren();
  if (!params.length) { container.append(el("p", { class: "hint" }, "This integration has no admin settings.")); }
  for (const param of params) {
    const id = `param-${param.name}`;
    // The form is asked again only for a value it was not asked with: a browser also fires
    // "change" when focus leaves a field edited since it got focus, and a second answer arriving
    // while the person types in the form would re-render it over what they typed.
    let asked = values[param.name] ?? "";
    const input = el("input", {
      id, name: param.name, type: param.sensitive ? "password" : "text", autocomplete: "off", spellcheck: "false",
      oninput: () => { values[param.name] = input.value; },
      onchange: () => {
        if (input.value === asked) { return; }
        asked = input.value;
        onChange();
      },
    });
    input.value = values[param.name] ?? "";
    container.append(el("div", { class: "row" },
      labelFor(id, param.label || param.name, param.required, param.sensitive ? el("small", {}, " (sensitive)") : ""),
      input,
      param.description ? el("small", {}, param.description) : "",
      param.user_attribute_name ? el("small", {}, `Bound to the user attribute ${param.user_attribute_name}.`) : ""));
  }
}

function optionList(field, value) {
  const options = field.options || [];
  const list = [];
  if (!field.default && !options.some((o) => o.name === value)) { list.push(el("option", { value: "" }, "")); }
  for (const option of options) {
    list.push(el("option", { value: option.name, selected: option.name === value }, option.label || option.name));
  }
  return list;
}

function control(field, id, value, values, onInteractive) {
  const changed = (input) => () => {
    values[field.name] = input.value;
    if (field.interactive) { onInteractive(); }
  };
  const common = { id, name: field.name, "aria-describedby": `error-${field.name}` };
  let input;
  switch (field.type) {
    case "textarea":
      input = el("textarea", common);
      input.value = value;
      input.addEventListener("input", () => { values[field.name] = input.value; });
      input.addEventListener("change", changed(input));
      return input;
    case "select":
      input = el("select", common, optionList(field, value));
      input.value = value;
      input.addEventListener("change", changed(input));
      return input;
    default:
      input = el("input", { ...common, type: field.sensitive ? "password" : "text", autocomplete: "off" });
      input.value = value;
      input.addEventListener("input", () => { values[field.name] = input.value; });
      input.addEventListener("change", changed(input));
      return input;
  }
}

/** Renders form fields; values not yet chosen take the field's default. */
export function renderForm(formEl, fields, values, onInteractive, onLogin) {
  formEl.replaceChildren();
  if (!fields.length) { formEl.append(el("p", { class: "hint" }, "No form: this integration asks nothing before a delivery.")); }
  for (const field of fields) {
    const id = `form-${field.name}`;
    if (field.type === "message") {
      formEl.append(el("div", { class: "row" }, field.label ? el("strong", {}, field.label) : "",
        el("p", { class: "message-field", id }, field.value || field.description || "")));
      continue;
    }
    if (field.type === "oauth_link" || field.type === "oauth_link_google") {
      formEl.append(el("div", { class: "row" },
        el("a", { class: "oauth", id, href: field.oauth_url || "#", target: "_blank", onclick: () => onLogin?.() },
          field.label || (field.type === "oauth_link_google" ? "Sign in with Google" : "Log in")),
        field.description ? el("small", {}, field.description) : ""));
      continue;
    }
    if (values[field.name] === undefined && field.default !== undefined) { values[field.name] = String(field.default); }
    const value = values[field.name] ?? "";
    formEl.append(el("div", { class: "row", "data-field": field.name },
      labelFor(id, field.label || field.name, field.required),
      control(field, id, value, values, onInteractive),
      field.description ? el("small", {}, field.description) : "",
      el("span", { class: "field-error", id: `error-${field.name}` })));
  }
}

/** Puts each validation error under its field; answers the errors whose field is not on the form. */
export function showFieldErrors(formEl, errors) {
  for (const node of formEl.querySelectorAll(".field-error")) { node.textContent = ""; }
  const elsewhere = [];
  for (const [name, message] of Object.entries(errors || {})) {
    const slot = formEl.querySelector(`#error-${CSS.escape(name)}`);
    if (slot) { slot.textContent = message; } else { elsewhere.push(`${name}: ${message}`); }
  }
  return elsewhere;
}
