// RateGate spreads request starts to a rate per key, with an injected clock (no real waiting).
import { expect } from "chai";
import { RateGate } from "../../src/lib/rate_gate";

describe("RateGate", () => {
  function gate() {
    let clock = 10_000;
    const waits: number[] = [];
    const g = new RateGate(5, () => clock, async (ms) => { waits.push(ms); clock += ms; });
    return { g, waits, advance: (ms: number) => { clock += ms; } };
  }

  it("never lets more than 5 starts a second through for one key; other keys are apart", async () => {
    const { g, waits } = gate();
    const starts: number[] = [];
    let t = 10_000;
    const g2 = new RateGate(5, () => t, async (ms) => { t += ms; });
    for (let i = 0; i < 12; i++) { await g2.take("appA"); starts.push(t); }
    for (const start of starts) {
      expect(starts.filter((s) => s >= start && s < start + 1000)).to.have.length.at.most(5);
    }
    expect(starts[11] - starts[0]).to.equal(2200);
    await g.take("appA");
    await g.take("appB");
    expect(waits).to.deep.equal([]);
  });

  it("holds a key after the vendor said to wait, and waits only what is left", async () => {
    const { g, waits, advance } = gate();
    g.hold("appA", 30_000);
    advance(10_000);
    await g.take("appA");
    expect(waits).to.deep.equal([20_000]);
  });
});
