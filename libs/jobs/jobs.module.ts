import { type DynamicModule, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, type AppConfig } from '#config';
import { bullmqTelemetry } from '#tracing';
import { bullConnection } from './bull-connection.js';
import { DrainingWorker } from './draining-worker.js';

/**
 * The BullMQ connection of an app, registered once at its root; the queue modules (ScanQueueModule,
 * MarketDataQueueModule) and the `@Processor`s take it from here. Needs APP_CONFIG (ConfigModule).
 */
@Module({})
export class JobsModule {
  /**
   * `producer` (the api): calls fail fast while Redis is away, so a request can answer 503 in time.
   * `consumer` (the worker): connections wait and reconnect forever, as BullMQ workers require, and
   * every `@Processor` runs on a {@link DrainingWorker}.
   */
  static forRoot(role: 'producer' | 'consumer'): DynamicModule {
    // @nestjs/bullmq's documented switch for the Worker class it builds; the api has no processors.
    if (role === 'consumer') BullModule.workerClass = DrainingWorker;
    return {
      module: JobsModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: bullConnection(config.redisUrl, role, config.redisTlsCa),
            prefix: config.queuePrefix,
            // Queues and workers alike (tracing on): the job carries the trace of its enqueue.
            telemetry: bullmqTelemetry(),
          }),
        }),
      ],
    };
  }
}
