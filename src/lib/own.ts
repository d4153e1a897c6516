// Lookups keyed by request data read own properties only: a field, format or param named
// `constructor`, `__proto__` or `toString` must find nothing rather than Object.prototype's.

/** `record[key]` when `key` is the record's own property, else undefined. */
export function own<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record !== null && record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** True when `key` is the record's own property (the `in` operator also sees the prototype's). */
export function hasOwn(record: object | null | undefined, key: string): boolean {
  return record !== null && record !== undefined && Object.hasOwn(record, key);
}

/** An empty record without a prototype, for maps built from request data. */
export function ownRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
