// The shared identifier rules of the ad audiences on their own: each vendor's normalisation of a
// table of known inputs, the SHA-256 computed here independently from the normalised text the
// vendor's rules give, digests passed on (never hashed twice), and column matching by tag, then
// by name.
import { expect } from "chai";
import { createHash } from "crypto";
import { identifier, isSha256Hex } from "../../../src/families/ads/hashing";
import { IdentifierReader, matchColumns } from "../../../src/families/ads/identifier_columns";
import * as n from "../../../src/families/ads/normalize";
import { FACEBOOK_RULES } from "../../../src/integrations/facebook/facebook_identifiers";
import { UserError } from "../../../src/lib/errors";

const sha = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

/** [rule, raw input, the text the vendor's documented rule makes of it, or the reason it is unusable]. */
const TABLE: Array<[string, (raw: string) => n.Normalized, string, string | { invalid: string }]> = [
  ["email", n.email, "  Ana.Smith@Example.COM ", "ana.smith@example.com"],
  ["email", n.email, "ANA @example.com", "ana@example.com"],
  ["email", n.email, "not-an-email", { invalid: "invalid email" }],
  ["phone digits (Facebook)", n.phoneDigits, "+1 (650) 555-1212", "16505551212"],
  ["phone digits (Facebook)", n.phoneDigits, "0044 20 7946 0958", "442079460958"],
  ["phone digits (Facebook)", n.phoneDigits, "+33 6 12 34 56 78 ext. 12", "33612345678"],
  ["phone digits (Facebook)", n.phoneDigits, "call me", { invalid: "invalid phone" }],
  ["phone digits (Facebook)", n.phoneDigits, "123", { invalid: "invalid phone" }],
  ["phone E.164 (Google)", n.phoneE164, "+1 (650) 555-1212", "+16505551212"],
  ["letters (Facebook names)", (r) => n.letters(r, "first name"), " Mary-Ann ", "maryann"],
  ["letters (Facebook names)", (r) => n.letters(r, "last name"), "Müller", "müller"],
  ["letters (Facebook city)", (r) => n.letters(r, "city"), "San Francisco", "sanfrancisco"],
  ["trimmed lower (Google names)", (r) => n.trimmedLower(r, "first name"), "  Mary  Ann ", "mary ann"],
  ["state", n.state, "California", "ca"],
  ["state", n.state, "NY", "ny"],
  ["state", n.state, "Île-de-France", "îledefrance"],
  ["zip", n.zip, "94025-1234", "94025"],
  ["zip", n.zip, "SW1A 1AA", "sw1a1aa"],
  ["country", n.countryCode, "us", "US"],
  ["country", n.countryCode, "Germany", "DE"],
  ["country", n.countryCode, "GBR", "GB"],
  ["country", n.countryCode, "Atlantis", { invalid: "unknown country" }],
  ["birth year", n.birthYear, "1984", "1984"],
  ["birth year", n.birthYear, "1850", { invalid: "invalid birth year" }],
  ["birth month", n.birthMonth, "3", "03"],
  ["birth day", n.birthDay, "31", "31"],
  ["birth day", n.birthDay, "32", { invalid: "invalid birth day" }],
  ["mobile advertiser id", n.mobileAdId, "6D92078A-8246-4BA4-AE5B-76104861E7DC",
    "6d92078a-8246-4ba4-ae5b-76104861e7dc"],
];

describe("ad audience identifiers", () => {
  for (const [what, rule, raw, expected] of TABLE) {
    it(`${what}: ${JSON.stringify(raw)} -> ${JSON.stringify(expected)}`, () => {
      expect(rule(raw)).to.deep.equal(expected);
      if (typeof expected === "string") {
        expect(identifier(raw, rule, true)).to.equal(sha(expected));
      } else {
        expect(identifier(raw, rule, true)).to.deep.equal(expected);
      }
    });
  }

  it("passes a SHA-256 digest on lower-cased, never hashed twice; without hashing takes only digests", () => {
    const digest = sha("ana.smith@example.com");
    expect(identifier(digest.toUpperCase(), n.email, true)).to.equal(digest);
    expect(identifier(` ${digest} `, n.phoneDigits, false)).to.equal(digest);
    expect(identifier("ana@example.com", n.email, false)).to.deep.equal({ invalid: "not a SHA-256 hash" });
    expect(isSha256Hex(digest)).to.equal(true);
    expect(isSha256Hex(digest.slice(1))).to.equal(false);
  });

  it("matches columns by tag first, then by name or label, leaving hidden fields out", () => {
    const fields = { dimensions: [
      { name: "users.contact", tags: ["email"] }, { name: "users.email" },
      { name: "users.phone_number", label: "Users Phone Number" }, { name: "users.first_order_date" },
      { name: "users.given_name" }, { name: "users.zip" }, { name: "users.mobile_advertiser_id" },
    ] };
    const columns = matchColumns(fields, new Set(["users.zip"]), FACEBOOK_RULES);
    expect(columns.map((c) => [c.rule.key, c.field])).to.deep.equal([
      ["EMAIL", "users.contact"], ["PHONE", "users.phone_number"], ["FN", "users.given_name"],
      ["MADID", "users.mobile_advertiser_id"],
    ]);
  });

  it("fails before anything is sent when no column holds an identifier, naming the tags", () => {
    expect(() => new IdentifierReader({ dimensions: [{ name: "orders.total" }] }, new Set(), FACEBOOK_RULES,
      "Facebook", true)).to.throw(UserError, /tags: \["email"\]/);
    const hidden = () => new IdentifierReader({ dimensions: [{ name: "users.email" }] }, new Set(["users.email"]),
      FACEBOOK_RULES, "Facebook", true);
    expect(hidden).to.throw(UserError, /"email", "phone", .*"external_id"/);
  });

  it("reads a row's usable identifiers, or the reason it is skipped", () => {
    const reader = new IdentifierReader({ dimensions: [{ name: "u.email" }, { name: "u.phone" }] }, new Set(),
      FACEBOOK_RULES, "Facebook", true);
    const read = (email: unknown, phone: unknown) =>
      reader.read({ "u.email": { value: email }, "u.phone": { value: phone } });
    expect(read("a@b.co", "bad phone")).to.deep.equal({ values: new Map([["EMAIL", sha("a@b.co")]]) });
    expect(read(null, "")).to.deep.equal({ rejected: "no identifier" });
    expect(read("nope", null)).to.deep.equal({ rejected: "invalid email" });
  });
});
