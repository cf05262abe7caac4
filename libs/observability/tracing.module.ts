import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from '#tracing';

/**
 * Exports the spans still buffered when the app stops (tracing on). After the consumers drained:
 * they finish their jobs in beforeApplicationShutdown, so a stopping worker's last scan is kept.
 */
@Injectable()
class TraceExportOnShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTracing();
  }
}

/** Both apps import it at their root; tracing itself starts in main.ts, before Nest. */
@Module({ providers: [TraceExportOnShutdown] })
export class TracingModule {}
