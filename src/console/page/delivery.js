// The delivery panel: what Looker would send. The action type, the data (a built-in sample or a
// file), its format, push or a one-time download URL, the LookML tags on the sample's fields,
// and for a cell its value.
import { el } from "./hub.js";

function select(id, options, value, onchange) {
  const node = el("select", { id, onchange: () => onchange(node.value) },
    options.map(([name, label]) => el("option", { value: name, selected: name === value }, label)));
  node.value = value;
  return node;
}

function row(id, label, control, hint) {
  return el("div", { class: "row" }, el("label", { for: id }, label), control, hint ? el("small", {}, hint) : "");
}

function requiredTagsText(requiredFields) {
  return (requiredFields || []).map((r) => r.tag ? r.tag
    : r.any_tag ? `one of ${r.any_tag.join(", ")}` : r.all_tags ? `all of ${r.all_tags.join(", ")}` : "").join("; ");
}

/** The formats the choice can be sent in: the sample's (or any, for a file) that the integration takes. */
function formatsFor(choice, definition, samples, allFormats) {
  const supported = definition.supported_formats?.length ? definition.supported_formats : allFormats;
  if (choice.sample === "file") { return supported; }
  const sample = samples.find((s) => s.id === choice.sample);
  return sample ? sample.formats.filter((f) => supported.includes(f)) : [];
}

/** Settles the choice so every value is one the integration and the sample allow. */
export function settleChoice(choice, definition, samples, allFormats) {
  const types = definition.supported_action_types;
  if (!types.includes(choice.type)) { choice.type = types.includes("query") ? "query" : types[0]; }
  const forType = samples.filter((s) => s.type === choice.type);
  if (choice.type !== "cell" && choice.sample !== "file" && !forType.some((s) => s.id === choice.sample)) {
    choice.sample = forType.find((s) => formatsFor({ sample: s.id }, definition, samples, allFormats).length)?.id
      ?? forType[0]?.id ?? "file";
  }
  const formats = formatsFor(choice, definition, samples, allFormats);
  if (!formats.includes(choice.format)) { choice.format = formats[0]; }
  const downloads = definition.supported_download_settings?.length ? definition.supported_download_settings : ["push"];
  if (!downloads.includes(choice.download)) { choice.download = downloads[0]; }
  choice.tags = choice.tags || {};
  return choice;
}

/** Renders the panel; `onChange(what)` is told which value changed ("type" re-asks the form). */
export function renderDelivery(container, definition, samples, allFormats, choice, onChange) {
  settleChoice(choice, definition, samples, allFormats);
  const rerender = (what) => { settleChoice(choice, definition, samples, allFormats); renderDelivery(container, definition, samples, allFormats, choice, onChange); onChange(what); };
  const parts = [];
  parts.push(row("type", "Action type", select("type",
    definition.supported_action_types.map((t) => [t, t]), choice.type, (v) => { choice.type = v; rerender("type"); })));

  if (choice.type === "cell") {
    const value = el("input", { id: "cell-value", oninput: () => { choice.value = value.value; } });
    value.value = choice.value ?? "acme-corp-1042";
    choice.value = value.value;
    const rendered = el("input", { id: "cell-rendered", oninput: () => { choice.rendered = rendered.value; } });
    rendered.value = choice.rendered ?? "";
    parts.push(row("cell-value", "Cell value", value, "The clicked cell's value (data.value)."));
    parts.push(row("cell-rendered", "Rendered value", rendered, "How the cell showed it (data.rendered); may stay empty."));
    const tags = requiredTagsText(definition.required_fields);
    if (tags) { parts.push(el("p", { class: "hint" }, `Looker shows this action in the menu of cells whose field is tagged: ${tags}.`)); }
    container.replaceChildren(...parts);
    return;
  }

  const sampleOptions = samples.filter((s) => s.type === choice.type).map((s) => [s.id, s.label]);
  sampleOptions.push(["file", "A file of my own…"]);
  parts.push(row("sample", "Data", select("sample", sampleOptions, choice.sample, (v) => { choice.sample = v; rerender("sample"); })));
  if (choice.sample === "file") {
    const input = el("input", { id: "file", type: "file", onchange: () => { choice.file = input.files[0]; } });
    parts.push(row("file", "File", input, "Sent as it is, in the format chosen below."));
  }
  const formats = formatsFor(choice, definition, samples, allFormats);
  parts.push(row("format", "Format", formats.length
    ? select("format", formats.map((f) => [f, f]), choice.format, (v) => { choice.format = v; })
    : el("p", { class: "error", id: "format" }, "This integration takes none of this sample's formats; choose a file.")));
  const downloads = definition.supported_download_settings?.length ? definition.supported_download_settings : ["push"];
  parts.push(row("download", "Download", select("download", downloads.map((d) => [d,
    d === "push" ? "push: data inside the request" : "url: a one-time URL the hub fetches"]), choice.download,
    (v) => { choice.download = v; })));

  const sample = samples.find((s) => s.id === choice.sample);
  if (sample?.fields) {
    const grid = el("div", { class: "tags" });
    for (const field of sample.fields) {
      const id = `tag-${field.name}`;
      const input = el("input", { id, oninput: () => { choice.tags[field.name] = input.value; } });
      input.value = choice.tags[field.name] ?? field.tags.join(", ");
      grid.append(el("label", { for: id }, field.name), input);
    }
    const required = requiredTagsText(definition.required_fields);
    parts.push(el("div", { class: "row" }, el("label", {}, "LookML tags on the sample's fields"), grid,
      el("small", {}, required ? `Looker offers this integration only when a field carries: ${required}.`
        : "Comma-separated; integrations such as Segment and the CRMs read them.")));
  }
  container.replaceChildren(...parts);
}
