import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { SpoolLimitError, spoolStream } from "../../src/lib/spool";

describe("spoolStream", () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "spool-test-")); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it("writes the bytes to a private file, counts and signs them, and removes the file on dispose", async () => {
    const data = crypto.randomBytes(300_000);
    const spooled = await spoolStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      { dir, hmacKey: "k" });
    expect(spooled.size).to.equal(data.length);
    expect(spooled.hmacSha256Hex).to.equal(crypto.createHmac("sha256", "k").update(data).digest("hex"));
    expect(fs.statSync(spooled.file).mode & 0o777).to.equal(0o600);
    expect(fs.readFileSync(spooled.file).equals(data)).to.equal(true);
    await spooled.dispose();
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("stops past maxBytes with SpoolLimitError and leaves no file", async () => {
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(1000, 1));
    let error: unknown;
    try {
      await spoolStream(Readable.from(chunks), { dir, maxBytes: 4500 });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(SpoolLimitError);
    expect((error as SpoolLimitError).limit).to.equal(4500);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("leaves no file when the very first chunk is over the limit, even once the file system settles", async () => {
    for (let i = 0; i < 50; i++) {
      let error: unknown;
      try {
        await spoolStream(Readable.from([Buffer.alloc(2000, 1)]), { dir, maxBytes: 1000 });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(SpoolLimitError);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
