import { ValueEnd } from "../../src/data/json/json_value_end";

/** Where ValueEnd says the value starting at 0 ends, fed `doc` cut at `cuts`; -1 if it never does. */
export function endOf(doc: Buffer, cuts: number[]): number {
  const finder = new ValueEnd();
  let from = 0;
  for (const to of [...cuts, doc.length]) {
    const at = finder.find(doc.subarray(from, to), 0);
    if (at !== -1) { return from + at; }
    from = to;
  }
  return -1;
}
