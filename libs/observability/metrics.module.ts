import { type DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';

/** `/metrics` with process defaults (CPU, memory, GC, event-loop lag) labelled by app. */
@Module({})
export class MetricsModule {
  static forApp(app: 'api' | 'worker'): DynamicModule {
    return {
      module: MetricsModule,
      imports: [
        PrometheusModule.register({
          path: '/metrics',
          defaultLabels: { app },
          // 10 ms resolution for nodejs_eventloop_lag_* (the default 10 ms is kept explicit).
          defaultMetrics: { enabled: true, config: { eventLoopMonitoringPrecision: 10 } },
        }),
      ],
    };
  }
}
