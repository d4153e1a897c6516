// Customer Match's user identifiers: which column becomes which (the official hub's label rules,
// as LookML tags first), normalised by Google's formatting guidelines (E.164 phones, trimmed
// lower-case names) and hashed; country, zip, city and state and mobile ids go as they are. An
// address is only usable whole: first and last name, country and zip.
import type { Mapped } from "../../data/rows/row_pipeline";
import type { RowMapping } from "../../data/rows/row_mapping";
import { JsonDetailFields, JsonDetailRow } from "../../data/rows/rows";
import { IdentifierReader, IdentifierRule } from "../../families/ads/identifier_columns";
import { countryCode, email, mobileAdId, Normalized, phoneE164, trimmedLower } from "../../families/ads/normalize";

export type ContactKey = "EMAIL" | "PHONE" | "FIRST" | "LAST" | "STREET" | "CITY" | "STATE" | "COUNTRY" | "ZIP";
export type MobileKey = "MOBILE_ID";

/** One person as addOperations takes it. */
export interface UserData {
  userIdentifiers: Array<Record<string, unknown>>;
}

const plainText = (what: string) => (raw: string): Normalized => raw.trim().replace(/\s+/g, " ") || { invalid: what };

/** US ZIP+4 to its five digits; other postal codes trimmed, upper case. */
const postalCode = (raw: string): Normalized => {
  const value = raw.trim().toUpperCase();
  const us = /^(\d{5})(-?\d{4})?$/.exec(value);
  return us ? us[1] : /^[A-Z0-9][A-Z0-9 -]{1,9}$/.test(value) ? value : { invalid: "invalid zip" };
};

export const CONTACT_RULES: ReadonlyArray<IdentifierRule<ContactKey>> = [
  { key: "EMAIL", tag: "email", names: /^(.* )?e ?mail( address)?$/, normalize: email },
  { key: "PHONE", tag: "phone", names: /^(.* )?(phone|telephone|mobile|cell)( number| no)?$/, normalize: phoneE164 },
  { key: "FIRST", tag: "first_name", names: /^(.* )?(first|given) ?name$|^first$/,
    normalize: (r) => trimmedLower(r, "first name") },
  { key: "LAST", tag: "last_name", names: /^(.* )?(last|family|sur) ?name$|^last$/,
    normalize: (r) => trimmedLower(r, "last name") },
  { key: "STREET", tag: "street_address", names: /^(.* )?(street|street address|address|address line 1)$/,
    normalize: (r) => trimmedLower(r, "street address") },
  { key: "CITY", tag: "city", names: /^(.* )?city$/, plain: true, normalize: plainText("invalid city") },
  { key: "STATE", tag: "state", names: /^(.* )?(state|province)( code)?$/, plain: true,
    normalize: plainText("invalid state") },
  { key: "COUNTRY", tag: "country", names: /^(.* )?country( code)?$/, plain: true, normalize: countryCode },
  { key: "ZIP", tag: "zip", names: /^(.* )?(zip|zip code|zipcode|postal code|postcode|post code)$/, plain: true,
    normalize: postalCode },
];

export const MOBILE_RULES: ReadonlyArray<IdentifierRule<MobileKey>> = [
  { key: "MOBILE_ID", tag: "mad_id", plain: true, normalize: mobileAdId,
    names: /^(.* )?(idfa|aaid|gaid|madid|maid|mobile (device|advertiser|advertising|ad) id|advertising id)$/ },
];

const ADDRESS_NEEDS = ["FIRST", "LAST", "COUNTRY", "ZIP"] as const;

/** Rows to UserData: contact information, or mobile advertising ids. */
export function customerMatchMapper(fields: JsonDetailFields, hidden: Set<string>, mobile: boolean, hash: boolean) {
  if (mobile) {
    const ids = new IdentifierReader(fields, hidden, MOBILE_RULES, "Google Ads", hash);
    return { map: (row: JsonDetailRow): Mapped<UserData> => {
      const read = ids.read(row);
      return "rejected" in read ? read : { record: { userIdentifiers: [{ mobileId: read.values.get("MOBILE_ID") }] } };
    } };
  }
  const reader = new IdentifierReader(fields, hidden, CONTACT_RULES, "Google Ads", hash);
  return { map: (row: JsonDetailRow): Mapped<UserData> => {
    const read = reader.read(row);
    if ("rejected" in read) { return read; }
    const v = read.values;
    const ids: Array<Record<string, unknown>> = [];
    if (v.has("EMAIL")) { ids.push({ hashedEmail: v.get("EMAIL") }); }
    if (v.has("PHONE")) { ids.push({ hashedPhoneNumber: v.get("PHONE") }); }
    if (ADDRESS_NEEDS.every((k) => v.has(k))) {
      const address: Record<string, string> = { hashedFirstName: v.get("FIRST")!, hashedLastName: v.get("LAST")!,
        countryCode: v.get("COUNTRY")!, postalCode: v.get("ZIP")! };
      if (v.has("STREET")) { address.hashedStreetAddress = v.get("STREET")!; }
      if (v.has("CITY")) { address.city = v.get("CITY")!; }
      if (v.has("STATE")) { address.state = v.get("STATE")!; }
      ids.push({ addressInfo: address });
    }
    if (!ids.length) { return { rejected: "incomplete address" }; }
    return { record: { userIdentifiers: ids } };
  } };
}

/** Customer Match's mapping for one delivery, as a row worker builds it (src/data/rows/row_mapping.ts). */
export function customerMatchMapping(args: { mobile: boolean; hash: boolean }): RowMapping<UserData> {
  return { prepare: (fields, hidden) => customerMatchMapper(fields, hidden, args.mobile, args.hash) };
}

export const CUSTOMER_MATCH_MAPPING_MODULE = __filename;
