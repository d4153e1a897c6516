// The error a promise ends in, for tests that look at a failure's type and words.

/** The rejection of `promise`; a promise that fulfils fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a failure");
}
