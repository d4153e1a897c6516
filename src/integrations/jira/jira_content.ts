// What the hub writes into Jira: the description (Atlassian Document Format on Cloud, plain text
// on Data Center) with the official hub's `Looker URL:` line. The attachment is the family's
// multipart body (src/families/webhook/multipart_file.ts).

/** Paragraphs of text, and a last paragraph linking to Looker, as an ADF document. */
export function adfDescription(text: string, lookerUrl?: string): Record<string, unknown> {
  const paragraphs = text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean).map((p) => ({
    type: "paragraph",
    content: p.split("\n").flatMap((line, i) => [
      ...(i ? [{ type: "hardBreak" }] : []), ...(line ? [{ type: "text", text: line }] : []),
    ]),
  }));
  if (lookerUrl) {
    paragraphs.push({ type: "paragraph", content: [{ type: "text", text: "Looker URL: " },
      { type: "text", text: lookerUrl, marks: [{ type: "link", attrs: { href: lookerUrl } }] } as any,
    ] });
  }
  return { type: "doc", version: 1, content: paragraphs };
}

/** The official hub's description: the text as typed, then a line `Looker URL: <url>`. */
export function textDescription(text: string, lookerUrl?: string): string {
  return lookerUrl ? `${text}\nLooker URL: ${lookerUrl}` : text;
}
