export * from './env';
export * from './external-brokers';
export * from './kafka-target';
export * from './redis-process';
export * from './unique-name';
export * from './wait-for';
