// The non-loopback addresses something in this process tried to connect to (test/setup.ts refuses
// each one at once and records it here): a test that must prove "never dialled" reads them.
const dialled: string[] = [];

/** Called by test/setup.ts for each refused connection. */
export function recordRefusedDial(host: string): void {
  dialled.push(host);
}

/** How many refused dials so far: take it before a case, read `dialsSince` after it. */
export function dialCount(): number {
  return dialled.length;
}

export function dialsSince(count: number): string[] {
  return dialled.slice(count);
}
