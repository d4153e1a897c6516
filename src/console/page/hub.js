// Talks to the hub as Looker does: every call is a POST carrying the API key. The key and the
// values typed in stay in this tab's session storage; nothing is sent anywhere but this hub.

const store = window.sessionStorage;

export function saved(name, fallback) {
  const raw = store.getItem(`console.${name}`);
  if (raw === null) { return fallback; }
  try { return JSON.parse(raw); } catch { return fallback; }
}

export function save(name, value) {
  if (value === undefined) { store.removeItem(`console.${name}`); } else { store.setItem(`console.${name}`, JSON.stringify(value)); }
}

/** POSTs JSON to a hub path with the key; answers {status, json, requestId}, never throws for HTTP errors. */
export async function post(path, body, extraHeaders = {}) {
  const headers = {
    ...extraHeaders,
    "Authorization": `Token token="${saved("key", "")}"`,
    "Content-Type": "application/json",
  };
  const version = saved("version", "");
  // Browsers may not set User-Agent; the hub reads this header instead while the console is on.
  if (version) { headers["X-Console-Looker-Version"] = version; }
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body ?? {}) });
  } catch (err) {
    return { status: 0, json: { success: false, error: `Could not reach the hub: ${err.message}` }, requestId: "" };
  }
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { success: false, error: `The hub answered HTTP ${response.status} with no JSON.` }; }
  return { status: response.status, json, requestId: response.headers.get("X-Request-Id") || "" };
}

/** The hub's log lines for a request id (from the console's in-memory ring). */
export async function logLines(requestId) {
  if (!requestId) { return []; }
  const { json } = await post(`/console/api/logs/${encodeURIComponent(requestId)}`);
  const lines = json.lines || [];
  return json.dropped ? [...lines, `(${json.dropped} more lines not kept)`] : lines;
}

/** Builds an element: el("p", {class: "x"}, "text", child). Text is always text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) { continue; }
    if (name.startsWith("on")) { node.addEventListener(name.slice(2), value); } else { node.setAttribute(name, value === true ? "" : value); }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) { node.append(child instanceof Node ? child : String(child)); }
  }
  return node;
}

export function $(selector) {
  return document.querySelector(selector);
}

/** A file's bytes as base64, for a delivery of a file the person chose. */
export function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
