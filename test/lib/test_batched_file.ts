// BatchedFile (src/lib/batched_file.ts): chunks appended in batches, byte for byte, with room to wait for.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BatchedFile } from "../../src/lib/batched_file";

describe("BatchedFile", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "lis-batched-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("writes every chunk in order, waiting for room when a batch is behind a write", async () => {
    const file = path.join(dir, "copy");
    const out = new BatchedFile(fs.openSync(file, "wx", 0o600));
    const chunks: Buffer[] = [];
    let waits = 0;
    for (let i = 0; i < 600; i++) {
      // Sizes from 1 byte to 64 KiB, more chunks than one writev takes.
      const chunk = crypto.randomBytes(i % 7 === 0 ? 65536 : 1 + (i * 37) % 3000);
      chunks.push(chunk);
      if (out.crowded) { waits++; await out.room(); }
      out.add(chunk);
    }
    await out.finish();
    expect(fs.readFileSync(file).equals(Buffer.concat(chunks))).to.equal(true);
    expect(waits, "waits for room").to.be.greaterThan(0);
  });

  it("closed early, drops what is queued and closes the file", async () => {
    const file = path.join(dir, "copy");
    const fd = fs.openSync(file, "wx", 0o600);
    const out = new BatchedFile(fd);
    out.add(Buffer.alloc(10, 1));
    out.close();
    out.add(Buffer.alloc(10, 2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(() => fs.fstatSync(fd)).to.throw(/EBADF/);
    expect(fs.readFileSync(file).length).to.equal(0);
  });
});
