// Where a write-back delivery goes and how: the form's table (schema-qualified where the
// warehouse has schemas) and write mode, read the same way by every warehouse of the family,
// and SQL identifiers quoted (never interpolated) for the warehouses that speak ANSI SQL.
import type { FormField } from "../../hub/action_form";
import type { ActionRequest } from "../../hub/action_request";
import { UserError } from "../../lib/errors";

/**
 * append: rows added to a table that exists; replace: the table's rows swapped for the query's at
 * once (readers see the old rows or the new, never a half table), created when missing; create:
 * the table created when it is missing, then rows added.
 */
export type WriteMode = "append" | "replace" | "create";
export const WRITE_MODES: readonly WriteMode[] = ["append", "replace", "create"];

/** The form's "Write" field. */
export function writeModeField(warehouse: string): FormField {
  return {
    name: "write", label: "Write", type: "select", required: true, default: "append",
    description: `Append: add the rows to a table that exists. Replace: swap the table's rows for the query's in ` +
      `one step (readers never see half a table; the table is made from the query's fields, created when ` +
      `missing). Create: make the table from the query's fields when it is missing, then add the rows. Nothing is ` +
      `written when a row does not fit: ${warehouse} keeps the table as it was.`,
    options: [{ name: "append", label: "Append" }, { name: "replace", label: "Replace" },
      { name: "create", label: "Create if missing, then append" }],
  };
}

export function writeMode(request: ActionRequest): WriteMode {
  const value = (request.formParams.write ?? "append").trim().toLowerCase() || "append";
  if (!(WRITE_MODES as readonly string[]).includes(value)) {
    throw new UserError(`"Write" must be append, replace or create; the form sent "${value}". Pick one in the form.`,
      { write: "Pick Append, Replace or Create." });
  }
  return value as WriteMode;
}

/**
 * The parts of a table name as typed: `table`, `schema.table`, each part bare or in double
 * quotes (`"my.schema"."Orders ""2024"""`), at most `maxParts` of them. `bare` turns a part typed
 * without quotes into the warehouse's name for it (Snowflake upper-cases it, as its SQL does);
 * a quoted part is always kept exactly.
 */
export function tableNameParts(typed: string | undefined, maxParts: number, example: string,
                               bare: (part: string) => string = (part) => part): string[] {
  const text = (typed ?? "").trim();
  const usage = `Type the table as ${example}; put a name holding dots in double quotes.`;
  if (!text) { throw new UserError(`The form's "Table" is empty. ${usage}`, { table: "Type the table's name." }); }
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    let part = "";
    if (text[i] === "\"") {
      i++;
      for (;;) {
        if (i >= text.length) { throw new UserError(`The table name ${text} has an unclosed double quote. ${usage}`); }
        if (text[i] === "\"") {
          if (text[i + 1] !== "\"") { i++; break; }
          i++;
        }
        part += text[i++];
      }
      if (i < text.length && text[i] !== ".") {
        throw new UserError(`The table name ${text} has text after a closing double quote. ${usage}`);
      }
    } else {
      const end = text.indexOf(".", i);
      part = text.slice(i, end === -1 ? text.length : end).trim();
      if (part.includes("\"")) { throw new UserError(`The table name ${text} has a stray double quote. ${usage}`); }
      part = part && bare(part);
      i = end === -1 ? text.length : end;
    }
    if (!part) { throw new UserError(`The table name ${text} has an empty part. ${usage}`); }
    parts.push(part);
    i++;
  }
  if (parts.length > maxParts) {
    throw new UserError(`The table name ${text} has ${parts.length} parts; at most ${maxParts} are allowed. ${usage}`);
  }
  return parts;
}

/** An identifier in double quotes (ANSI SQL: PostgreSQL, Snowflake): any text, never interpreted. */
export function quoteIdentifier(name: string): string {
  if (name.includes("\u0000")) { throw new UserError("A table or column name may not hold the NUL character."); }
  return `"${name.replace(/"/g, "\"\"")}"`;
}

/** A qualified name, each part quoted. */
export function qualifiedName(parts: string[]): string {
  return parts.map(quoteIdentifier).join(".");
}
