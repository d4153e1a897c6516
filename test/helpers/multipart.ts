// Reads a multipart/form-data body as a vendor's server would: its parts by name, with the file
// part's name, type and bytes. For fakes and tests of integrations that send a file.
export interface Part {
  name: string;
  fileName?: string;
  contentType?: string;
  data: Buffer;
}

/** The parts of `body`, or an Error naming what is not multipart about it. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType ?? "");
  if (!/^multipart\/form-data/i.test(contentType ?? "") || !boundary) {
    throw new Error(`Not multipart/form-data: ${contentType}`);
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at !== 0) { throw new Error("The body does not start with the boundary."); }
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") { return parts; }
    const headEnd = body.indexOf("\r\n\r\n", start);
    const next = body.indexOf(delimiter, headEnd);
    if (headEnd < 0 || next < 0) { throw new Error("A part is not closed by the boundary."); }
    const head = body.subarray(start + 2, headEnd).toString();
    const disposition = /content-disposition:\s*form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?/i.exec(head);
    if (!disposition) { throw new Error(`A part has no form-data name: ${head}`); }
    parts.push({ name: disposition[1], fileName: disposition[2], contentType: /content-type:\s*(.+)/i.exec(head)?.[1],
      data: body.subarray(headEnd + 4, next - 2) });
    at = next;
  }
}
