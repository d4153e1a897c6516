// Answers of actions that act once per target (a message per phone number, a stop per instance,
// an event per row): every target is tried, every outcome counted, and every failure named with
// its reason. A cell answers in one sentence about its one target; a query with counts.
import { ActionResponse } from "./action_response";
import { UserError } from "../lib/errors";
import { groupDigits } from "../lib/digits";

export interface TargetOutcome {
  /** The target as people know it: "+15551234567", "i-0abc…", "droplet 123", "row 4". */
  target: string;
  ok: boolean;
  /** Success: what happened ("was running"); failure: why, as a sentence fragment. */
  detail?: string;
}

export interface OutcomeWording {
  /** Past tense for a success, with the target: (t) => `Stopped ${t}`. */
  done: (target: string) => string;
  /** Infinitive for a failure: "stop", "send a message to". */
  verb: string;
  /** For a single target, when the counted forms read badly: (t) => `Triggered an event for ${t}`. */
  doneOne?: (target: string) => string;
  /** Infinitive for a single target's failure, when it differs from `verb`. */
  verbOne?: string;
  /** Counted noun: "instance", "message", "event". */
  noun: string;
  /** Where: " in PagerDuty", " through Twilio". */
  where?: string;
}

/** Failures named in the message; the rest are counted. */
const NAMED_FAILURES = 10;

function count(n: number, noun: string): string {
  return `${groupDigits(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function withDetail(target: string, detail?: string): string {
  return detail ? `${target} (${detail})` : target;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The answer for one target (a cell action); a failure's logged form names neither target nor reason. */
export function singleOutcomeResponse(outcome: TargetOutcome, wording: OutcomeWording): ActionResponse {
  const where = wording.where ?? "";
  if (outcome.ok) {
    const done = (wording.doneOne ?? wording.done)(outcome.target);
    return ActionResponse.ok(sentence(`${withDetail(done, outcome.detail)}${where}`));
  }
  const failure = ActionResponse.failure(sentence(`Could not ${wording.verbOne ?? wording.verb} ${outcome.target}` +
    `${where}: ${outcome.detail ?? "it failed"}`));
  failure.logMessage = `Could not ${wording.verb} the ${wording.noun}${where} (the target and reason went to Looker only).`;
  return failure;
}

/**
 * The answer for many targets: success only when every one succeeded; otherwise the counts, the
 * failures named with their reasons (the first ten), and what did succeed.
 */
export function outcomesResponse(outcomes: TargetOutcome[], wording: OutcomeWording, note = ""): ActionResponse {
  if (outcomes.length === 1) {
    const single = singleOutcomeResponse(outcomes[0], wording);
    if (note) { single.message = `${single.message} ${note}`; }
    if (note && single.logMessage) { single.logMessage = `${single.logMessage} ${note}`; }
    return single;
  }
  const where = wording.where ?? "";
  const ok = outcomes.filter((o) => o.ok);
  const failed = outcomes.filter((o) => !o.ok);
  const tail = note ? ` ${note}` : "";
  if (!failed.length) {
    const list = ok.length <= NAMED_FAILURES ? `: ${ok.map((o) => withDetail(o.target, o.detail)).join(", ")}` : "";
    return ActionResponse.ok(sentence(`${wording.done(count(ok.length, wording.noun))}${where}${list}`) + tail);
  }
  const named = groupedFailures(failed.slice(0, NAMED_FAILURES));
  const more = failed.length > NAMED_FAILURES ? `, and ${count(failed.length - NAMED_FAILURES, "more")}` : "";
  const head = ok.length
    ? `${wording.done(`${groupDigits(ok.length)} of ${count(outcomes.length, wording.noun)}`)}${where}`
    : `Could not ${wording.verb} any of the ${count(outcomes.length, wording.noun)}${where}`;
  const failure = ActionResponse.failure(sentence(`${head}; ${groupDigits(failed.length)} failed: ` +
    `${named}${more}`) + tail);
  // Targets are row values (numbers, IDs) and reasons may quote them: the log gets the counts.
  failure.logMessage = `${head}; ${groupDigits(failed.length)} failed (targets and reasons went to ` +
    `Looker only).${tail}`;
  return failure;
}

/** Failures grouped by reason, in order of first appearance: `a and b (reason); c (other reason)`. */
function groupedFailures(failed: TargetOutcome[]): string {
  const groups = new Map<string, string[]>();
  for (const o of failed) {
    const reason = o.detail ?? "failed";
    groups.set(reason, [...(groups.get(reason) ?? []), o.target]);
  }
  return [...groups].map(([reason, targets]) => `${andList(targets)} (${reason})`).join("; ");
}

function andList(items: string[]): string {
  return items.length <= 2 ? items.join(" and ") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Runs `work` on every item, at most `limit` at a time, keeping the items' order in the results. */
export async function eachLimited<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>)
  : Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A target's outcome; `stopAll` says the failure is the account's (a refused key), so the rest are not tried. */
export interface Attempt extends TargetOutcome {
  stopAll?: boolean;
}

/**
 * Tries every target, a few at a time, until one answers with `stopAll`; the targets not tried
 * then share that reason. When nothing succeeded and an account-wide failure stopped the run,
 * the failure itself is the answer (a UserError naming `nothing`).
 */
export async function tryEach<T>(items: T[], limit: number, targetOf: (item: T) => string,
  work: (item: T) => Promise<Attempt>): Promise<TargetOutcome[]> {
  let stopped: string | undefined;
  const outcomes = await eachLimited(items, limit, async (item): Promise<Attempt> => {
    if (stopped !== undefined) { return { target: targetOf(item), ok: false, detail: stopped }; }
    const attempt = await work(item);
    if (attempt.stopAll && stopped === undefined) { stopped = attempt.detail ?? "refused"; }
    return attempt;
  });
  if (stopped !== undefined && !outcomes.some((o) => o.ok)) { throw new AccountRefusedError(stopped); }
  return outcomes.map(({ stopAll, ...o }) => o);
}

/** An account-wide refusal before anything succeeded; `message` is the reason as a sentence. */
export class AccountRefusedError extends UserError {
  constructor(readonly reason: string) {
    super(`${reason[0].toUpperCase()}${reason.slice(1).replace(/\.$/, "")}. Nothing was sent.`);
  }
}
