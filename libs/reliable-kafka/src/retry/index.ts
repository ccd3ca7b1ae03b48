export * from './attempt-counter';
export * from './dead-letter-headers.util';
export * from './dead-letter-publisher';
export * from './retry-classifier.util';
export * from './retry-headers.util';
export * from './retry-route.util';
export * from './retry-stage-gate';
