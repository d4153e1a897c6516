// PieceWriter: bytes into fixed-size pieces, handed on when full, pieces given back filled again.
import { expect } from "chai";
import { PieceWriter } from "../../src/lib/piece_writer";

class TextPieces extends PieceWriter {
  write(text: string): Buffer[] {
    this.text(text);
    return this.take();
  }
}

describe("PieceWriter", () => {
  it("hands on full pieces in order, the rest at the end, a character's bytes split where a piece ends", () => {
    const writer = new TextPieces(4);
    const pieces = [...writer.write("ab"), ...writer.write("cdé東x"), writer.end()];
    expect(pieces.map((p) => p.length)).to.deep.equal([4, 4, 2]);
    expect(Buffer.concat(pieces).toString()).to.equal("abcdé東x");
  });

  it("fills a piece given back instead of making one, and keeps at most two", () => {
    const writer = new TextPieces(4);
    const first = writer.write("abcdefghijklm");
    expect(first).to.have.length(3);
    const buffers = new Set(first.map((p) => p.buffer));
    for (const piece of first) { writer.reuse(piece); }
    const next = writer.write("nopqrstuvwxyz");
    expect(next).to.have.length(3);
    expect(next.filter((p) => buffers.has(p.buffer))).to.have.length(2);
    expect(Buffer.concat([...next, writer.end()]).toString()).to.equal("mnopqrstuvwxyz");
  });

  it("takes back only whole pieces of its own size, and a piece once", () => {
    const writer = new TextPieces(4);
    const [piece] = writer.write("abcde");
    writer.reuse(piece.subarray(0, 2));
    writer.reuse(Buffer.alloc(8));
    writer.reuse(piece);
    writer.reuse(piece);
    const pieces = writer.write("fghijklmnopq");
    expect(pieces).to.have.length(3);
    expect(pieces.filter((p) => p.buffer === piece.buffer)).to.have.length(1);
    expect(Buffer.concat([...pieces, writer.end()]).toString()).to.equal("efghijklmnopq");
  });
});
