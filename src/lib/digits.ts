// A count in English with thousands separators ("1,000,000"), as the answers and messages write
// every number. Written out rather than with toLocaleString("en-US"): on the Node.js binaries that
// carry ICU inside them (Node 24's official builds), the first locale call pages in megabytes of
// ICU's code and data, which then stay in the process's resident memory (bench/RESULTS.md, issue 29).

/** `n` with a comma between each group of three digits; a fraction keeps its digits as String gives them. */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) { return String(n); }
  const text = String(Math.abs(n));
  if (/e/i.test(text)) { return String(n); }
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.slice(0, dot);
  let grouped = "";
  for (let end = whole.length; end > 0; end -= 3) {
    grouped = whole.slice(Math.max(0, end - 3), end) + (grouped ? `,${grouped}` : "");
  }
  return `${n < 0 ? "-" : ""}${grouped}${dot < 0 ? "" : text.slice(dot)}`;
}
