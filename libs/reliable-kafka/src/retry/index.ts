export * from './attempt-counter';
export * from './dead-letter-headers.util';
export * from './dead-letter-publisher';
export * from './retry-classifier.util';
