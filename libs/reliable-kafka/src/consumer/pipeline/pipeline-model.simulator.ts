import { Logger } from '@nestjs/common';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { dedupKey } from '../../dedup/dedup-key.util';
import { DedupStoreUnavailableError } from '../../dedup/dedup-store-unavailable.error';
import type { ClaimStatus, DedupStore } from '../../dedup/dedup-store.interface';
import { MemoryDedupStore } from '../../dedup/memory-dedup.store';
import { BatchFailedError } from '../../errors/batch-failed.error';
import { DeserializationError } from '../../errors/deserialization.error';
import type { ReliableMessage } from '../../interfaces/reliable-message.interface';
import { jsonDeserializer } from '../../options/default-options';
import type { DeadLetterSink } from '../../retry/dead-letter-publisher';
import { BatchRunner } from './batch-runner';
import { handlerOptions, invokeThroughCommitInterceptor } from './batch-runner.fixtures';
import type { MessageMapping } from './message-mapper.util';
import type {
  CallOutcome,
  ExtractorResult,
  ModelRecord,
  Scenario,
  StoreFault,
} from './pipeline-model.scenario';

/**
 * Runs a Scenario through the real BatchRunner (real claims, claim-ahead, settlement, committer, retries and
 * dead-lettering) with a MemoryDedupStore behind a faulty, session-bound wrapper, a handler that applies effects
 * to a ledger, and kafkajs payloads whose commits are checked as they happen. A session ends when every
 * partition's batch returned; a crash kills it (nothing it does afterwards reaches the store, the sink or the
 * broker) and a revocation makes its partitions stale; the next session fetches from the committed offsets.
 */

export const TOPIC = 't';
const CLAIM_TTL_MS = 1_000;
const CALL_TIMEOUT_MS = 500;
const MAX_SESSIONS = 6;

/** One applied effect of a handler call. */
export interface Effect {
  readonly id: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly session: number;
}

export interface Outcome {
  readonly effects: Effect[];
  /** `partition/offset` of every record the sink acknowledged. */
  readonly deadLettered: Set<string>;
  /** Ids (hex) of the records dead-lettered: their other records are duplicates of a dead letter. */
  readonly deadLetteredIds: Set<string>;
  readonly committed: number[];
  /** Commits that went past a record neither handled nor dead-lettered, as they happened. */
  readonly unsafeCommits: string[];
  /** Extra effects an id may have: its call succeeded but its mark had not landed when its session ended. */
  readonly allowedExtra: Map<string, number>;
  readonly sessions: number;
}

/** The id (hex of its bytes) the library must derive for a record, or null when it cannot be read. */
export function expectedId(record: ModelRecord, partition: number, offset: number): string | null {
  if (record.id.kind === 'header') return Buffer.from(record.id.bytes).toString('hex');
  const r = record.id.returns;
  switch (r.type) {
    case 'string':
      return Buffer.from(r.text).toString('hex');
    case 'buffer':
      return Buffer.from(r.bytes).toString('hex');
    case 'undefined':
      return Buffer.from(`${TOPIC}/${partition}/${offset}`).toString('hex');
    default:
      return null;
  }
}

/** The extractor: does what the record's value says (only records without an id header reach it). */
export const modelMapping: MessageMapping = {
  messageIdHeader: 'message-id',
  deserializer: jsonDeserializer,
  messageIdExtractor: (value) => {
    const r = (JSON.parse(String(value)) as { x?: ExtractorResult }).x;
    switch (r?.type) {
      case 'string':
        return r.text;
      case 'buffer':
        return Buffer.from(r.bytes);
      case 'number':
        return 42 as unknown as string;
      case 'object':
        return { id: 1 } as unknown as string;
      case 'empty':
        return '';
      case 'throw':
        throw new Error('extractor cannot read this payload');
      default:
        return undefined;
    }
  },
};

export function kafkaRecord(record: ModelRecord, offset: number): KafkaMessage {
  const value = { poison: record.poison, x: record.id.kind === 'extractor' ? record.id.returns : undefined };
  return {
    offset: String(offset),
    key: Buffer.from(record.key),
    value: Buffer.from(JSON.stringify(value)),
    headers: record.id.kind === 'header' ? { 'message-id': Buffer.from(record.id.bytes) } : {},
    timestamp: '0',
    attributes: 0,
  };
}

