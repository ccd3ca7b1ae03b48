import { ConsoleLogger } from '@nestjs/common';

/** Nest's console logger without stack traces: the demo's deliberate failures are expected, one line each. */
export class OneLineLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    const text = message instanceof Error ? message.message : message;
    if (context !== undefined) super.error(text, context as string);
    else super.error(text);
  }
}
