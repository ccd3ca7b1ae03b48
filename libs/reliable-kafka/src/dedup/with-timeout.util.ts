/** Rejects with `onTimeout()` when `work` has not settled within `ms`; the late result is ignored. */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  work.catch(() => undefined); // a late rejection must not become an unhandled one
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
