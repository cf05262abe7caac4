import { register } from 'node:module';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { startNodeSdk } from '@opentelemetry/sdk-node';
import { pino } from 'pino';
import { exposeTracingVariables, type AppConfig } from '#config';

/** `service.name` of each app unless OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES) names one. */
export const SERVICE_NAMES = {
  api: 'market-scanner-api',
  worker: 'market-scanner-worker',
} as const;

/** Requests that are not a user's: probes and scrapes would each be a trace of their own. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

let running: { shutdown: () => Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry SDK for traces when the configuration asks for it (`config.tracing`),
 * and returns whether it did. Must run before the app's modules are imported: pg, ioredis and
 * node:http are patched as they load, and modules imported from ESM are only seen through the
 * module hooks registered here. Exporter, endpoint, protocol, sampler, batching and propagators
 * come from the standard OTEL_* variables, read by the SDK; metrics and logs stay with Prometheus
 * and pino.
 */
export function startTracing(app: keyof typeof SERVICE_NAMES, config: AppConfig): boolean {
  if (!config.tracing.enabled || running) return Boolean(running);
  exposeTracingVariables(config.tracing);
  // The hook of @opentelemetry/instrumentation (import-in-the-middle), limited to the packages
  // patched below: every other module loads untouched.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['pg', 'pg-pool', 'ioredis'] },
  });
  const variables = config.tracing.variables;
  const named =
    config.tracing.serviceName !== undefined ||
    /(^|,)\s*service\.name\s*=/.test(variables['OTEL_RESOURCE_ATTRIBUTES'] ?? '');
  running = startNodeSdk({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        // The apps call out with fetch (Polygon), which node:http does not carry: the only outgoing
        // node:http requests would be the exporter's own.
        disableOutgoingRequestInstrumentation: true,
        // Browsers send the WebSocket's key as ?apiKey= (the only query parameter read as one).
        redactedQueryParamsServer: ['apiKey'],
      }),
      // Queries outside a request or job (pool warm-up, schedulers) would each be a trace.
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({
        requireParentSpan: true,
        // The command only: BullMQ's scripts carry whole jobs and progress frames as arguments.
        dbStatementSerializer: (command) => command,
      }),
    ],
    resourceAttributes: named ? {} : { 'service.name': SERVICE_NAMES[app] },
    metricReaders: [],
    logRecordProcessors: [],
  });
  // The SDK reports its own trouble (an unreachable collector, say) through diag; as JSON lines
  // like every other log line of the apps, not console text. OTEL_LOG_LEVEL as the SDK reads it,
  // but warn when unset: the SDK's info lines say nothing an operator acts on.
  diag.setLogger(jsonDiagLogger(config.logLevel), {
    logLevel: diagLevel(variables['OTEL_LOG_LEVEL']),
    suppressOverrideMessage: true,
  });
  return true;
}

/** Whether {@link startTracing} started the SDK in this process. */
export function tracingStarted(): boolean {
  return running !== undefined;
}

/** Exports the spans still buffered and stops the SDK; at most `timeoutMs`. */
export async function shutdownTracing(timeoutMs = 2000): Promise<void> {
  const sdk = running;
  running = undefined;
  if (!sdk) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sdk.shutdown().catch(() => {}),
    new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}

function diagLevel(name: string | undefined): DiagLogLevel {
  const levels: Record<string, DiagLogLevel> = {
    none: DiagLogLevel.NONE,
    error: DiagLogLevel.ERROR,
    warn: DiagLogLevel.WARN,
    info: DiagLogLevel.INFO,
    debug: DiagLogLevel.DEBUG,
    verbose: DiagLogLevel.VERBOSE,
    all: DiagLogLevel.ALL,
  };
  return levels[name?.toLowerCase() ?? 'warn'] ?? DiagLogLevel.WARN;
}

function jsonDiagLogger(level: AppConfig['logLevel']): DiagLogger {
  const log = pino({ level }).child({
    component: 'opentelemetry',
  });
  const line =
    (write: (msg: string) => void) =>
    (message: string, ...args: unknown[]) =>
      write([message, ...args.map((a) => (a instanceof Error ? a.message : String(a)))].join(' '));
  return {
    error: line((m) => log.error(m)),
    warn: line((m) => log.warn(m)),
    info: line((m) => log.info(m)),
    debug: line((m) => log.debug(m)),
    verbose: line((m) => log.trace(m)),
  };
}
