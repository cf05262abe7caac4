import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { configSchema, type RawConfig } from './config.schema.js';

export type RateLimitBucket =
  | 'itemsRead'
  | 'itemsWrite'
  | 'predict'
  | 'scansCreate'
  | 'scansRead'
  | 'watchesWrite'
  | 'wsConnect'
  | 'installPerKey'
  | 'installPerIp'
  | 'authFailures';

/** The typed configuration every part of the code receives; nothing else reads `process.env`. */
export interface AppConfig {
  env: RawConfig['NODE_ENV'];
  databaseUrl: string;
  redisUrl: string;
  /** The CA certificate (PEM) Redis's TLS certificate is verified against; the system's when absent. */
  redisTlsCa?: string;
  /** BullMQ's key prefix (QUEUE_PREFIX). */
  queuePrefix: string;
  api: {
    host: string;
    port: number;
    /** CIDR ranges of the proxies whose X-Forwarded-For is believed; empty: nobody's. */
    trustProxy: readonly string[];
    bodyLimitBytes: number;
    docsEnabled: boolean;
  };
  worker: {
    port: number;
    /** Bar-cache snapshot directory (BAR_SNAPSHOT_DIR), absolute; null when snapshots are off. */
    barSnapshotDir: string | null;
  };
  logLevel: RawConfig['LOG_LEVEL'];
  modelPath: string;
  /** Worker threads for batch prediction; 0: batches run on the event loop. */
  predictThreads: number;
  polygon: { apiKey?: string; baseUrl: string };
  db: {
    poolSize: number;
    acquireTimeoutMs: number;
    statementTimeoutMs: number;
    idleInTransactionTimeoutMs: number;
  };
  auth: { cacheTtlMs: number; usageFlushSeconds: number };
  health: { checkTimeoutMs: number };
  scans: {
    cacheTtlSeconds: number;
    retentionDays: number;
    inFlightPerCredential: number;
    queueBacklogLimit: number;
    /** SCAN_THREADS: threads a large scan is split across (1: inline only). */
    threads: number;
    /** SCAN_THREADS_MIN_SYMBOLS: smaller universes are scanned inline. */
    threadsMinSymbols: number;
  };
  watches: { perInstallation: number; checkIntervalMs: number };
  ws: { maxConnectionsPerIp: number; pingIntervalMs: number; framesPerSecond: number };
  rateLimits: { windowSeconds: number; perWindow: Record<RateLimitBucket, number> };
  tracing: TracingConfig;
  apns: ApnsConfig;
}

/** APNs (issue 17). `credentials` is undefined when the four APNS_* identity variables are unset. */
export interface ApnsConfig {
  credentials?: { teamId: string; keyId: string; keyFile: string; bundleId: string };
  urls: { production: string; sandbox: string };
  caFile?: string;
  dailyCap: number;
  maxAttempts: number;
  retryBaseMs: number;
}

