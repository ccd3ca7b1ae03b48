import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ExternalContextCreator } from '@nestjs/core/helpers/external-context-creator';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { CommitStepInterceptorsConsumer } from '../interceptors/commit-step-interceptors-consumer';
import type { ResolvedReliableKafkaOptions } from '../interfaces/resolved-options.interface';
import { resolveAllHandlerOptions, type HandlerDeclaration } from '../options/resolve-handler-options.util';
import { KAFKA_CONTEXT_TYPE, RESOLVED_RELIABLE_KAFKA_OPTIONS } from '../reliable-kafka.constants';
import type { HandlerRuntime } from './handler-runtime.interface';
import { KafkaParamsFactory } from './kafka-params.factory';
import { ReliableKafkaMetadataAccessor } from './reliable-kafka-metadata.accessor';

type Method = (...args: unknown[]) => unknown;

interface FoundHandler extends HandlerDeclaration {
  instance: object;
  methodName: string;
  method: Method;
}

/**
 * Finds every `@ReliableBatchHandler` method on static providers at module init, validates their options
 * (a bad handler fails startup), and wraps each in Nest's enhancer chain with context type 'kafka'.
 */
@Injectable()
export class ReliableKafkaExplorer implements OnModuleInit {
  private readonly logger = new Logger('ReliableKafka');
  private handlers: HandlerRuntime[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ReliableKafkaMetadataAccessor) private readonly accessor: ReliableKafkaMetadataAccessor,
    @Inject(ExternalContextCreator) private readonly externalContextCreator: ExternalContextCreator,
    @Inject(RESOLVED_RELIABLE_KAFKA_OPTIONS) private readonly options: ResolvedReliableKafkaOptions,
  ) {}

  onModuleInit(): void {
    const found = this.discovery.getProviders().flatMap((wrapper) => this.handlersOf(wrapper));
    const resolved = resolveAllHandlerOptions(found, this.options);
    const paramsFactory = new KafkaParamsFactory();
    const contextCreator = withCommitStepShortcut(this.externalContextCreator);
    this.handlers = found.map((handler, i) => ({
      name: handler.name,
      options: resolved[i],
      invoke: contextCreator.create(
        handler.instance,
        handler.method,
        handler.methodName,
        ROUTE_ARGS_METADATA,
        paramsFactory,
        undefined,
        undefined,
        undefined,
        KAFKA_CONTEXT_TYPE,
      ),
    }));
  }

  /** Handlers found at module init, in discovery order. */
  getHandlers(): readonly HandlerRuntime[] {
    return this.handlers;
  }

  private handlersOf(wrapper: InstanceWrapper): FoundHandler[] {
    const { instance } = wrapper;
    // An alias (useExisting) points at an instance discovered under its own token already.
    if (wrapper.isAlias || !instance || typeof instance !== 'object') return [];
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (!prototype) return [];
    return this.scanner.getAllMethodNames(prototype).flatMap((methodName) => {
      const method = (instance as Record<string, Method>)[methodName];
      const options = this.accessor.getHandlerOptions(method);
      if (!options) return [];
      const name = `${instance.constructor.name}.${methodName}`;
      if (!wrapper.isDependencyTreeStatic()) {
        this.logger.warn(`${name} is ignored: reliable handlers must live on singleton (static) providers`);
        return [];
      }
      return [{ name, options, instance, methodName, method }];
    });
  }
}

/**
 * Nest's context creator, except that its interceptor chain takes the commit-step shortcut (see
 * CommitStepInterceptorsConsumer). The creator reads its consumer from `this.interceptorsConsumer`, so an object
 * inheriting from the shared creator with that one property shadowed changes nothing else (and, should a Nest
 * version name it differently, the shadow is simply unused: the full chain runs).
 */
function withCommitStepShortcut(creator: ExternalContextCreator): ExternalContextCreator {
  return Object.create(creator, {
    interceptorsConsumer: { value: new CommitStepInterceptorsConsumer() },
  }) as ExternalContextCreator;
}