interface Session {
  readonly number: number;
  dead: boolean;
  revoked: boolean;
  calls: number;
}

/** Takes the next planned item, then `fallback` forever. */
function planned<T>(items: readonly T[], fallback: T): () => T {
  let next = 0;
  return () => (next < items.length ? items[next++] : fallback);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const refusal = (): Error => Object.assign(new Error('value refused'), { code: '22021' });

/** The store as one session sees it: planned faults, and nothing at all once the session's process died. */
class SessionStore implements DedupStore {
  readonly claimTtlMs = CLAIM_TTL_MS;

  constructor(
    private readonly inner: MemoryDedupStore,
    private readonly session: Session,
    private readonly fault: () => StoreFault,
    private readonly marked: Set<string>,
  ) {}

  claim(group: string, ids: readonly string[]): Promise<ClaimStatus[]> {
    return this.run('claim', () => this.inner.claim(group, ids));
  }

  markDone(group: string, ids: readonly string[]): Promise<void> {
    return this.run('markDone', async () => {
      await this.inner.markDone(group, ids);
      ids.forEach((id) => this.marked.add(id));
    });
  }

  release(group: string, ids: readonly string[]): Promise<void> {
    return this.run('release', () => this.inner.release(group, ids));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const unavailable = (cause: Error) => new DedupStoreUnavailableError('model', operation, cause);
    if (this.session.dead) throw unavailable(new Error('process killed'));
    const fault = this.fault();
    if (fault === 'down') throw unavailable(new Error('ECONNREFUSED'));
    if (fault === 'refuse' && operation === 'claim') throw unavailable(refusal());
    if (fault === 'slow') await sleep(2);
    if (this.session.dead) throw unavailable(new Error('process killed'));
    return work();
  }
}

/** Runs the scenario to its end (every partition committed to its end) or MAX_SESSIONS sessions. */
export async function simulate(scenario: Scenario): Promise<Outcome> {
  const partitions = scenario.partitions;
  const ids = partitions.map((records, p) => records.map((r, o) => expectedId(r, p, o)));
  const clock = { skew: 0 };
  const memory = new MemoryDedupStore(
    { claimTtlMs: CLAIM_TTL_MS, retentionMs: 3_600_000 },
    () => Date.now() + clock.skew,
  );
  const effects: Effect[] = [];
  const deadLettered = new Set<string>();
  const deadLetteredIds = new Set<string>();
  const committed = partitions.map(() => 0);
  const unsafeCommits: string[] = [];
  const allowedExtra = new Map<string, number>();
  const nextCall = planned<CallOutcome>(scenario.calls, { kind: 'ok', slowMs: 0 });
  const nextFault = planned<StoreFault>(scenario.faults, 'ok');
  const effectIds = new Set<string>();
  /** Dedup keys whose mark landed in the store. */
  const marked = new Set<string>();

  const accounted = (p: number, offset: number): boolean => {
    const id = ids[p][offset];
    return (
      deadLettered.has(`${p}/${offset}`) || (id !== null && (effectIds.has(id) || deadLetteredIds.has(id)))
    );
  };
  // A committed record's id must be recorded done (handled or dead-lettered), or a later copy could run again.
  const recorded = (p: number, offset: number): boolean => {
    const id = ids[p][offset];
    return id === null ? deadLettered.has(`${p}/${offset}`) : marked.has(dedupKey(Buffer.from(id, 'hex')));
  };
  const apply = (session: Session, messages: readonly ReliableMessage[]): void => {
    for (const m of messages) {
      const id = m.idBytes.toString('hex');
      effects.push({
        id,
        partition: m.partition,
        offset: Number(m.offset),
        key: String(m.key),
        session: session.number,
      });
      effectIds.add(id);
    }
  };

  let sessions = 0;
  for (; sessions < MAX_SESSIONS && committed.some((c, p) => c < partitions[p].length); sessions++) {
    const session: Session = { number: sessions, dead: false, revoked: false, calls: 0 };
    const interruption = scenario.interruptions[sessions];
    const store = new SessionStore(memory, session, nextFault, marked);

    const handler = async (messages: ReliableMessage[]): Promise<void> => {
      if (session.dead) throw new Error('process killed');
      const call = ++session.calls;
      const poison = messages.findIndex((m) => (m.value as { poison: boolean }).poison);
      const healthy = poison < 0 ? messages : messages.slice(0, poison);
      if (interruption && call === interruption.afterCalls) {
        if (interruption.kind === 'crash') {
          if (interruption.effectLanded) apply(session, healthy);
          session.dead = true;
          throw new Error('process killed during the call');
        }
        session.revoked = true;
      }
      const outcome = nextCall();
      if (outcome.kind === 'ok') await sleep(outcome.slowMs);
      if (session.dead) throw new Error('process killed');
      const failAt =
        outcome.kind === 'throw' ? 0 : outcome.kind === 'fail-at' ? outcome.index : messages.length;
      const upTo = Math.min(failAt, healthy.length);
      apply(session, messages.slice(0, upTo));
      if (upTo === messages.length) return;
      if (outcome.kind === 'throw' && upTo === 0) throw new Error('transient failure');
      throw new BatchFailedError(upTo, new Error(upTo === poison ? 'poison' : 'transient failure'));
    };
    const sink: DeadLetterSink = {
      publish: async (_topic, facts) => {
        if (session.dead) throw new Error('process killed');
        deadLettered.add(`${facts.partition}/${facts.record.offset}`);
        const id = ids[facts.partition][Number(facts.record.offset)];
        if (id !== null) deadLetteredIds.add(id);
      },
    };
    const options = handlerOptions(
      {
        ordering: scenario.ordering,
        concurrency: scenario.concurrency,
        maxBatchSize: scenario.maxBatchSize,
        deadLetterTopic: undefined,
        callTimeoutMs: CALL_TIMEOUT_MS,
        retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2, nonRetryable: [DeserializationError] },
      },
      store,
    );
    const runner = new BatchRunner(
      { name: 'Model.handle', options, invoke: invokeThroughCommitInterceptor(handler) },
      { store, mapping: modelMapping, logger: new Logger('model'), sink },
    );
    const payload = (p: number): EachBatchPayload => {
      const messages = partitions[p].slice(committed[p]).map((r, i) => kafkaRecord(r, committed[p] + i));
      return {
        batch: {
          topic: TOPIC,
          partition: p,
          messages,
          lastOffset: () => messages[messages.length - 1].offset,
          offsetLag: () => '0',
        },
        commitOffsetsIfNecessary: async (o: { topics: { partitions: { offset: string }[] }[] }) => {
          if (session.dead) throw new Error('process killed');
          const offset = Number(o.topics[0].partitions[0].offset);
          for (let i = 0; i < offset; i++) {
            if (!accounted(p, i))
              unsafeCommits.push(`session ${session.number}: commit ${p}@${offset} before ${i}`);
            else if (!recorded(p, i))
              unsafeCommits.push(
                `session ${session.number}: commit ${p}@${offset} before ${i}'s id was marked done`,
              );
          }
          committed[p] = Math.max(committed[p], offset);
        },
        resolveOffset: () => undefined,
        heartbeat: async () => {
          if (session.dead) throw new Error('process killed');
        },
        isRunning: () => !session.dead && !session.revoked,
        isStale: () => session.revoked,
      } as unknown as EachBatchPayload;
    };
    await Promise.all(
      partitions.map((records, p) =>
        committed[p] < records.length ? runner.eachBatch(payload(p)).catch(() => undefined) : undefined,
      ),
    );
    if (session.dead || session.revoked) {
      // Calls that succeeded but whose marks had not landed: their ids may be handled once more.
      for (const e of effects.filter((e) => e.session === session.number))
        if (!marked.has(dedupKey(Buffer.from(e.id, 'hex'))))
          allowedExtra.set(e.id, (allowedExtra.get(e.id) ?? 0) + 1);
    }
    // A killed process's claims stay until their TTL: the next session starts after it.
    if (session.dead) clock.skew += CLAIM_TTL_MS + 1;
  }
  return { effects, deadLettered, deadLetteredIds, committed, unsafeCommits, allowedExtra, sessions };
}
