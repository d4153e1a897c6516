// The SQL text of the Snowflake fake (snowflake_api.ts): dotted identifiers by Snowflake's rules
// (quoted exactly, bare upper-cased), the name and column-list patterns its statements are matched
// with, column definitions, and a bound value checked against its column's type with Snowflake's
// codes and messages for a refusal (StatementError).

export interface SfColumn { name: string; type: string; }
export interface SfTable { columns: SfColumn[]; rows: unknown[][]; transient: boolean; }

export class StatementError extends Error {
  constructor(readonly code: string, readonly sqlState: string, message: string) { super(message); }
}

/** Identifiers of a dotted name: "quoted" exactly, bare upper-cased (Snowflake's rule). */
export function identifiers(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    parts.push(m[1] !== undefined ? m[1].replace(/""/g, "\"") : m[2].toUpperCase());
    if (!m[3]) { break; }
  }
  return parts;
}

export const NAME = String.raw`((?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)(?:\.(?:"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)){0,2})`;
export const LIST = String.raw`\(((?:"(?:[^"]|"")*"|[^()"])*)\)`;

/** A comma-separated list, commas in quotes or parentheses (NUMBER(38,0)) kept. */
export function splitColumns(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let depth = 0;
  for (const c of text) {
    if (c === "\"") { quoted = !quoted; }
    if (!quoted && c === "(") { depth++; }
    if (!quoted && c === ")") { depth--; }
    if (c === "," && !quoted && depth === 0) { out.push(current.trim()); current = ""; } else { current += c; }
  }
  if (current.trim()) { out.push(current.trim()); }
  return out;
}

export function columnDefinitions(text: string): SfColumn[] {
  return splitColumns(text).map((def) => {
    const m = /^("(?:[^"]|"")*"|\S+)\s+(.+)$/.exec(def)!;
    return { name: identifiers(m[1])[0], type: m[2].trim().toUpperCase() };
  });
}

/** A bound value as the column takes it, or Snowflake's refusal. */
export function converted(value: unknown, column: SfColumn): unknown {
  if (value === null) { return null; }
  const text = String(value);
  const type = column.type;
  if (type.startsWith("NUMBER") || type === "FLOAT") {
    if (text.trim() === "" || Number.isNaN(Number(text))) {
      throw new StatementError("100038", "22018", `Numeric value '${text}' is not recognized`);
    }
    return Number(text);
  }
  if (type === "BOOLEAN") {
    if (!/^(true|false|yes|no|t|f|1|0|on|off)$/i.test(text)) {
      throw new StatementError("100037", "22018", `Boolean value '${text}' is not recognized`);
    }
    return /^(true|yes|t|1|on)$/i.test(text);
  }
  if (type === "DATE" && !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    throw new StatementError("100040", "22007", `Date '${text}' is not recognized`);
  }
  if (type.startsWith("TIMESTAMP") && !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/.test(text)) {
    throw new StatementError("100035", "22007", `Timestamp '${text}' is not recognized`);
  }
  const length = /^VARCHAR\((\d+)\)$/.exec(type);
  if (length && text.length > Number(length[1])) {
    throw new StatementError("100074", "22000", `String '${text}' is too long and would be truncated`);
  }
  return text;
}
