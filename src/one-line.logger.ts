import { ConsoleLogger } from '@nestjs/common';

/**
 * Nest's console logger, one line per entry: the demo's deliberate failures are expected, so no stack traces,
 * and the library's structured entries (`{ event, message, topic, partition, offset, ... }`) print as their
 * sentence followed by the fields. A production app would rather use `new ConsoleLogger({ json: true })`.
 */
export class OneLineLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    const text = oneLine(message instanceof Error ? message.message : message);
    if (context !== undefined) super.error(text, context as string);
    else super.error(text);
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(oneLine(message), ...rest);
  }
}

/** `sentence {"field":value,...}` for a structured entry; anything else unchanged. */
export function oneLine(message: unknown): unknown {
  if (message === null || typeof message !== 'object' || !('message' in message)) return message;
  const { message: text, ...fields } = message as Record<string, unknown>;
  return `${String(text)} ${JSON.stringify(fields)}`;
}
