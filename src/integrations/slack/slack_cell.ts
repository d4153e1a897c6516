// A cell action as a Slack message: the clicked value, the field it belongs to, the comment,
// and a link back to Looker.
import { ActionRequest } from "../../hub/action_request";
import { cellField, cellLink } from "../../hub/cell";
import { Block, commentBlock, escapeMrkdwn } from "./slack_blocks";

export interface CellMessage {
  text: string;
  blocks: Block[];
}

export function cellMessage(request: ActionRequest, comment?: string): CellMessage {
  const value = request.cellRendered ?? request.cellValue ?? "";
  const field = cellField(request);
  const link = cellLink(request);
  const blocks: Block[] = comment ? [commentBlock(comment)] : [];
  const shown = escapeMrkdwn(value).slice(0, 1900) || "_empty_";
  blocks.push({
    type: "section",
    fields: [
      { type: "mrkdwn", text: `*${escapeMrkdwn(field ?? "Value")}*\n${shown}` },
    ],
  });
  const context = [`Sent from Looker${link ? `: <${link}|open in Looker>` : ""}`];
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: context.join(" ") }] });
  const text = [comment, `${field ?? "Value"}: ${value}`, link].filter(Boolean).join("\n");
  return { text, blocks };
}
