export { ReliableProducerService } from './reliable-producer.service';
export type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
export { PRODUCER_DEFAULTS, resolveProducerSettings, type ProducerSettings } from './producer-settings.util';
