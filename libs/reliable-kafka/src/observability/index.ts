export * from './telemetry.interface';
