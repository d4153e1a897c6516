// Facebook's multi-key schema: which column becomes which key (the official hub's LookML tags,
// then names), each normalised by Facebook's rules and hashed, except the mobile advertiser id
// and the external id, which Facebook takes as they are.
import { IdentifierRule } from "../../families/ads/identifier_columns";
import {
  birthDay, birthMonth, birthYear, countryCode, email, letters, mobileAdId, Normalized, phoneDigits, state, zip,
} from "../../families/ads/normalize";

export type FacebookKey = "EMAIL" | "PHONE" | "FN" | "LN" | "FI" | "DOBY" | "DOBM" | "DOBD" | "CT" | "ST" | "ZIP" |
  "COUNTRY" | "MADID" | "EXTERN_ID";

const lowerCountry = (raw: string): Normalized => {
  const code = countryCode(raw);
  return typeof code === "string" ? code.toLowerCase() : code;
};

const firstInitial = (raw: string): Normalized => {
  const name = letters(raw, "first initial");
  return typeof name === "string" ? Array.from(name)[0] : name;
};

const trimmed = (raw: string): Normalized => raw.trim() || { invalid: "no external id" };

export const FACEBOOK_RULES: ReadonlyArray<IdentifierRule<FacebookKey>> = [
  { key: "EMAIL", tag: "email", names: /^(.* )?e ?mail( address)?$/, normalize: email },
  { key: "PHONE", tag: "phone", names: /^(.* )?(phone|telephone|mobile|cell)( number| no)?$/, normalize: phoneDigits },
  { key: "FI", tag: "first_initial", names: /^(.* )?first initial$|^fi$/, normalize: firstInitial },
  { key: "FN", tag: "first_name", names: /^(.* )?(first|given) ?name$|^fn$/,
    normalize: (r) => letters(r, "first name") },
  { key: "LN", tag: "last_name", names: /^(.* )?(last|family|sur) ?name$|^ln$/,
    normalize: (r) => letters(r, "last name") },
  { key: "DOBY", tag: "birth_year", names: /^(.* )?(birth|dob) year$|^year of birth$|^doby$/, normalize: birthYear },
  { key: "DOBM", tag: "birth_month", names: /^(.* )?(birth|dob) month$|^month of birth$|^dobm$/,
    normalize: birthMonth },
  { key: "DOBD", tag: "birth_day", names: /^(.* )?(birth|dob) day$|^day of birth$|^dobd$/, normalize: birthDay },
  { key: "CT", tag: "city", names: /^(.* )?city$/, normalize: (r) => letters(r, "city") },
  { key: "ST", tag: "state", names: /^(.* )?(state|province)( code)?$/, normalize: state },
  { key: "ZIP", tag: "zip", names: /^(.* )?(zip|zip code|zipcode|postal code|postcode|post code)$/, normalize: zip },
  { key: "COUNTRY", tag: "country", names: /^(.* )?country( code)?$/, normalize: lowerCountry },
  { key: "MADID", tag: "mad_id", plain: true, normalize: mobileAdId,
    names: /^(.* )?(madid|maid|idfa|aaid|gaid|mobile (advertiser|advertising|ad) id|advertising id)$/ },
  { key: "EXTERN_ID", tag: "external_id", plain: true, names: /^(.* )?extern(al)? id$/, normalize: trimmed },
];
