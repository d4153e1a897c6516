// Small Block Kit pieces shared by the message kinds.

export type Block = Record<string, unknown>;

/** Slack's mrkdwn treats &, < and > as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The user's comment as a section; a section's text holds at most 3,000 characters. */
export function commentBlock(comment: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(comment).slice(0, 3000) } };
}
