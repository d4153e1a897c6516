// The Sheets API v4 calls of a delivery: the spreadsheet's sheets, clearing and sizing the first
// one, and writing rows with values.update. Quota answers (429, per-minute write limits) are
// waited out with more attempts than other calls get.
import { GoogleApi } from "../../families/google/google_api";

/** Attempts per write: Sheets' write quota is per minute, so the backoff must outlast a minute. */
const WRITE_ATTEMPTS = 8;

export interface SheetInfo {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

export class SheetsApi {
  constructor(private readonly google: GoogleApi) {}

  async sheets(token: string, spreadsheetId: string): Promise<SheetInfo[]> {
    const answer = await this.google.json(token, { path: `v4/spreadsheets/${encodeURIComponent(spreadsheetId)}`,
      query: { fields: "sheets.properties" }, what: "the spreadsheet" });
    return (answer.sheets ?? []).map((s: any) => ({
      sheetId: Number(s.properties?.sheetId ?? 0), title: String(s.properties?.title ?? "Sheet1"),
      rowCount: Number(s.properties?.gridProperties?.rowCount ?? 0),
      columnCount: Number(s.properties?.gridProperties?.columnCount ?? 0),
    }));
  }

  /** Empties the sheet (when it had data) and sizes its grid to exactly the rows and columns to write. */
  async prepare(token: string, spreadsheetId: string, sheet: SheetInfo, rows: number, columns: number,
                clear: boolean): Promise<void> {
    const requests: unknown[] = [];
    if (clear) { requests.push({ updateCells: { range: { sheetId: sheet.sheetId }, fields: "userEnteredValue" } }); }
    requests.push({ updateSheetProperties: {
      properties: { sheetId: sheet.sheetId,
        gridProperties: { rowCount: Math.max(rows, 1), columnCount: Math.max(columns, 1) } },
      fields: "gridProperties(rowCount,columnCount)",
    } });
    await this.google.json(token, { path: `v4/spreadsheets/${encodeURIComponent(spreadsheetId)}:batchUpdate`,
      json: { requests }, what: "the spreadsheet", maxAttempts: WRITE_ATTEMPTS });
  }

  /** Writes rows (`valuesJson`: the bytes of a JSON array of row arrays) from a row (1-based) of the sheet. */
  async write(token: string, spreadsheetId: string, sheet: SheetInfo, firstRow: number, valuesJson: Buffer):
    Promise<void> {
    const range = `'${sheet.title.replace(/'/g, "''")}'!A${firstRow}`;
    await this.google.json(token, {
      method: "PUT", path: `v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/${encodeURIComponent(range)}`,
      query: { valueInputOption: "RAW" },
      // The rows are JSON already (one array a line in the spool): framed, not parsed and serialized again.
      jsonBytes: Buffer.concat([Buffer.from(`{"range":${JSON.stringify(range)},"majorDimension":"ROWS","values":`),
        valuesJson, Buffer.from("}")]),
      what: "the spreadsheet", maxAttempts: WRITE_ATTEMPTS,
    });
  }
}
