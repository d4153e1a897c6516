// json_label rows (an array of objects keyed by field label, the official ad actions' format) as
// the parts of a json_detail delivery, so a row destination reads both the same way: the fields
// are the first row's keys (name and label alike, no tags), each value becomes a cell. Streams.
import type { Delivery } from "../../hub/delivery";
import { JsonDetailField, JsonDetailItem, JsonDetailRow, jsonRows } from "./rows";

export async function* labelRowItems(delivery: Delivery): AsyncGenerator<JsonDetailItem> {
  let fieldsSent = false;
  for await (const element of jsonRows(delivery)) {
    // Anything but an object is a row without values: counted, and skipped by the mapping.
    const object = element && typeof element === "object" && !Array.isArray(element) ? element : {};
    if (!fieldsSent) {
      fieldsSent = true;
      const dimensions: JsonDetailField[] = Object.keys(object).map((key) => ({ name: key, label: key, tags: [] }));
      yield { kind: "fields", fields: { dimensions, measures: [] } };
    }
    const row: JsonDetailRow = {};
    for (const [key, value] of Object.entries(object)) { row[key] = { value }; }
    yield { kind: "row", row };
  }
  if (!fieldsSent) { yield { kind: "fields", fields: {} }; }
}
