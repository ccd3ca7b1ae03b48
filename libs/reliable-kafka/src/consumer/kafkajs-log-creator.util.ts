import { Logger } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * Fields of a kafkajs log entry that never reach the app's logs: credentials (kafkajs passes no SASL secrets to
 * its logger today; a future version or a custom mechanism might) and protocol buffers or payloads
 * (`KAFKAJS_DEBUG_PROTOCOL_BUFFERS` puts raw requests, message values included, into debug entries).
 */
const WITHHELD_FIELD = /sasl|password|secret|token|credential|buffer|payload/i;

/** Routes kafkajs logs to Nest's Logger so they share the app's format and level settings. */
export const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, ...extra } = log;
    const safe = Object.fromEntries(Object.entries(extra).filter(([field]) => !WITHHELD_FIELD.test(field)));
    const line = `${message} ${JSON.stringify(safe)}`;
    if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else if (level === logLevel.INFO) logger.log(line);
    else logger.debug(line);
  };
};
