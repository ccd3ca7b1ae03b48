/** Where a logged event happened: the fields a log pipeline indexes and alerts on. */
export interface LogFields {
  readonly groupId?: string;
  readonly topic?: string;
  readonly partition?: number;
  readonly offset?: string;
  readonly messageId?: string;
  readonly handler?: string;
}

/**
 * One structured log entry. The library hands these objects to Nest's `Logger`, so a JSON logger
 * (`new ConsoleLogger({ json: true })`, nestjs-pino) indexes the fields and the text logger still shows `message`.
 * Never carries a payload, a key or client credentials: only positions, ids and the error's class and first line.
 */
export interface LogEntry extends LogFields {
  /** Stable machine name of the event, e.g. `attempt-failed`, `dead-lettered`. */
  readonly event: string;
  /** The readable sentence (from `RUNTIME_MESSAGES`). */
  readonly message: string;
  /** `ErrorClass: first line of its message`, when the event is a failure. */
  readonly error?: string;
}

/** Longest error text kept in a log entry: error messages may quote input, which must not flood the logs. */
export const MAX_ERROR_TEXT = 300;

/** Builds an entry, dropping absent fields so JSON output stays compact. */
export function logEntry(event: string, message: string, fields: LogFields, error?: unknown): LogEntry {
  const present = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { event, message, ...present, ...(error === undefined ? {} : { error: describeError(error) }) };
}

/** `Name: first line of the message`, truncated; no stack and no cause chain (they may quote payloads). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = text.split('\n', 1)[0];
  return firstLine.length > MAX_ERROR_TEXT ? `${firstLine.slice(0, MAX_ERROR_TEXT)}…` : firstLine;
}
