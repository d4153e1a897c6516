// A cell's value as its column's type, the same for every warehouse of the family: numbers as
// the digits Looker sent, dates as YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS[.fraction],
// booleans from Looker's "Yes"/"No". A value that does not fit is refused with its row and
// column, so the person can find it in the Look.
import { UserError } from "../../lib/errors";
import type { ColumnType, WarehouseColumn } from "./warehouse_columns";

/** A value ready for a warehouse: text (numbers, dates and timestamps in canonical form), a boolean or null. */
export type WarehouseValue = string | boolean | null;

/**
 * A row the warehouse cannot take; `row` counts from 1, the first row of data. The message may
 * quote the value, for the person who reads it in Looker; `logMessage` is the same without it,
 * for the log (no row data is logged).
 */
export class RowError extends UserError {
  constructor(message: string, readonly logMessage: string, readonly row?: number) {
    super(message);
  }
}

/** A value that does not fit its column, with the value for Looker and without it for the log. */
export function rowValueError(row: number, column: WarehouseColumn, value: unknown, expected: string): RowError {
  const where = `Row ${row}, column "${column.name}" (${column.label})`;
  return new RowError(`${where}: ${shown(value)} is not ${expected}.`,
    `${where}: the value is not ${expected} (the value went to Looker only).`, row);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2})(?::(\d{2}))?(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TRUE = new Set(["yes", "true", "t", "1"]);
const FALSE = new Set(["no", "false", "f", "0"]);

/** A short, safe rendering of a value for a message (the person sees it; it is never logged). */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function validDate(year: string, month: string, day: string): boolean {
  const d = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return d.getUTCFullYear() === Number(year) && d.getUTCMonth() === Number(month) - 1 && d.getUTCDate() === Number(day);
}

function number(value: unknown, integer: boolean): string | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) { return undefined; }
    return integer ? BigInt(value).toString() : String(value);
  }
  if (typeof value !== "string") { return undefined; }
  const text = value.trim();
  return (integer ? INTEGER : NUMBER).test(text) ? text : undefined;
}

const ZERO = 0x30;

/** The number the ASCII digits of `text` from `from` to `to` make, or -1 when one is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) { return -1; }
    n = n * 10 + d;
  }
  return n;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True when `text` starts with a valid YYYY-MM-DD (year 100 and later, as validDate has them),
 * read from its characters: the common form, without the regular expression's match and a Date.
 */
function canonicalDate(text: string): boolean {
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d) { return false; }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 100 || month < 1 || month > 12 || day < 1) { return false; }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]);
}

/** True when `text` is YYYY-MM-DD HH:MM:SS with a valid date and time, as Looker writes a timestamp. */
function canonicalTimestamp(text: string): boolean {
  if (text.length !== 19 || text.charCodeAt(10) !== 0x20 || text.charCodeAt(13) !== 0x3a ||
      text.charCodeAt(16) !== 0x3a || !canonicalDate(text)) { return false; }
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

function date(value: unknown): string | undefined {
  if (typeof value !== "string") { return undefined; }
  if (value.length === 10 && canonicalDate(value)) { return value; }
  const match = DATE.exec(value.trim());
  return match && validDate(match[1], match[2], match[3]) ? match[0] : undefined;
}

function timestamp(value: unknown): string | undefined {
  if (typeof value !== "string") { return undefined; }
  if (canonicalTimestamp(value)) { return value; }
  const match = TIMESTAMP.exec(value.trim());
  if (!match) { return date(value) ? `${value.trim()} 00:00:00` : undefined; }
  const [, day, hour, minute = "00", second = "00", fraction = "", zone] = match;
  const [y, m, d] = day.split("-");
  if (!validDate(y, m, d) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) { return undefined; }
  if (!zone) { return `${day} ${hour}:${minute}:${second}${fraction}`; }
  // An offset: the same moment in UTC, as the columns hold no zone.
  const utc = new Date(`${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${zone.length === 5 ?
    `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(utc.getTime()) ? undefined : utc.toISOString().replace("T", " ").replace(/(\.000)?Z$/, "");
}

function boolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") { return value; }
  const text = String(value).trim().toLowerCase();
  if (TRUE.has(text)) { return true; }
  return FALSE.has(text) ? false : undefined;
}

const EXPECTED: Record<ColumnType, string> = {
  integer: "a whole number", number: "a number", boolean: "Yes or No", date: "a date (YYYY-MM-DD)",
  timestamp: "a date and time (YYYY-MM-DD HH:MM:SS)", string: "text",
};

/** The value for `column`, or a RowValueError naming the row; null and "" stay null (no value). */
export function columnValue(value: unknown, column: WarehouseColumn, row: number): WarehouseValue {
  if (value === null || value === undefined) { return null; }
  if (column.type === "string") {
    if (typeof value === "object") { return JSON.stringify(value); }
    return String(value);
  }
  if (value === "") { return null; }
  let converted: WarehouseValue | undefined;
  switch (column.type) {
    case "integer": converted = number(value, true); break;
    case "number": converted = number(value, false); break;
    case "boolean": converted = boolean(value); break;
    case "date": converted = date(value); break;
    case "timestamp": converted = timestamp(value); break;
  }
  if (converted === undefined) {
    throw rowValueError(row, column, value, EXPECTED[column.type]);
  }
  return converted;
}
