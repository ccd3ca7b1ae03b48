export { ReliableProducerService } from './reliable-producer.service';
export type { ProducerMessage, SentRecordMetadata } from './producer-message.interface';
export { deliverySettings, type ProducerSettings } from './producer-settings.util';
