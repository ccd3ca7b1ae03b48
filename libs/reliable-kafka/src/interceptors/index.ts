export * from './commit-after-success.interceptor';
