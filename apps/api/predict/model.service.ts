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

/**
 * Holds the sentiment model in memory. It loads in the background at start (requests get 503
 * until then) and again on SIGHUP; the new model replaces the old one only once fully loaded and
 * verified, so no request is dropped or sees half a model.
 */
@Injectable()
export class ModelService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ModelService.name);
  private model: SentimentModel | null = null;
  private readonly onHangup = () => void this.load();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    void this.load();
    process.on('SIGHUP', this.onHangup);
  }

  onApplicationShutdown(): void {
    process.off('SIGHUP', this.onHangup);
  }

  /** The current model, or null while none is loaded. */
  get current(): SentimentModel | null {
    return this.model;
  }

  async load(): Promise<void> {
    try {
      const next = await SentimentModel.load(this.config.modelPath);
      const previous = this.model?.manifest.version;
      this.model = next;
      modelInfo.reset();
      modelInfo.set({ version: next.manifest.version, algorithm: next.manifest.algorithm }, 1);
      this.logger.log(
        { path: this.config.modelPath, version: next.manifest.version, previous },
        'sentiment model loaded',
      );
    } catch (error) {
      // Keep serving the model we have; without one, predict answers 503.
      this.logger.error(
        { err: error, path: this.config.modelPath },
        'sentiment model could not be loaded',
      );
    }
  }
}
