export * from './default-options';
export * from './validate-options.util';
export * from './resolve-handler-options.util';
