// Turns of the event loop shared fairly. Node reads every socket that is ready in one go (libuv
// up to 32 reads of 64 KiB a socket), and a delivery's data handler parses, maps and forwards
// each chunk synchronously: with dozens of deliveries in flight one turn of the loop ran for
// hundreds of milliseconds, and a GET /status waited behind all of it. A reader asks
// `turnSpent()` before working on a chunk; once this turn has run TURN_BUDGET_MS of such work,
// it pauses its source and resumes with `nextTurn`, after the sockets that are waiting (a
// /status, a small form) have had their go.

/** Work a turn may do on delivery data before readers wait for the next one. */
export const TURN_BUDGET_MS = 10;

let turnStart = 0;
let inTurn = false;
const waiting: Array<() => void> = [];

function endTurn(): void { inTurn = false; }

/** True once delivery work in this turn of the loop has taken TURN_BUDGET_MS. */
export function turnSpent(now = performance.now()): boolean {
  if (!inTurn) {
    inTurn = true;
    turnStart = now;
    // Runs after this turn's I/O callbacks: the next work starts a new budget.
    setImmediate(endTurn);
  }
  return now - turnStart > TURN_BUDGET_MS;
}

function runWaiting(): void {
  // Those queued meanwhile (by work that ran out of budget again) wait for the turn after.
  for (const resume of waiting.splice(0)) { resume(); }
}

/** Calls `resume` once the event loop has answered what else was waiting, in arrival order. */
export function nextTurn(resume: () => void): void {
  waiting.push(resume);
  if (waiting.length === 1) { setImmediate(runWaiting); }
}
