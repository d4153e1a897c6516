// Typed errors. The server maps each kind to the Action API answer Looker expects;
// integrations throw these and never strings.

/** Base of every error the hub knows how to answer. */
export abstract class HubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something the Looker user or admin can fix; the message is written for that person. */
export class UserError extends HubError {
  constructor(message: string, readonly validationErrors?: Record<string, string>) {
    super(message);
  }
}

/** A failure that may succeed later (vendor down, rate limited); the message says so. */
export class RetryableError extends UserError {}

/** A request that does not make sense to the hub: answered 400 with this message. */
export class BadRequestError extends HubError {}

/** A request for an integration or route that does not exist: answered 404. */
export class NotFoundError extends HubError {}

/** A body bigger than the configured limit: answered 413 before or while reading it. */
export class PayloadTooLargeError extends HubError {}
