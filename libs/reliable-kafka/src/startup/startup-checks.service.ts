import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { deadLetterTopicFor } from '../provisioning/topic-names.util';
import type { HandlerRuntime } from '../consumer/handler-runtime.interface';
import { nestLogCreator } from '../consumer/kafkajs-log-creator.util';
import { consumerFacts, doctorTargets, producerFacts } from '../doctor/client-facts.util';
import type { DedupFacts, DoctorTopicTarget } from '../doctor/doctor-facts.interface';
import { DEDUP_STORE, type DedupStore } from '../dedup/dedup-store.interface';
import { DoctorService } from '../doctor/doctor.service';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { provisionedTargets } from '../provisioning/provisioned-targets.util';
import { retryTopicName } from '../provisioning/topic-names.util';
import type { TopicSpec } from '../provisioning/topic-spec.interface';
import { TopicProvisioningService } from '../provisioning/topic-provisioning.service';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';

/**
 * Runs before any consumer connects: creates the `topics` the app asked for, then lets the doctor check every
 * topic the app touches and its client settings, so mode 'fail' stops the app before a message moves.
 */
@Injectable()
export class StartupChecks {
  constructor(
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
    @Inject(DoctorService) private readonly doctor: DoctorService,
    @Inject(TopicProvisioningService) private readonly provisioning: TopicProvisioningService,
    @Inject(DEDUP_STORE) private readonly store: DedupStore,
  ) {}

  async run(handlers: readonly HandlerRuntime[]): Promise<void> {
    const { doctor, allowTopicChanges } = this.options;
    const topics = withHandlerStages(this.options.topics, handlers);
    if (topics.length === 0 && doctor.mode === 'off') return;
    const admin = new Kafka({ logCreator: nestLogCreator, ...this.options.client }).admin();
    await admin.connect();
    try {
      if (topics.length > 0)
        await this.provisioning.provision(admin, topics, { allowChanges: allowTopicChanges });
      await this.doctor.check(
        admin,
        {
          targets: doctorTargets(
            [],
            [...this.handlerTargets(handlers), ...provisionedTargets(topics), ...doctor.topics],
          ),
          producer: producerFacts(this.options.producer),
          consumers: handlers.map((h) => consumerFacts(h.options)),
          dedup: await this.dedupFacts(),
        },
        doctor.mode,
      );
    } finally {
      await admin.disconnect();
    }
  }

  private async dedupFacts(): Promise<DedupFacts | undefined> {
    const { store } = this.options.dedup;
    if (store === 'none' || !this.store.persistence) return undefined;
    return { store, persistence: await this.store.persistence() };
  }

  /** Consumed topics with the dead-letter topic their handler really publishes to, and their retry stages. */
  private handlerTargets(handlers: readonly HandlerRuntime[]): DoctorTopicTarget[] {
    return handlers.flatMap((h) =>
      namedTopics(h).flatMap((topic) => [
        { topic, deadLetterTopic: deadLetterTopicFor(h.options, topic) ?? false },
        ...h.options.retryTopicDelaysMs.map((d) => ({
          topic: retryTopicName(topic, d),
          deadLetterTopic: false as const,
        })),
      ]),
    );
  }
}

function namedTopics(handler: HandlerRuntime): string[] {
  return handler.options.topics.filter((t): t is string => typeof t === 'string');
}

/**
 * A provisioned topic consumed by a handler with `retryTopics` gets that handler's stages too, so turning retry
 * topics on in the decorator is enough for provisioning to create `<topic>.retry.<delay>`.
 */
export function withHandlerStages(
  specs: readonly TopicSpec[],
  handlers: readonly HandlerRuntime[],
): TopicSpec[] {
  return specs.map((spec) => {
    const delays = handlers
      .filter((h) => namedTopics(h).includes(spec.name))
      .flatMap((h) => h.options.retryTopicDelaysMs);
    if (delays.length === 0) return spec;
    return { ...spec, retryDelaysMs: [...new Set([...(spec.retryDelaysMs ?? []), ...delays])] };
  });
}
