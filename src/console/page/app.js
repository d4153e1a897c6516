// The console's page: connect with the key, list the integrations as the chosen Looker version
// sees them, open one (admin settings, form, delivery) and send, showing the answer and the
// hub's log lines as Looker and the hub's operator would see them.
import { renderDelivery } from "./delivery.js";
import { renderForm, renderParams, showFieldErrors } from "./form.js";
import { $, el, fileBase64, logLines, post, save, saved } from "./hub.js";
import { renderPolicy } from "./policy.js";

const ui = {
  samples: [], formats: [], definition: null, params: {}, formValues: {}, choice: {}, formRequest: 0,
  /** The console's own state_url / state_redir_url for this integration's login (a one-time slot). */
  login: null,
};

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
    el("td", { "data-label": "Actions" }, d.supported_action_types.join(", ")),
    el("td", { "data-label": "Formats" }, (d.supported_formats || []).join(", ")),
    el("td", { "data-label": "Download" }, (d.supported_download_settings || []).join(", ")),
    el("td", { "data-label": "Required tags" }, requiredTags(d.required_fields)),
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
  if (ui.login) {
    // As Looker: v2 (state_redir_url) for integrations that advertise a token_url, else v1.
    if (ui.definition.token_url) { data.state_redir_url = ui.login.state_redir_url; } else { data.state_url = ui.login.state_url; }
  }
  return data;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the login the person started in another tab, keeps its state, and asks the form again. */
async function watchLogin() {
  const login = ui.login;
  if (!login || login.watching) { return; }
  login.watching = true;
  const note = $("#login-status");
  note.textContent = "Waiting for the login to finish in the other tab…";
  note.hidden = false;
  for (let i = 0; i < 900 && ui.login === login; i++) {
    await sleep(1000);
    const { json } = await post(`/console/api/oauth/${encodeURIComponent(login.slot)}`);
    if (json.status === "pending") { continue; }
    ui.login = null;
    if (json.status === "state") {
      applyState({ data: json.state });
    } else if (json.status === "code") {
      // Looker's step of the v2 flow: hand the sealed code to the integration's token_url.
      const answer = await post(new URL(ui.definition.token_url).pathname, { state: json.code });
      if (answer.status !== 200) {
        note.textContent = `The hub did not accept the login: ${answer.json.error || `HTTP ${answer.status}`}`;
        return;
      }
      applyState({ data: JSON.stringify(answer.json) });
    } else {
      note.textContent = "The login expired; ask the form again for a new link.";
      return;
    }
    note.textContent = "Logged in: the user state is kept in this tab.";
    await askForm();
    return;
  }
}

async function open(name) {
  const answer = await post(`/actions/${encodeURIComponent(name)}`);
  if (answer.status !== 200) { return status(answer.json.error || `HTTP ${answer.status}`, "error"); }
  const definition = answer.json;
  ui.definition = definition;
  ui.params = saved(`params.${name}`, {});
  ui.formValues = {};
  ui.login = null;
  $("#login-status").hidden = true;
  const types = definition.supported_action_types;
  ui.choice = { type: ["query", "dashboard", "cell"].find((t) => types.includes(t)) };
  $("#panel-title").textContent = `${definition.label} (${definition.name})`;
  $("#panel-description").textContent = definition.description;
  renderParams($("#params"), definition.params || [], ui.params, () => {
    save(`params.${name}`, ui.params);
    askForm();
  });
  renderDelivery($("#delivery"), definition, ui.samples, ui.formats, ui.choice, (what) => { if (what === "type") { askForm(); } });
  await renderPolicy($("#policy"), name);
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
  if (!definition.form_url) { return renderForm(formEl, [], ui.formValues, askForm, watchLogin); }
  const request = ++ui.formRequest;
  formEl.setAttribute("aria-busy", "true");
  if (definition.uses_oauth && !ui.login) {
    const slot = await post("/console/api/oauth-slot");
    if (slot.status === 200) { ui.login = slot.json; }
  }
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
  renderForm(formEl, fields, ui.formValues, askForm, watchLogin);
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

/** Sends the delivery; a dry run (X-Hub-Dry-Run) has the hub check and report, writing nothing. */
async function send(dryRun = false) {
  const definition = ui.definition;
  const box = $("#answer-box");
  box.hidden = false;
  box.removeAttribute("data-done");
  $("#answer-status").textContent = dryRun ? "Dry run…" : "Sending…";
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
  const answer = await post(`/actions/${encodeURIComponent(definition.name)}/execute`, built.json.body,
    dryRun ? { "X-Hub-Dry-Run": "true" } : {});
  const looker = answer.json.looker || { success: false, message: answer.json.error };
  await showAnswer(looker, answer.json, answer.requestId);
}

async function showAnswer(looker, json, requestId) {
  $("#answer-status").textContent = looker.success ? (looker.dry_run ? "Dry run: nothing sent" : "Success") : "Failed";
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
$("#connect-form").addEventListener("submit", (event) => {
  event.preventDefault();
  connect();
});
$("#version").addEventListener("change", () => { if ($("#key").value) { connect(); } });
$("#reload-form").addEventListener("click", askForm);
$("#send").addEventListener("click", () => send(false));
$("#dry-run").addEventListener("click", () => send(true));
$("#forget-state").addEventListener("click", () => {
  applyState({ data: "reset" });
  ui.login = null;
  askForm();
});
if (saved("key", "")) { connect(); }
