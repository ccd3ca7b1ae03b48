import { Logger, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsumerOrchestrator } from './consumer/consumer.orchestrator';
import { ReliableKafkaMetadataAccessor } from './consumer/reliable-kafka-metadata.accessor';
import { ReliableKafkaExplorer } from './consumer/reliable-kafka.explorer';
import { createDedupStore, DEDUP_STORE } from './dedup';
import type { ReliableKafkaModuleOptions } from './interfaces/reliable-kafka-options.interface';
import type { ResolvedReliableKafkaOptions } from './interfaces/resolved-options.interface';
import { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } from './module-definition';
import { validateOptions } from './options/validate-options.util';
import { ReliableProducerService } from './producer/reliable-producer.service';
import { RESOLVED_RELIABLE_KAFKA_OPTIONS } from './reliable-kafka.constants';
import { DoctorService } from './doctor/doctor.service';
import { TopicProvisioningService } from './provisioning/topic-provisioning.service';
import { StartupChecks } from './startup/startup-checks.service';
import { RELIABLE_KAFKA_TELEMETRY } from './observability';
import { ReliableKafkaStatus } from './observability/reliable-kafka-status.service';
import { telemetryProvider } from './observability/telemetry.provider';

/**
 * Reliable Kafka for Nest: `@ReliableBatchHandler` consumers that commit only after success, a dedup guard,
 * and an ack-awaiting producer. Global by default (`isGlobal: false` to opt out).
 *
 * @example
 * ReliableKafkaModule.forRoot({ client: { clientId: 'orders', brokers: ['127.0.0.1:9092'] } })
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RESOLVED_RELIABLE_KAFKA_OPTIONS,
      // Validated once, here: a bad or unsafe config stops the app before anything connects.
      useFactory: (options: ReliableKafkaModuleOptions): ResolvedReliableKafkaOptions => {
        const resolved = validateOptions(options);
        resolved.warnings.forEach((warning) => new Logger('ReliableKafka').warn(warning));
        return resolved;
      },
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: DEDUP_STORE,
      useFactory: (options: ResolvedReliableKafkaOptions) => createDedupStore(options.dedup),
      inject: [RESOLVED_RELIABLE_KAFKA_OPTIONS],
    },
    ReliableKafkaStatus,
    telemetryProvider,
    ReliableKafkaMetadataAccessor,
    ReliableKafkaExplorer,
    ConsumerOrchestrator,
    ReliableProducerService,
    DoctorService,
    TopicProvisioningService,
    StartupChecks,
  ],
  exports: [
    RESOLVED_RELIABLE_KAFKA_OPTIONS,
    DEDUP_STORE,
    RELIABLE_KAFKA_TELEMETRY,
    ReliableKafkaStatus,
    ReliableProducerService,
  ],
})
export class ReliableKafkaModule extends ConfigurableModuleClass {}
