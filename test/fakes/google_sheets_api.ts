// The Sheets API v4 part of FakeGoogle: spreadsheets made through Drive, their grid properties,
// batchUpdate (updateSheetProperties, updateCells, appendDimension), values.update, the
// 10,000,000-cell limit, grid limits and quota answers (429).
import * as crypto from "crypto";
import * as http from "http";

export const CELL_LIMIT = 10_000_000;

export interface FakeSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  /** Cell values by row, while the sheet is small enough to keep (see keepCellsUpTo). */
  rows?: string[][];
  /** Rows written, and a digest of them in order: for sheets too big to keep. */
  rowsWritten: number;
  digest: crypto.Hash;
}

export interface FakeSpreadsheet {
  id: string;
  title: string;
  sheets: FakeSheet[];
}

type Send = (status: number, answer?: unknown, headers?: Record<string, string>) => void;

export class FakeSheets {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  /** The next write requests answered 429 (Sheets' per-minute write quota). */
  throttle = 0;
  /** Cells kept per sheet; past this only counts and a digest are kept. */
  keepCellsUpTo = 2_000_000;
  writeRequests = 0;

  create(id: string, title: string, sheets?: Array<Partial<FakeSheet>>): FakeSpreadsheet {
    const spreadsheet: FakeSpreadsheet = { id, title, sheets: (sheets ?? [{}]).map((s, i) => ({
      sheetId: s.sheetId ?? i, title: s.title ?? `Sheet${i + 1}`, rowCount: s.rowCount ?? 1000,
      columnCount: s.columnCount ?? 26, rows: s.rows ?? [], rowsWritten: 0, digest: crypto.createHash("sha256"),
    })) };
    this.spreadsheets.set(id, spreadsheet);
    return spreadsheet;
  }

  /** The values of a sheet as rows (first sheet by default). */
  values(id: string, sheetIndex = 0): string[][] {
    return (this.spreadsheets.get(id)?.sheets[sheetIndex].rows ?? []).map((r) => r ?? []);
  }

  answer(req: http.IncomingMessage, url: URL, json: any, send: Send): void {
    const match = /^\/v4\/spreadsheets\/([^/:]+)(:batchUpdate|\/values\/(.+))?$/.exec(url.pathname);
    const spreadsheet = match && this.spreadsheets.get(match[1]);
    if (!match || !spreadsheet) {
      return send(404, { error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" } });
    }
    if (req.method === "GET" && !match[2]) {
      return send(200, { spreadsheetId: spreadsheet.id, properties: { title: spreadsheet.title },
        sheets: spreadsheet.sheets.map((s, index) => ({ properties: { sheetId: s.sheetId, title: s.title, index,
          gridProperties: { rowCount: s.rowCount, columnCount: s.columnCount } } })) });
    }
    this.writeRequests++;
    if (this.throttle > 0) {
      this.throttle--;
      return send(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "Quota exceeded for quota " +
        "metric 'Write requests' and limit 'Write requests per minute per user'." } });
    }
    if (req.method === "POST" && match[2] === ":batchUpdate") { return this.batchUpdate(spreadsheet, json, send); }
    if (req.method === "PUT" && match[3]) {
      return this.update(spreadsheet, decodeURIComponent(match[3]), url, json, send);
    }
    send(400, { error: { code: 400, message: "Unsupported call", status: "INVALID_ARGUMENT" } });
  }

  private invalid(send: Send, message: string): void {
    send(400, { error: { code: 400, message, status: "INVALID_ARGUMENT" } });
  }

  private batchUpdate(spreadsheet: FakeSpreadsheet, json: any, send: Send): void {
    for (const request of json?.requests ?? []) {
      if (request.updateSheetProperties) {
        const props = request.updateSheetProperties.properties;
        const sheet = spreadsheet.sheets.find((s) => s.sheetId === (props.sheetId ?? 0));
        if (!sheet) { return this.invalid(send, `No grid with id: ${props.sheetId}`); }
        const grid = props.gridProperties ?? {};
        const rowCount = grid.rowCount ?? sheet.rowCount;
        const columnCount = grid.columnCount ?? sheet.columnCount;
        if (this.cells(spreadsheet) - sheet.rowCount * sheet.columnCount + rowCount * columnCount > CELL_LIMIT) {
          return this.invalid(send, "This action would increase the number of cells in the workbook above the " +
            `limit of ${CELL_LIMIT} cells.`);
        }
        sheet.rowCount = rowCount;
        sheet.columnCount = columnCount;
        if (sheet.rows) { sheet.rows = sheet.rows.slice(0, rowCount).map((r) => r?.slice(0, columnCount)); }
      } else if (request.updateCells) {
        const sheet = spreadsheet.sheets.find((s) => s.sheetId === (request.updateCells.range?.sheetId ?? 0));
        if (!sheet || request.updateCells.fields !== "userEnteredValue") {
          return this.invalid(send, "Bad updateCells");
        }
        sheet.rows = [];
        sheet.rowsWritten = 0;
        sheet.digest = crypto.createHash("sha256");
      } else {
        return this.invalid(send, `Unsupported request ${Object.keys(request)[0]}`);
      }
    }
    send(200, { spreadsheetId: spreadsheet.id, replies: (json?.requests ?? []).map(() => ({})) });
  }

  private update(spreadsheet: FakeSpreadsheet, range: string, url: URL, json: any, send: Send): void {
    const parsed = /^'?([^'!]+)'?!([A-Z]+)(\d+)$/.exec(range);
    if (!parsed || url.searchParams.get("valueInputOption") !== "RAW") { return this.invalid(send, "Bad range"); }
    const sheet = spreadsheet.sheets.find((s) => s.title === parsed[1]);
    if (!sheet) { return this.invalid(send, `Unable to parse range: ${range}`); }
    const startRow = Number(parsed[3]) - 1;
    const values: unknown[][] = json?.values ?? [];
    const width = Math.max(0, ...values.map((r) => r.length));
    if (parsed[2] !== "A" || startRow + values.length > sheet.rowCount || width > sheet.columnCount) {
      return this.invalid(send, `Range (${range}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ` +
        `${sheet.columnCount}`);
    }
    values.forEach((row, i) => {
      const cells = row.map((v) => (v === null || v === undefined ? "" : String(v)));
      sheet.digest.update(JSON.stringify(cells));
      if (sheet.rows && (startRow + i + 1) * width <= this.keepCellsUpTo) { sheet.rows[startRow + i] = cells; } else {
        sheet.rows = undefined;
      }
    });
    sheet.rowsWritten += values.length;
    send(200, { spreadsheetId: spreadsheet.id, updatedRange: range, updatedRows: values.length });
  }

  private cells(spreadsheet: FakeSpreadsheet): number {
    return spreadsheet.sheets.reduce((sum, s) => sum + s.rowCount * s.columnCount, 0);
  }
}
