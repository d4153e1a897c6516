import { expect } from "chai";
import { groupDigits } from "../../src/lib/digits";

describe("groupDigits", () => {
  it("writes a count as en-US does, without calling into ICU", () => {
    const values = [0, 1, 12, 999, 1000, 1001, 12345, 999999, 1000000, 1234567890, -1, -1000, -1234567,
      Number.MAX_SAFE_INTEGER, 2 ** 40, 1.5, 1234.25, -98765.125];
    for (const n of values) {
      expect(groupDigits(n), String(n)).to.equal(n.toLocaleString("en-US", { maximumFractionDigits: 20 }));
    }
  });

  it("leaves what has no digits to group as String writes it", () => {
    expect(groupDigits(Number.NaN)).to.equal("NaN");
    expect(groupDigits(Infinity)).to.equal("Infinity");
    expect(groupDigits(1e21)).to.equal("1e+21");
  });
});
