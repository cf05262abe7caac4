import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { modelInfo } from '#observability';
import { SentimentModel } from '#sentiment';
import { BatchPool } from './batch-pool.js';

/** A model and the pool whose threads hold the same model (null: batches run inline). */
export interface LoadedModel {
  model: SentimentModel;
  pool: BatchPool | null;
}

/**
 * Holds the sentiment model in memory, and the batch pool's threads that hold it too. It loads in
 * the background at start (requests get 503 until then) and again on SIGHUP; the new model and its
 * pool replace the old pair only once both are loaded and verified, so no request is dropped or
 * sees half a model, and a batch is classified by the model whose version it reports. The old
 * pool finishes the batches it holds, then closes.
 */
@Injectable()
export class ModelService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ModelService.name);
  private loaded: LoadedModel | null = null;
  private stopped = false;
  private readonly onHangup = () => void this.load();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    void this.load();
    process.on('SIGHUP', this.onHangup);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    process.off('SIGHUP', this.onHangup);
    await this.loaded?.pool?.close();
  }

  /** The current model, or null while none is loaded. */
  get current(): SentimentModel | null {
    return this.loaded?.model ?? null;
  }

  /** The current model with its batch pool, or null while none is loaded. */
  get currentWithPool(): LoadedModel | null {
    return this.loaded;
  }

  async load(): Promise<void> {
    const path = this.config.modelPath;
    try {
      const artifact = await SentimentModel.read(path);
      const next = SentimentModel.parse(artifact, path);
      const previous = this.loaded;
      // The same weights (a SIGHUP with the file unchanged) keep the threads that already hold them.
      const samePool =
        previous?.pool && previous.model.manifest.sha256 === next.manifest.sha256
          ? previous.pool
          : null;
      const pool = samePool ?? (await this.startPool(artifact, path));
      if (this.stopped) {
        if (pool !== samePool) await pool?.close();
        return;
      }
      this.loaded = { model: next, pool };
      modelInfo.reset();
      modelInfo.set({ version: next.manifest.version, algorithm: next.manifest.algorithm }, 1);
      this.logger.log(
        {
          path,
          version: next.manifest.version,
          previous: previous?.model.manifest.version,
          batchThreads: pool?.threads ?? 0,
        },
        'sentiment model loaded',
      );
      // Requests already use the new pair; the old threads finish what they hold.
      if (previous?.pool && previous.pool !== pool) await this.retire(previous.pool);
    } catch (error) {
      // Keep serving the model we have; without one, predict answers 503.
      this.logger.error({ err: error, path }, 'sentiment model could not be loaded');
    }
  }

  /**
   * A pool of `predictThreads` threads with the model built from `artifact`, warm. When the threads
   * cannot start, batches run inline instead (logged): slower, but answered.
   */
  private async startPool(artifact: string, source: string): Promise<BatchPool | null> {
    const threads = this.config.predictThreads;
    if (threads === 0) return null;
    const pool = new BatchPool({ artifact, source }, threads);
    try {
      await pool.warm();
      return pool;
    } catch (error) {
      this.logger.error(
        { err: error, threads },
        'batch prediction threads could not start; batches run on the event loop',
      );
      await pool.close().catch(() => undefined);
      return null;
    }
  }

  private async retire(pool: BatchPool): Promise<void> {
    try {
      await pool.close();
    } catch (error) {
      this.logger.warn({ err: error }, 'the previous batch pool did not close cleanly');
    }
  }
}
