import { z } from 'zod';
import { parseTrustProxy } from './trust-proxy.js';

/** `true/false/1/0/yes/no` from the environment; anything else is a validation error. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const perMinute = z.coerce.number().int().min(1).max(1_000_000);
/** The OTLP encodings over HTTP that the apps are tested with (grpc is not). */
const otlpProtocol = z.enum(['http/protobuf', 'http/json']);

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL with scheme ${protocols.join(' or ')}` },
  );

/**
 * Every environment variable the apps, the CLI and the scripts read. Names in DESIGN §7 are fixed;
 * the rest are tuning knobs with defaults that work on a developer machine.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default(
    'postgres://scanner:scanner@127.0.0.1:5432/scanner',
  ),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379/0'),
  /**
   * PEM file of the CA that signed Redis's certificate, for a `rediss://` URL whose server is not
   * signed by a public CA (a managed Redis with its own CA, the fleet's data host). The server's
   * name is verified either way.
   */
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  /**
   * BullMQ's key prefix. A hash tag (`{bull}`) puts every key of a queue in one Redis Cluster
   * slot, which BullMQ's multi-key scripts need there; `bull` (BullMQ's own default) elsewhere.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]*(\{[A-Za-z0-9_-]+\})?[A-Za-z0-9_-]*$/,
      'letters, digits, _ - and at most one {hash tag}',
    )
    .min(1)
    .default('bull'),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  WORKER_PORT: port.default(3100),
  /**
   * Where a worker keeps its bar-cache snapshots (one Arrow file per data version, ~0.55 GB for
   * 10,000 symbols × 1,260 bars): a writable directory, shared by the workers of a host (or a
   * volume shared by hosts). Relative paths are from the working directory; `off` disables them.
   */
  BAR_SNAPSHOT_DIR: z.string().min(1).default('.local/bar-snapshots'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Swagger UI and /docs-json; unset: on except in production (NODE_ENV=production). */
  DOCS_ENABLED: flag.optional(),
  MODEL_PATH: z.string().min(1).default('models/sentiment-model.json'),
  /**
   * Worker threads that classify /v1/predict/batch off the event loop; 0 classifies batches on the
   * event loop. Unset: one per core, up to 4 (they run at a lower priority than the event loop).
   */
  PREDICT_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  POLYGON_API_KEY: z.string().min(1).optional(),
  POLYGON_BASE_URL: url(['http:', 'https:']).default('https://api.polygon.io'),

  /** Connections per process; api and worker processes each hold a pool of this size. */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a request waits for a free connection before it fails (503), in ms. */
  DB_ACQUIRE_TIMEOUT_MS: positiveInt.default(2000),
  DB_STATEMENT_TIMEOUT_MS: positiveInt.default(15_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt.default(30_000),

  /**
   * Which peers may set X-Forwarded-For: `loopback` (Nginx on the same host), `none`, or addresses
   * and CIDR ranges (`172.28.0.0/16`: Nginx's network in docker compose). Parsed into ranges.
   */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if ('ranges' in parsed) return parsed.ranges;
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
  /** How often an api process adds its counted requests to the credentials' usage (keys list). */
  CREDENTIAL_USAGE_FLUSH_SECONDS: positiveInt.max(3600).default(60),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt.default(3000),

  /** How long a completed scan is answered from Redis; PostgreSQL keeps it beyond that. */
  SCAN_CACHE_TTL_SECONDS: positiveInt.default(3600),
  // Scans one credential may have queued or running at once (issue 11: limits by cost).
  SCANS_IN_FLIGHT_PER_CREDENTIAL: positiveInt.default(3),
  /**
   * Scans waiting in the queue beyond which a new run is refused with 503 and Retry-After: past it,
   * a new scan would wait minutes (cached answers and joined runs are still served).
   */
  SCAN_QUEUE_BACKLOG_LIMIT: positiveInt.default(500),
  /**
   * Worker threads one worker process splits a large scan across (the engine is per-symbol
   * independent, so the shares' top hits merge exactly); unset: the machine's available cores.
   * 1 keeps every scan on the process's own thread.
   */
  SCAN_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Universes smaller than this are scanned inline: handing a few hundred symbols to threads costs
   * more than it saves (docs/benchmarks.md, bench:scan part 3 measures the split against inline).
   */
  SCAN_THREADS_MIN_SYMBOLS: positiveInt.default(2000),
  /** Scan runs and their results older than this are deleted by the worker's daily retention job. */
  SCAN_RETENTION_DAYS: positiveInt.max(3650).default(30),
  /** Watches one installation may keep (issue 17); one more is refused with 409. */
  WATCHES_PER_INSTALLATION: positiveInt.max(1000).default(20),
  /**
   * How often the worker looks for a data version (or a new watch) no evaluation has seen yet: the
   * catch-all for versions written by a process without a queue (the CLI's import and synth).
   */
  WATCH_CHECK_INTERVAL_MS: positiveInt.min(200).default(30_000),
  /** Open WebSocket connections allowed per client IP on one api process. */
  WS_MAX_CONNECTIONS_PER_IP: positiveInt.default(20),
  /** Client frames one socket may send per second on average (bursts of twice that). */
  WS_FRAMES_PER_SECOND: positiveInt.max(10_000).default(20),
  /** Server ping interval; Nginx cuts idle proxied connections at 60 s. */
  WS_PING_INTERVAL_MS: positiveInt.default(25_000),

  RATE_LIMIT_WINDOW_SECONDS: positiveInt.default(60),
  RATE_LIMIT_ITEMS_READ: perMinute.default(600),
  RATE_LIMIT_ITEMS_WRITE: perMinute.default(60),
  RATE_LIMIT_PREDICT: perMinute.default(300),
  RATE_LIMIT_SCANS_CREATE: perMinute.default(20),
  RATE_LIMIT_SCANS_READ: perMinute.default(600),
  /** Creating, changing and deleting watches, together (reading them counts as scans read). */
  RATE_LIMIT_WATCHES_WRITE: perMinute.default(60),
  RATE_LIMIT_WS_CONNECT: perMinute.default(30),
  /** Installations one app key may register per window (every new install of the app). */
  RATE_LIMIT_INSTALL_PER_KEY: perMinute.default(300),
  /**
   * Requests with an unknown or malformed credential one client address may make per window;
   * beyond it, 429 without a database lookup (guessing keys costs the guesser, not the service).
   */
  RATE_LIMIT_AUTH_FAILURES: perMinute.default(60),
  /** Installations one client address may register per window: what bounds token farming. */
  RATE_LIMIT_INSTALL_PER_IP: perMinute.default(10),

  // Apple Push Notification service (issue 17; docs/operations.md#push-notifications-apns). All four
  // of team, key id, key file and bundle id, or none: without them the worker records each alert's
  // push as `no-config` and carries on.
  /** The Apple Developer team id (10 characters): the `iss` of the provider token. */
  APNS_TEAM_ID: z
    .string()
    .regex(/^[A-Z0-9]{10}$/, '10 capital letters or digits')
    .optional(),
  /** The id of the .p8 signing key (10 characters): the `kid` of the provider token. */
  APNS_KEY_ID: z
    .string()
    .regex(/^[A-Z0-9]{10}$/, '10 capital letters or digits')
    .optional(),
  /** Path of the .p8 key file (PKCS #8 PEM), read by the worker at start; readable by it alone. */
  APNS_KEY_FILE: z.string().min(1).optional(),
  /** The app's bundle id: the `apns-topic` of every push. */
  APNS_BUNDLE_ID: z
    .string()
    .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'a bundle id such as com.example.scanner')
    .optional(),
  /** Base URLs per environment; overridable for a local fake (tests, benches). */
  APNS_PRODUCTION_URL: url(['https:']).default('https://api.push.apple.com'),
  APNS_SANDBOX_URL: url(['https:']).default('https://api.sandbox.push.apple.com'),
  /** PEM file of a CA to trust for the APNs URLs instead of the system's (only for a local fake). */
  APNS_CA_FILE: z.string().min(1).optional(),
  /** Pushes one installation may receive per UTC day; alerts beyond it are recorded `capped`. */
  APNS_DAILY_CAP: positiveInt.max(10_000).default(20),
  /** Attempts per push when APNs answers 429 or 5xx (or the connection fails), backoff between. */
  APNS_MAX_ATTEMPTS: positiveInt.max(10).default(4),
  /** First backoff in ms (doubled per attempt, with jitter); a Retry-After header wins. */
  APNS_RETRY_BASE_MS: positiveInt.max(60_000).default(500),

  // OpenTelemetry tracing (docs/operations.md): the standard names, which the SDK reads itself. They
  // are listed here so that a typo stops the start like any other bad variable, instead of the SDK
  // logging it and carrying on with a default. Tracing is off unless an exporter or endpoint is set.
  OTEL_SDK_DISABLED: flag.optional(),
  /** `otlp`, `console` or both (comma-separated), or `none`. */
  OTEL_TRACES_EXPORTER: z
    .string()
    .regex(/^(none|(otlp|console)(,(otlp|console))?)$/, 'otlp, console, both, or none')
    .optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(['http:', 'https:']).optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  OTEL_TRACES_SAMPLER: z
    .enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ])
    .optional(),
  /** The ratio of the `traceidratio` samplers, 0..1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** Unset: market-scanner-api or market-scanner-worker. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
