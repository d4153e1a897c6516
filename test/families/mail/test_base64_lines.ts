// base64Lines: the same characters as Node's base64, in 76-character CRLF lines, whatever the
// chunking of the input.
import { expect } from "chai";
import { Readable } from "stream";
import { base64Lines } from "../../../src/families/mail/base64_lines";
import { readAll } from "../../helpers/deliveries";

function expected(bytes: Buffer): string {
  const b64 = bytes.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) { lines.push(b64.slice(i, i + 76)); }
  return lines.map((l) => `${l}\r\n`).join("");
}

describe("base64Lines", () => {
  it("encodes every length and chunking like Buffer#toString('base64'), wrapped at 76", async () => {
    const data = Buffer.from(Array.from({ length: 120_000 }, (_, i) => (i * 7919) % 256));
    for (const length of [1, 2, 3, 56, 57, 58, 114, 1000, 47_880, 47_881, 120_000]) {
      for (const chunk of length < 2000 ? [1, 5, 57, 4096] : [57, 4096, 65_536]) {
        const bytes = data.subarray(0, length);
        const parts: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += chunk) { parts.push(bytes.subarray(i, i + chunk)); }
        const got = (await readAll(base64Lines(Readable.from(parts)))).toString("latin1");
        expect(got, `length ${length}, chunks of ${chunk}`).to.equal(expected(bytes));
      }
    }
  });

  it("yields nothing for an empty stream", async () => {
    expect((await readAll(base64Lines(Readable.from([])))).length).to.equal(0);
  });
});
