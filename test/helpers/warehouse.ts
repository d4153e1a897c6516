// What the write-back tests (and benches) send: json_detail results with chosen fields and rows,
// pushed in the body or generated as a stream behind a one-time download URL, so a million rows
// never sit in the test's memory either.
import { Readable } from "stream";
import { DownloadServer, startDownloadServer } from "../fakes/download_server";
import { JsonDetailField, JsonDetailFields, pushBody, urlBody } from "./looker_payloads";

export type Cells = Record<string, unknown>;

/** Dimensions (and measures, when named in `measures`) from [name, type] pairs. */
export function detailFields(dimensions: Array<[string, string]>, measures: Array<[string, string]> = [],
                             extra: Partial<JsonDetailFields> = {}): JsonDetailFields {
  const field = ([name, type]: [string, string]): JsonDetailField =>
    ({ name, label: name.replace(/^.*\./, "").replace(/_/g, " "), type, tags: [] });
  return { dimensions: dimensions.map(field), measures: measures.map(field), table_calculations: [], pivots: [],
    ...extra };
}

/** A row as Looker writes it: each value in a cell. */
export function detailRow(values: Cells): Record<string, { value: unknown }> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));
}

/** A json_detail push of these rows, with the form's table and write mode. */
export function warehousePush(fields: JsonDetailFields, rows: Cells[], data: Record<string, unknown>,
                              form: Record<string, string>): Record<string, unknown> {
  return pushBody("json_detail_lite_stream", { data, form_params: form },
    { ran_at: "2024-03-04T05:06:07+00:00", fields, data: rows.map(detailRow) });
}

/** The bytes of a json_detail document of `count` rows made by `row(i)` (i from 0), made as they are read. */
export function detailStream(fields: JsonDetailFields, count: number, row: (i: number) => Cells): Readable {
  let i = 0;
  let opened = false;
  return new Readable({
    read() {
      if (!opened) {
        opened = true;
        this.push(`{"ran_at":"2024-03-04T05:06:07+00:00","fields":${JSON.stringify(fields)},"data":[`);
        return;
      }
      if (i >= count) { this.push("]}"); this.push(null); return; }
      const lines: string[] = [];
      for (let n = 0; n < 2_000 && i < count; n++, i++) {
        lines.push(`${i ? "," : ""}${JSON.stringify(detailRow(row(i)))}`);
      }
      this.push(lines.join(""));
    },
  });
}

/** A download server that serves one generated document at any path, and a url delivery of it. */
export async function streamedDelivery(fields: JsonDetailFields, count: number, row: (i: number) => Cells,
                                       data: Record<string, unknown>, form: Record<string, string>):
    Promise<{ body: Record<string, unknown>; server: DownloadServer }> {
  const server = await startDownloadServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    detailStream(fields, count, row).pipe(res);
  });
  return { body: urlBody("json_detail_lite_stream", `${server.url}/once`, { data, form_params: form }), server };
}
