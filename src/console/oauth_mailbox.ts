// Looker's side of a per-user login, for the console: the one-time `state_url` (v1: the hub
// POSTs the user's state to it) and `state_redir_url` (v2: the browser lands on it with the
// sealed code, which the console then hands to the integration's `token_url`). What arrives
// waits here, by slot, until the console tab that opened the slot takes it. In memory,
// bounded, one-time, and gone after 15 minutes.
import * as crypto from "crypto";

export type Delivered = { kind: "state"; value: string } | { kind: "code"; value: string };

interface Slot {
  expiresAt: number;
  delivered?: Delivered;
}

const TTL_MS = 15 * 60 * 1000;
const MAX_SLOTS = 200;
/** Looker keeps at most 32 KB of state; anything far larger is not a login. */
export const MAX_DELIVERED_LENGTH = 64 * 1024;

export class OAuthMailbox {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly now = () => Date.now()) {}

  /** A fresh slot for one login. */
  open(): string {
    this.sweep();
    if (this.slots.size >= MAX_SLOTS) { this.slots.delete(this.slots.keys().next().value as string); }
    const slot = crypto.randomBytes(24).toString("base64url");
    this.slots.set(slot, { expiresAt: this.now() + TTL_MS });
    return slot;
  }

  /** Keeps what a login delivered to an open slot; false for an unknown, expired or used slot. */
  deliver(slot: string, delivered: Delivered): boolean {
    const entry = this.live(slot);
    if (!entry || entry.delivered || delivered.value.length > MAX_DELIVERED_LENGTH) { return false; }
    entry.delivered = delivered;
    return true;
  }

  /** What arrived, once; `pending` while the slot waits; `unknown` for no such slot. */
  take(slot: string): Delivered | "pending" | "unknown" {
    const entry = this.live(slot);
    if (!entry) { return "unknown"; }
    if (!entry.delivered) { return "pending"; }
    this.slots.delete(slot);
    return entry.delivered;
  }

  private live(slot: string): Slot | undefined {
    const entry = this.slots.get(slot);
    if (entry && entry.expiresAt <= this.now()) {
      this.slots.delete(slot);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    for (const [slot, entry] of this.slots) {
      if (entry.expiresAt <= this.now()) { this.slots.delete(slot); }
    }
  }
}
