// A cell action as a Slack message: the clicked value, the field it belongs to, the comment,
// and a link back to Looker.
import { ActionRequest } from "../../hub/action_request";
import { Block, commentBlock, escapeMrkdwn } from "./slack_blocks";

export interface CellMessage {
  text: string;
  blocks: Block[];
}

/**
 * The field's name. Looker's cell payload carries only the value; a `field_label` or `field`
 * key in `data` (as some Lookers and LookML-built requests send) names the field.
 */
export function cellField(request: ActionRequest): string | undefined {
  const named = (request.params.field_label ?? request.params.field ?? "").trim();
  if (named) { return named; }
  const fields = request.scheduledPlan?.query?.fields;
  return Array.isArray(fields) && fields.length === 1 && typeof fields[0] === "string" ? fields[0] : undefined;
}

/** The link back to Looker: the plan's URL (the explore or Look the cell came from), when it is one. */
export function cellLink(request: ActionRequest): string | undefined {
  const url = request.scheduledPlan?.url ?? request.params.url;
  return url && /^https?:\/\/[^\s<>|]+$/i.test(url) ? url : undefined;
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