/** OpenTelemetry tracing, from the standard OTEL_* variables (the SDK reads the rest itself). */
export interface TracingConfig {
  /**
   * Off unless asked for: OTEL_TRACES_EXPORTER set (and not `none`), or an OTLP endpoint set with
   * no exporter named (the spec's default exporter is otlp); OTEL_SDK_DISABLED=true wins.
   */
  enabled: boolean;
  serviceName?: string;
  /** Every OTEL_* variable from the environment and `.env` (the environment wins), for the SDK. */
  variables: Record<string, string>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` if present; variables already in the environment win over it. */
export function readEnvFile(path = '.env'): Record<string, string> {
  if (!existsSync(path)) return {};
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/**
 * Validates the whole environment at once and reports every bad variable in one error,
 * so an operator fixes them in one go instead of one restart per typo.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, envFile = '.env'): AppConfig {
  const merged: Record<string, string | undefined> = { ...readEnvFile(envFile), ...env };
  // An empty variable means "not set", as with most twelve-factor tooling.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const c = parsed.data;
  return {
    env: c.NODE_ENV,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    redisTlsCa: readRedisTlsCa(c.REDIS_URL, c.REDIS_TLS_CA_FILE),
    queuePrefix: c.QUEUE_PREFIX,
    api: {
      host: c.API_HOST,
      port: c.API_PORT,
      trustProxy: c.TRUST_PROXY,
      bodyLimitBytes: c.BODY_LIMIT_BYTES,
      // The document and Swagger UI describe every route to anyone: off in production unless asked.
      docsEnabled: c.DOCS_ENABLED ?? c.NODE_ENV !== 'production',
    },
    worker: {
      port: c.WORKER_PORT,
      barSnapshotDir: c.BAR_SNAPSHOT_DIR === 'off' ? null : resolve(c.BAR_SNAPSHOT_DIR),
    },
    logLevel: c.LOG_LEVEL,
    modelPath: c.MODEL_PATH,
    predictThreads: c.PREDICT_THREADS ?? Math.min(4, availableParallelism()),
    polygon: { apiKey: c.POLYGON_API_KEY, baseUrl: c.POLYGON_BASE_URL },
    db: {
      poolSize: c.DB_POOL_SIZE,
      acquireTimeoutMs: c.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: c.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    auth: {
      cacheTtlMs: c.API_KEY_CACHE_TTL_MS,
      usageFlushSeconds: c.CREDENTIAL_USAGE_FLUSH_SECONDS,
    },
    health: { checkTimeoutMs: c.HEALTH_CHECK_TIMEOUT_MS },
    scans: {
      cacheTtlSeconds: c.SCAN_CACHE_TTL_SECONDS,
      retentionDays: c.SCAN_RETENTION_DAYS,
      inFlightPerCredential: c.SCANS_IN_FLIGHT_PER_CREDENTIAL,
      queueBacklogLimit: c.SCAN_QUEUE_BACKLOG_LIMIT,
      threads: c.SCAN_THREADS ?? availableParallelism(),
      threadsMinSymbols: c.SCAN_THREADS_MIN_SYMBOLS,
    },
    watches: {
      perInstallation: c.WATCHES_PER_INSTALLATION,
      checkIntervalMs: c.WATCH_CHECK_INTERVAL_MS,
    },
    ws: {
      maxConnectionsPerIp: c.WS_MAX_CONNECTIONS_PER_IP,
      pingIntervalMs: c.WS_PING_INTERVAL_MS,
      framesPerSecond: c.WS_FRAMES_PER_SECOND,
    },
    rateLimits: {
      windowSeconds: c.RATE_LIMIT_WINDOW_SECONDS,
      perWindow: {
        itemsRead: c.RATE_LIMIT_ITEMS_READ,
        itemsWrite: c.RATE_LIMIT_ITEMS_WRITE,
        predict: c.RATE_LIMIT_PREDICT,
        scansCreate: c.RATE_LIMIT_SCANS_CREATE,
        scansRead: c.RATE_LIMIT_SCANS_READ,
        watchesWrite: c.RATE_LIMIT_WATCHES_WRITE,
        wsConnect: c.RATE_LIMIT_WS_CONNECT,
        installPerKey: c.RATE_LIMIT_INSTALL_PER_KEY,
        installPerIp: c.RATE_LIMIT_INSTALL_PER_IP,
        authFailures: c.RATE_LIMIT_AUTH_FAILURES,
      },
    },
    tracing: tracingConfig(c, merged),
    apns: apnsConfig(c),
  };
}

/** All four identity variables or none: a half-configured APNs is a mistake, not "off". */
function apnsConfig(c: RawConfig): ApnsConfig {
  const identity = {
    APNS_TEAM_ID: c.APNS_TEAM_ID,
    APNS_KEY_ID: c.APNS_KEY_ID,
    APNS_KEY_FILE: c.APNS_KEY_FILE,
    APNS_BUNDLE_ID: c.APNS_BUNDLE_ID,
  };
  const missing = Object.entries(identity).filter(([, value]) => value === undefined);
  if (missing.length > 0 && missing.length < 4)
    throw new ConfigError(
      missing.map(
        ([name]) =>
          `${name}: required once any of APNS_TEAM_ID, APNS_KEY_ID, APNS_KEY_FILE, APNS_BUNDLE_ID is set`,
      ),
    );
  return {
    credentials:
      missing.length === 0
        ? {
            teamId: c.APNS_TEAM_ID!,
            keyId: c.APNS_KEY_ID!,
            keyFile: c.APNS_KEY_FILE!,
            bundleId: c.APNS_BUNDLE_ID!,
          }
        : undefined,
    urls: { production: c.APNS_PRODUCTION_URL, sandbox: c.APNS_SANDBOX_URL },
    caFile: c.APNS_CA_FILE,
    dailyCap: c.APNS_DAILY_CAP,
    maxAttempts: c.APNS_MAX_ATTEMPTS,
    retryBaseMs: c.APNS_RETRY_BASE_MS,
  };
}

function tracingConfig(c: RawConfig, merged: Record<string, string | undefined>): TracingConfig {
  const exporters = c.OTEL_TRACES_EXPORTER;
  const endpoint = c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? c.OTEL_EXPORTER_OTLP_ENDPOINT;
  const variables = Object.fromEntries(
    Object.entries(merged).filter(
      (entry): entry is [string, string] => entry[0].startsWith('OTEL_') && entry[1] !== undefined,
    ),
  );
  return {
    enabled: c.OTEL_SDK_DISABLED !== true && (exporters ? exporters !== 'none' : Boolean(endpoint)),
    serviceName: c.OTEL_SERVICE_NAME,
    variables,
  };
}

/**
 * The OpenTelemetry SDK reads the OTEL_* variables from the process environment itself, as the
 * spec says; this puts the ones that came from `.env` there too, before the SDK starts (the
 * environment's own values are kept).
 */
export function exposeTracingVariables(tracing: TracingConfig): void {
  for (const [name, value] of Object.entries(tracing.variables)) process.env[name] ??= value;
}

/** The CA file's text, read once at start: a missing file or a plain redis:// URL is a config error. */
function readRedisTlsCa(redisUrl: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  if (new URL(redisUrl).protocol !== 'rediss:')
    throw new ConfigError(['REDIS_TLS_CA_FILE: set, but REDIS_URL is not a rediss:// URL']);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`REDIS_TLS_CA_FILE: cannot read ${file} (${(error as Error).message})`]);
  }
}
