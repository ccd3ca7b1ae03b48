import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { deadLetterTopicName, isDerivedTopicName } from '../provisioning/topic-names.util';
import type { DoctorAdmin } from './collect-doctor-facts.util';
import { runDoctor } from './run-doctor.util';

/** Exit codes of `npm run doctor`. */
export const DOCTOR_EXIT = { ok: 0, errors: 1, usage: 2 } as const;

export const DOCTOR_USAGE = `Usage: npm run doctor -- --brokers HOST:PORT [--brokers HOST:PORT ...] [--topic T ...] [--json] [--no-dlt]

Checks topic and broker configs for settings that can lose or stall data.
  --brokers, -b  bootstrap server(s), repeated or comma-separated (required)
  --topic, -t    topic to check (repeatable); default: every topic except internal, .dlt and .retry.* ones
  --json         print the report as JSON instead of a table
  --no-dlt       do not require a <topic>.dlt dead-letter topic
Exit code: 0 no errors, 1 errors found (or the cluster could not be read), 2 bad arguments.`;

/** Parsed command line. */
export interface DoctorCliArgs {
  readonly brokers: string[];
  readonly topics: string[];
  readonly json: boolean;
  readonly deadLetter: boolean;
  readonly help: boolean;
}

const HOST_PORT = /^[^\s:]+:\d{1,5}$/;

/** Parses and validates the arguments; returns the problem as a string when they are unusable. */
export function parseDoctorArgs(argv: readonly string[]): DoctorCliArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        brokers: { type: 'string', short: 'b', multiple: true },
        topic: { type: 'string', short: 't', multiple: true },
        json: { type: 'boolean' },
        'no-dlt': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    return (e as Error).message;
  }
  const help = values.help ?? false;
  const brokers = (values.brokers ?? [])
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (!help && brokers.length === 0) return 'missing --brokers HOST:PORT';
  const bad = brokers.find((b) => !HOST_PORT.test(b));
  if (bad !== undefined) return `--brokers expects HOST:PORT, got "${bad}"`;
  const topics = (values.topic ?? []).map((t) => t.trim());
  if (topics.some((t) => t === '')) return '--topic needs a topic name';
  return { brokers, topics, json: values.json ?? false, deadLetter: !(values['no-dlt'] ?? false), help };
}

/** Where the CLI writes. */
export interface DoctorCliIo {
  out(text: string): void;
  err(text: string): void;
}

function defaultAdmin(
  brokers: string[],
): DoctorAdmin & { connect(): Promise<void>; disconnect(): Promise<void> } {
  // Few retries: an unreachable cluster should fail the command in seconds, not minutes.
  const kafka = new Kafka({
    clientId: 'reliable-kafka-doctor',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 2 },
  });
  return kafka.admin();
}

/** Runs the doctor command and returns its exit code. */
export async function runDoctorCli(argv: readonly string[], io: DoctorCliIo): Promise<number> {
  const args = parseDoctorArgs(argv);
  if (typeof args === 'string') {
    io.err(`doctor: ${args}\n\n${DOCTOR_USAGE}\n`);
    return DOCTOR_EXIT.usage;
  }
  if (args.help) {
    io.out(`${DOCTOR_USAGE}\n`);
    return DOCTOR_EXIT.ok;
  }
  const admin = defaultAdmin(args.brokers);
  try {
    await admin.connect();
    const names =
      args.topics.length > 0
        ? args.topics
        : (await admin.listTopics()).filter((t) => !t.startsWith('__') && !isDerivedTopicName(t)).sort();
    const targets = names.map((topic) => ({
      topic,
      deadLetterTopic: args.deadLetter ? deadLetterTopicName(topic) : (false as const),
    }));
    const report = await runDoctor(admin, { targets });
    if (args.json) io.out(`${JSON.stringify(report.toJSON(), null, 2)}\n`);
    else io.out(`Kafka doctor: ${names.length} topic(s) on ${args.brokers.join(',')}\n${report.toTable()}`);
    return report.hasErrors ? DOCTOR_EXIT.errors : DOCTOR_EXIT.ok;
  } catch (e) {
    io.err(`doctor: could not read the cluster at ${args.brokers.join(',')}: ${(e as Error).message}\n`);
    return DOCTOR_EXIT.errors;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
