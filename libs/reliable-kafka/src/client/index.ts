export * from './produce-client.interface';
export * from './produce-attempt.error';
export { KafkajsProduceClient } from './kafkajs/kafkajs-produce-client';
