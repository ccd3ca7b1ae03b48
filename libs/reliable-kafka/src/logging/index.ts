export * from './log-entry.util';
