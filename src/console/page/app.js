// The console's page: connect with the key, list the integrations as the chosen Looker version
// sees them, open one (admin settings, form, delivery) and send, showing the answer and the
// hub's log lines as Looker and the hub's operator would see them.
import { renderDelivery } from "./delivery.js";
import { renderForm, renderParams, showFieldErrors } from "./form.js";
import { $, el, fileBase64, logLines, post, save, saved } from "./hub.js";

const ui = { samples: [], formats: [], definition: null, params: {}, formValues: {}, choice: {}, formRequest: 0 };

function status(text, kind) {
  const node = $("#connect-status");
  node.textContent = text;
  node.className = kind || "";
}

function requiredTags(requiredFields) {
  return (requiredFields || []).map((r) => r.tag || (r.any_tag || r.all_tags || []).join(" | ")).join(", ");
}

async function connect() {
  save("key", $("#key").value.trim());
  save("version", $("#version").value);
  status("Connecting…");
  const list = await post("/");
  if (list.status !== 200) {
    $("#list-section").hidden = true;
    $("#panel").hidden = true;
    return status(list.json.error || `The hub answered HTTP ${list.status}.`, "error");
  }
  const samples = await post("/console/api/samples");
  ui.samples = samples.json.samples || [];
  ui.formats = samples.json.formats || [];
  status(`Connected: ${list.json.integrations.length} integrations.`, "ok");
  renderList(list.json);
}

function renderList(list) {
  $("#hub-label").textContent = list.label;
  const rows = list.integrations.map((d) => el("tr", { "data-integration": d.name },
    el("td", {}, d.icon_data_uri ? el("img", { src: d.icon_data_uri, alt: "" }) : ""),
    el("td", {}, el("strong", {}, d.label), " ", el("code", {}, d.name), el("br"), el("small", {}, d.description)),
    el("td", {}, d.supported_action_types.join(", ")),
    el("td", {}, (d.supported_formats || []).join(", ")),
    el("td", {}, (d.supported_download_settings || []).join(", ")),
    el("td", {}, requiredTags(d.required_fields)),
    el("td", {}, el("button", { type: "button", class: "open", onclick: () => open(d.name) }, "Open"))));
  $("#integrations tbody").replaceChildren(...rows);
  $("#list-section").hidden = false;
}

function userState() {
  return saved(`state.${ui.definition.name}`, undefined);
}

/** Keeps a state update as Looker does: per user and integration; "reset" forgets it. */
function applyState(update) {
  if (update && typeof update.data === "string") {
    save(`state.${ui.definition.name}`, update.data === "reset" ? undefined : update.data);
  }
  const state = userState();
  $("#state-box").hidden = state === undefined;
  $("#state").textContent = state ?? "";
}

function requestData() {
  const data = { ...ui.params };
  const state = userState();
  if (state !== undefined) { data.state_json = state; }
  return data;
}

async function open(name) {
  const answer = await post(`/actions/${encodeURIComponent(name)}`);
  if (answer.status !== 200) { return status(answer.json.error || `HTTP ${answer.status}`, "error"); }
  const definition = answer.json;
  ui.definition = definition;
  ui.params = saved(`params.${name}`, {});
  ui.formValues = {};
  const types = definition.supported_action_types;
  ui.choice = { type: ["query", "dashboard", "cell"].find((t) => types.includes(t)) };
  $("#panel-title").textContent = `${definition.label} (${definition.name})`;
  $("#panel-description").textContent = definition.description;
  renderParams($("#params"), definition.params || [], ui.params, () => {
    save(`params.${name}`, ui.params);
    askForm();
  });
  renderDelivery($("#delivery"), definition, ui.samples, ui.formats, ui.choice, (what) => { if (what === "type") { askForm(); } });
  $("#answer-box").hidden = true;
  $("#panel").hidden = false;
  applyState();
  await askForm();
  $("#panel").scrollIntoView();
}

