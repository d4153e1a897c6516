// configureRowWorkers: the process's pool follows the configuration an app is made with
// (ROW_WORKER_THREADS and SPOOL_DIR), kept while both are the same, replaced when either changes.
import { expect } from "chai";
import * as os from "os";
import * as path from "path";
import { configureRowWorkers, rowWorkers } from "../../../src/data/rows/row_workers";

describe("configureRowWorkers", () => {
  after(() => configureRowWorkers(0));

  it("keeps the pool for the same size and spool folder, and replaces it when either changes", () => {
    const elsewhere = path.join(os.tmpdir(), "hub-other-spool");
    configureRowWorkers(1);
    const first = rowWorkers();
    expect(first?.spoolDir).to.equal(os.tmpdir());
    configureRowWorkers(1, os.tmpdir());
    expect(rowWorkers()).to.equal(first);
    configureRowWorkers(1, elsewhere);
    expect(rowWorkers()).to.not.equal(first);
    expect(rowWorkers()?.spoolDir).to.equal(elsewhere);
    configureRowWorkers(2, elsewhere);
    expect(rowWorkers()?.size).to.equal(2);
    configureRowWorkers(0);
    expect(rowWorkers()).to.equal(undefined);
  });
});
