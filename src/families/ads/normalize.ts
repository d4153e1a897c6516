// The ad platforms' normalisation of identifiers before hashing (Facebook's "Hashing and
// Normalizing Data" table; Google's Customer Match formatting guidelines): each rule answers the
// normalised text, or why the value cannot be used. Both vendors share most rules; where they
// differ (phones: Facebook wants digits, Google E.164 with "+"; names: Facebook letters only,
// Google trimmed lower case) each integration picks its own.
import type * as Countries from "i18n-iso-countries";
import { US_STATES } from "./us_states";

let loaded: typeof Countries | undefined;
/** The country tables, loaded on first use (they are not needed to start the hub). */
function countries(): typeof Countries {
  if (!loaded) {
    // A require, not an import: loaded synchronously, on first use only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require("i18n-iso-countries") as typeof Countries;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded.registerLocale(require("i18n-iso-countries/langs/en.json"));
  }
  return loaded;
}

/** The normalised value, or why it is unusable ("invalid email"), a countable reason. */
export type Normalized = string | { invalid: string };

export const isUsable = (n: Normalized): n is string => typeof n === "string";

const lower = (raw: string) => raw.normalize("NFC").trim().toLowerCase();

export function email(raw: string): Normalized {
  const value = lower(raw).replace(/\s+/g, "");
  return /^[^@]+@[^@]+\.[^@]+$/.test(value) ? value : { invalid: "invalid email" };
}

/** A phone as digits with the country code: no "+", spaces, punctuation, international "00" or leading zeros. */
export function phoneDigits(raw: string): Normalized {
  const withoutExtension = raw.trim().replace(/\s*(x|ext\.?)\s*\d+$/i, "");
  if (/\p{L}/u.test(withoutExtension)) { return { invalid: "invalid phone" }; }
  const digits = withoutExtension.replace(/\D/g, "").replace(/^0+/, "");
  return digits.length >= 7 && digits.length <= 15 ? digits : { invalid: "invalid phone" };
}

/** E.164: "+" and the digits with the country code (Google). */
export function phoneE164(raw: string): Normalized {
  const digits = phoneDigits(raw);
  return typeof digits === "string" ? `+${digits}` : digits;
}

/** Lower-case letters only, no spaces or punctuation, accents kept in UTF-8 (Facebook's names and cities). */
export function letters(raw: string, what: string): Normalized {
  const value = lower(raw).replace(/[^\p{L}\p{M}]/gu, "");
  return value ? value : { invalid: `invalid ${what}` };
}

/** Trimmed lower case, inner spaces kept single (Google's names and street addresses). */
export function trimmedLower(raw: string, what: string): Normalized {
  const value = lower(raw).replace(/\s+/g, " ");
  return value ? value : { invalid: `invalid ${what}` };
}

/** A US state as its two-letter code ("California" -> "ca"); elsewhere letters only. */
export function state(raw: string): Normalized {
  const name = letters(raw, "state");
  if (typeof name !== "string") { return name; }
  return US_STATES.get(name) ?? name;
}

/** Lower case without spaces; a US ZIP+4 keeps its first five digits. */
export function zip(raw: string): Normalized {
  const value = lower(raw).replace(/\s+/g, "");
  const us = /^(\d{5})(-?\d{4})?$/.exec(value);
  if (us) { return us[1]; }
  return /^[\p{L}\p{N}-]{2,10}$/u.test(value) ? value : { invalid: "invalid zip" };
}

/** Country names already looked up (the table's name search is slow; a query has few countries). */
const COUNTRY_NAMES = new Map<string, Normalized>();

/** ISO 3166-1 alpha-2, upper case, from a code ("us", "USA") or an English name ("Germany"). */
export function countryCode(raw: string): Normalized {
  const value = raw.trim();
  const known = COUNTRY_NAMES.get(value);
  if (known !== undefined) { return known; }
  const code = lookUpCountry(value);
  if (COUNTRY_NAMES.size < 1000) { COUNTRY_NAMES.set(value, code); }
  return code;
}

function lookUpCountry(value: string): Normalized {
  const table = countries();
  if (/^[a-z]{2}$/i.test(value) && table.isValid(value.toUpperCase())) { return value.toUpperCase(); }
  const code = table.getAlpha2Code(value, "en") ??
    (/^[a-z]{3}$/i.test(value) ? table.alpha3ToAlpha2(value.toUpperCase()) : undefined);
  return code ? code.toUpperCase() : { invalid: "unknown country" };
}

export function birthYear(raw: string): Normalized {
  const year = Number(raw.trim());
  return Number.isInteger(year) && year >= 1900 && year <= new Date().getUTCFullYear()
    ? String(year) : { invalid: "invalid birth year" };
}

function twoDigits(raw: string, max: number, what: string): Normalized {
  const n = Number(raw.trim());
  return Number.isInteger(n) && n >= 1 && n <= max ? String(n).padStart(2, "0") : { invalid: `invalid ${what}` };
}

export const birthMonth = (raw: string) => twoDigits(raw, 12, "birth month");
export const birthDay = (raw: string) => twoDigits(raw, 31, "birth day");

/** An IDFA or Android advertising ID: a UUID, lower case with its hyphens (sent as it is, never hashed). */
export function mobileAdId(raw: string): Normalized {
  const value = lower(raw);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value)
    ? value : { invalid: "invalid mobile advertiser id" };
}