/** Asks the form as Looker does: on opening, on a changed setting and on an interactive field's change. */
async function askForm() {
  const definition = ui.definition;
  const formEl = $("#form");
  $("#form-error").hidden = true;
  if (!definition.form_url) { return renderForm(formEl, [], ui.formValues, askForm); }
  const request = ++ui.formRequest;
  formEl.setAttribute("aria-busy", "true");
  const answer = await post(`/actions/${encodeURIComponent(definition.name)}/form`, {
    type: ui.choice.type, data: requestData(), form_params: ui.formValues,
  });
  if (request !== ui.formRequest) { return; }
  formEl.removeAttribute("aria-busy");
  const json = answer.json;
  const fields = Array.isArray(json) ? json : json.fields || [];
  const error = Array.isArray(json) ? undefined : json.error;
  if (error) {
    $("#form-error").textContent = error;
    $("#form-error").hidden = false;
  }
  if (!Array.isArray(json) && json.state) { applyState(json.state); }
  renderForm(formEl, fields, ui.formValues, askForm);
  formEl.setAttribute("data-ready", String(request));
}

async function choicePayload() {
  const c = ui.choice;
  const payload = {
    type: c.type, format: c.format, download: c.download, tags: c.tags, params: ui.params,
    formParams: ui.formValues, value: c.value, rendered: c.rendered || undefined, state: userState(),
  };
  if (c.type !== "cell") {
    if (c.sample === "file") {
      if (!c.file) { throw new Error("Choose a file first."); }
      payload.file = { name: c.file.name, base64: await fileBase64(c.file) };
    } else {
      payload.sample = c.sample;
    }
  }
  return payload;
}

function shortened(body) {
  const copy = JSON.parse(JSON.stringify(body));
  const data = copy.attachment?.data;
  if (typeof data === "string" && data.length > 400) { copy.attachment.data = `${data.slice(0, 400)}… (${data.length} characters)`; }
  return copy;
}

async function send() {
  const definition = ui.definition;
  const box = $("#answer-box");
  box.hidden = false;
  box.removeAttribute("data-done");
  $("#answer-status").textContent = "Sending…";
  $("#answer-status").className = "";
  for (const id of ["#answer-message", "#answer-json", "#request-json", "#logs", "#request-id"]) { $(id).textContent = ""; }
  $("#answer-errors").replaceChildren();
  let built;
  try {
    built = await post("/console/api/body", await choicePayload());
  } catch (err) {
    return showAnswer({ success: false, message: err.message }, {}, "");
  }
  if (built.status !== 200) { return showAnswer({ success: false, message: built.json.error }, built.json, built.requestId); }
  $("#request-json").textContent = JSON.stringify(shortened(built.json.body), null, 2);
  const answer = await post(`/actions/${encodeURIComponent(definition.name)}/execute`, built.json.body);
  const looker = answer.json.looker || { success: false, message: answer.json.error };
  await showAnswer(looker, answer.json, answer.requestId);
}

async function showAnswer(looker, json, requestId) {
  $("#answer-status").textContent = looker.success ? "Success" : "Failed";
  $("#answer-status").className = looker.success ? "ok" : "error";
  $("#answer-message").textContent = looker.message || "";
  const elsewhere = showFieldErrors($("#form"), looker.validation_errors);
  $("#answer-errors").replaceChildren(...elsewhere.map((text) => el("li", { class: "error" }, text)));
  if (looker.state) { applyState(looker.state); }
  $("#answer-json").textContent = JSON.stringify(json, null, 2);
  $("#request-id").textContent = requestId ? `(request id ${requestId})` : "";
  $("#logs").textContent = (await logLines(requestId)).join("\n");
  $("#answer-box").setAttribute("data-done", requestId || "none");
}

$("#key").value = saved("key", "");
$("#version").value = saved("version", "");
$("#connect").addEventListener("click", connect);
$("#key").addEventListener("keydown", (event) => { if (event.key === "Enter") { connect(); } });
$("#version").addEventListener("change", () => { if ($("#key").value) { connect(); } });
$("#reload-form").addEventListener("click", askForm);
$("#send").addEventListener("click", send);
$("#forget-state").addEventListener("click", () => { applyState({ data: "reset" }); askForm(); });
if (saved("key", "")) { connect(); }
