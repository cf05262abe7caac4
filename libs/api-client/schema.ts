/**
 * Generated from docs/openapi.json by `npm run client:generate` (openapi-typescript): do not edit.
 * A unit test (libs/api-client/schema.spec.ts) fails when the document and this file disagree.
 */

export interface paths {
  '/health/live': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness: the process runs
     * @description Public (no API key) and never rate-limited; checks is always empty.
     */
    get: operations['getLiveness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: PostgreSQL and Redis answer
     * @description Public (no API key) and never rate-limited; 503 names the dependency that is down.
     */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List instruments (keyset pagination, filters by sector, text and state) */
    get: operations['listItems'];
    put?: never;
    /** Add an instrument */
    post: operations['createItem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/items/{symbol}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One instrument */
    get: operations['getItem'];
    put?: never;
    post?: never;
    /** Deactivate an instrument (kept for history; scans skip it) */
    delete: operations['deactivateItem'];
    options?: never;
    head?: never;
    /** Change an instrument */
    patch: operations['updateItem'];
    trace?: never;
  };
  '/v1/items/{symbol}/analysis': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One symbol's technical analysis (a ScanHit without rank) from bars up to asOf, with the plan its signal calls for */
    get: operations['getAnalysis'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/scans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * This API key's recent scans, newest first (summaries without hits; keyset pages)
     * @description The scans the key started or was answered with (as GET /v1/scans/{id} shows them), kept for SCAN_RETENTION_DAYS (30 by default).
     */
    get: operations['listScans'];
    put?: never;
    /**
     * Start a scan (or get the cached one)
     * @description Identical requests on the same data version are answered from the cache (200, cached: true) or share the run in flight. Otherwise 202 with a Location header; ?wait=N (0..30 s) holds the response until the scan completes. Cached answers and refused requests do not spend the scans-create budget; at most 3 scans per credential are queued or running (429 with Retry-After beyond). When the scan queue backlog is at its bound, a new run is refused with 503 and Retry-After. Each hit carries a TechRating (0..100, 50 neutral: six subscores weighted 3/3/2/1/1/1) and a signal from it (≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, else Avoid), with a plan on the signal's side. Profiles set the filters (min price / max ATR % / min 20-day dollar volume / default min rating): conservative 15 / 2.5 % / 10 M / 65, balanced 10 / 3.5 % / 5 M / 55, aggressive 5 / 6 % / 3 M / 45. If nothing passes, the best 10 are shown with relaxed: true.
     */
    post: operations['createScan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/scans/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A scan started (or requested) by this API key
     * @description The full Scan: progress while it runs, the ranked result once completed. A WebSocket client that reconnects rebuilds its state from here.
     */
    get: operations['getScan'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/predict': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Sentiment of one finance text (1..2000 characters) */
    post: operations['predict'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/predict/batch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sentiment of 1..256 texts, results in input order
     * @description Spends one unit of the predict budget per text; a batch larger than what remains is refused whole (429) and spends nothing.
     */
    post: operations['predictBatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/model/info': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The loaded sentiment model: version, algorithm, classes, validation metrics */
    get: operations['getModelInfo'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/items/{symbol}/bars': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * OHLCV of one instrument for a chart, as columns (day, week or month)
     * @description Oldest point first; `limit` keeps the newest points of the range. A week or month is dated by its first trading day: first open, highest high, lowest low, last close, summed volume. Send the ETag back in If-None-Match to get 304 while the data has not changed.
     */
    get: operations['getBars'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/meta': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Data range and version, sectors, profiles, signal thresholds and your limits
     * @description The ETag covers everything except `limits.buckets[].remaining` and `resetSeconds`, which move with every request: a 304 means the rest of your copy is current.
     */
    get: operations['getMeta'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/installations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Register an installation of the app and get its own token
     * @description Called once per installation with the app key (scope `install`). The token is shown once; it carries the scopes the app key grants and has its own rate-limit budgets. Registration is limited per app key and per client address.
     */
    post: operations['registerInstallation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/installations/me/push': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Register this installation's APNs device token
     * @description Called with the installation token whenever the app gets a device token (every launch: it may change). Alerts of this installation’s watches are then pushed to it. Registering a token takes it from any other installation that had it. A token APNs calls no longer valid (410 Unregistered) is forgotten: the app registers again on its next launch.
     */
    put: operations['registerPushToken'];
    post?: never;
    /** Forget this installation's device token: no more pushes (alerts still listed) */
    delete: operations['unregisterPushToken'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/watches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This installation’s watches, oldest first */
    get: operations['listWatches'];
    put?: never;
    /**
     * Save a scan to watch: alerts when its top N changes
     * @description After every new data version the worker re-runs the watch’s scan and compares its first topN rows with the previous evaluation: a symbol that entered (`entered`), left (`exited`) or changed signal (`signalChanged`) is an alert (GET /v1/alerts, the WebSocket, a push). The first evaluation sets the baseline and alerts nothing. The request is a POST /v1/scans body, validated the same way, without asOf. An installation keeps at most WATCHES_PER_INSTALLATION watches (20 by default; one more is 409).
     */
    post: operations['createWatch'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/watches/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One watch with its last result */
    get: operations['getWatch'];
    put?: never;
    post?: never;
    /** Delete a watch and its alerts */
    delete: operations['deleteWatch'];
    options?: never;
    head?: never;
    /**
     * Rename a watch, change what it notifies about, or its request
     * @description A different request starts over: its next evaluation is a new baseline.
     */
    patch: operations['updateWatch'];
    trace?: never;
  };
  '/v1/alerts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * This installation’s alerts, newest first (keyset pages by id)
     * @description What its watches saw on each new data version. `since` keeps those recorded at or after an instant; `cursor` (the previous page’s nextCursor) continues to older ones. An API key (not an installation token) gets 403.
     */
    get: operations['listAlerts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /**
     * @description ok when every check is up
     * @enum {string}
     */
    HealthStatus: 'ok' | 'error';
    Health: {
      status: components['schemas']['HealthStatus'];
      /**
       * @description up/down per dependency (readiness only)
       * @example {
       *       "database": "up",
       *       "redis": "up"
       *     }
       */
      checks: {
        [key: string]: 'up' | 'down';
      };
    };
    /** @description One invalid input: where and why */
    FieldError: {
      /**
       * @description Dotted path of the field, e.g. symbols[2]
       * @example limit
       */
      field: string;
      /** @example limit must not be greater than 200 */
      message: string;
    };
    /** @description RFC 9457 problem details: the body of every error, as application/problem+json */
    Problem: {
      /**
       * @description urn:market-scanner:problem:<slug>; the slugs are listed in docs/api.md
       * @example urn:market-scanner:problem:not-found
       */
      type: string;
      /**
       * @description The HTTP reason phrase of the status
       * @example Not Found
       */
      title: string;
      /** @example 404 */
      status: number;
      /**
       * @description What went wrong, for people
       * @example No item with symbol ZZZZ
       */
      detail: string;
      /** @description Validation problems only (type …:validation): every invalid field */
      errors?: components['schemas']['FieldError'][];
    };
    Item: {
      /** @example AAPL */
      symbol: string;
      /** @example Apple Inc. */
      name: string;
      description: string;
      /** @example Information Technology */
      sector: string;
      /** @example Technology Hardware, Storage & Peripherals */
      industry: string | null;
      active: boolean;
      /**
       * Format: date
       * @example 2013-02-08
       */
      firstBarDate: string | null;
      /**
       * Format: date
       * @example 2018-02-07
       */
      lastBarDate: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    ItemPage: {
      data: components['schemas']['Item'][];
      /** @description Pass as ?cursor= for the next page; null on the last page */
      nextCursor: string | null;
    };
    CreateItem: {
      /** @example NVDA */
      symbol: string;
      /** @example NVIDIA Corp */
      name: string;
      description?: string;
      /**
       * @description GICS sector or alias
       * @example Information Technology
       */
      sector: string;
      /** @example Semiconductors */
      industry?: string;
      /** @default true */
      active?: boolean;
    };
    UpdateItem: {
      name?: string;
      description?: string;
      /** @description GICS sector or alias */
      sector?: string;
      industry?: string | null;
      active?: boolean;
    };
    /**
     * @description What the TechRating says to do: ≥ 75 Strong Long, ≥ 60 Long, ≤ 25 Strong Short, ≤ 40 Short, otherwise Avoid
     * @enum {string}
     */
    Signal: 'Strong Long' | 'Long' | 'Avoid' | 'Short' | 'Strong Short';
    /** @description The six components of the TechRating, each from -1 (bearish) to 1 (bullish), weighted 3/3/2/1/1/1 */
    Subscores: {
      /**
       * @description Close against SMA 50/200, their order, ADX direction (weight 3)
       * @example 0.8
       */
      trend: number;
      /**
       * @description 1, 3 and 6-month returns against volatility, MACD histogram (weight 3)
       * @example 0.4
       */
      momentum: number;
      /**
       * @description Volume on up against down days, today's spike (weight 2)
       * @example 0.1
       */
      volume: number;
      /**
       * @description Low and contracting ATR % is positive (weight 1)
       * @example 0.2
       */
      volatility: number;
      /**
       * @description RSI 14 and Bollinger %B, fading when stretched (weight 1)
       * @example -0.1
       */
      oscillator: number;
      /**
       * @description Near the 52-week high, position in the 20-day channel (weight 1)
       * @example 0.5
       */
      breakout: number;
    };
    /** @description Indicator values at the last bar the analysis used */
    Indicators: {
      /**
       * @description Last close, USD
       * @example 159.54
       */
      close: number;
      /**
       * @description Simple moving average, 20 bars, USD
       * @example 165.1
       */
      sma20: number;
      /**
       * @description Simple moving average, 50 bars, USD
       * @example 170.2
       */
      sma50: number;
      /**
       * @description Simple moving average, 200 bars, USD
       * @example 160.3
       */
      sma200: number;
      /**
       * @description RSI 14 (Wilder)
       * @example 38.2
       */
      rsi14: number;
      /**
       * @description MACD 12/26/9 histogram, USD
       * @example -0.9
       */
      macdHist: number;
      /**
       * @description ATR 14 (Wilder) in percent of the close
       * @example 2.4
       */
      atrPct: number;
      /**
       * @description ADX 14
       * @example 21.5
       */
      adx14: number;
      /**
       * @description 20-bar rate of change, percent
       * @example -6.1
       */
      roc20: number;
      /**
       * @description Percent below the highest high of the last 252 bars (≤ 0)
       * @example -11.2
       */
      dist52wHigh: number;
      /**
       * @description Mean of close × volume over 20 bars, USD
       * @example 8100000000
       */
      avgDollarVolume20: number;
    };
    /**
     * @description long: stop below the entry, target above; short: stop above, target below
     * @enum {string}
     */
    PlanSide: 'long' | 'short';
    /** @description A trade plan sized by risk; prices in USD, rounded to cents */
    Plan: {
      side: components['schemas']['PlanSide'];
      /**
       * @description The last close
       * @example 159.54
       */
      entry: number;
      /**
       * @description entry ∓ 2·ATR: below the entry for long, above for short
       * @example 151.9
       */
      stop: number;
      /**
       * @description entry ± targetRR·|entry − stop|: above the entry for long, below for short
       * @example 174.82
       */
      target: number;
      /**
       * @description floor(accountSize·riskPct % / |entry − stop|), never more than accountSize / entry
       * @example 13
       */
      shares: number;
      /** @description true when the risk budget asked for more shares than the account buys */
      capped: boolean;
      /** @description Why there are no shares; present exactly when shares is 0 */
      reason?: string;
    };
    /**
     * @description A profile's or direction's filter a symbol did not meet
     * @enum {string}
     */
    FilterName: 'minPrice' | 'maxAtrPct' | 'minAvgDollarVolume' | 'minTechRating' | 'direction';
    Analysis: {
      /** @example AAPL */
      symbol: string;
      /** @example Apple Inc. */
      name: string;
      /** @example Information Technology */
      sector: string;
      signal: components['schemas']['Signal'];
      /**
       * @description The weighted subscores mapped to 0..100: 50 is neutral, higher is more bullish, lower more bearish
       * @example 71.4
       */
      techRating: number;
      subscores: components['schemas']['Subscores'];
      indicators: components['schemas']['Indicators'];
      /** @description On the side of the signal; null for Avoid (the rationale says why) */
      plan: components['schemas']['Plan'] | null;
      /** @description Why the rating is what it is, in one sentence */
      rationale: string;
      /**
       * Format: date
       * @description The last bar the analysis used, YYYY-MM-DD
       * @example 2018-02-07
       */
      asOf: string;
      /**
       * Format: date
       * @description The asOf the request named, or null (the latest bar)
       */
      asOfRequested: string | null;
      /** @description The profile's and direction's filters the symbol does not meet; empty when a scan would list it */
      failedFilters: components['schemas']['FilterName'][];
    };
    /** @description Body of POST /v1/scans and the request of the WebSocket scan message; every field is optional */
    CreateScan: {
      /**
       * @description GICS sectors or aliases; default all
       * @example [
       *       "technology"
       *     ]
       */
      sectors?: string[];
      /**
       * @description Restrict the universe (a watchlist), ≤ 500
       * @example [
       *       "AAPL",
       *       "MSFT"
       *     ]
       */
      symbols?: string[];
      /**
       * @description How many ranked results to return
       * @default 25
       */
      maxSymbols?: number;
      /** @description Default: the profile's (65 / 55 / 45) */
      minTechRating?: number;
      /**
       * @default balanced
       * @enum {string}
       */
      profile?: 'conservative' | 'balanced' | 'aggressive';
      /**
       * @description long: strongest ratings first, Long/Strong Long only; short: weakest first, Short/Strong Short only; both: farthest from neutral 50 first
       * @default long
       * @enum {string}
       */
      direction?: 'long' | 'short' | 'both';
      /**
       * Format: date
       * @description Point-in-time scan: bars on or before this date. A weekend or holiday means the trading day before; a date outside the data is a 422
       * @example 2016-06-30
       */
      asOf?: string;
      /** @default 10000 */
      accountSize?: number;
      /**
       * @description Percent of the account risked per trade
       * @default 1
       */
      riskPct?: number;
      /**
       * @description Target reward-to-risk ratio
       * @default 2
       */
      targetRR?: number;
    };
    /**
     * @description queued → running → completed or failed
     * @enum {string}
     */
    ScanStatus: 'queued' | 'running' | 'completed' | 'failed';
    /**
     * @description Risk profile (min price / max ATR % / min 20-day dollar volume / default min rating): conservative 15 / 2.5 % / 10 M / 65, balanced 10 / 3.5 % / 5 M / 55, aggressive 5 / 6 % / 3 M / 45
     * @enum {string}
     */
    Profile: 'conservative' | 'balanced' | 'aggressive';
    /**
     * @description long: strongest ratings first, Long/Strong Long only; short: weakest first, Short/Strong Short only; both: farthest from neutral 50 first
     * @enum {string}
     */
    Direction: 'long' | 'short' | 'both';
    /** @description The request as the scan runs it: defaults filled, sectors resolved, lists sorted */
    ScanRequest: {
      /**
       * @description GICS sector names; null: every sector
       * @example null
       */
      sectors: string[] | null;
      /**
       * @description Symbols, upper-cased; null: every active item
       * @example null
       */
      symbols: string[] | null;
      /** @example 25 */
      maxSymbols: number;
      /** @example 55 */
      minTechRating: number;
      profile: components['schemas']['Profile'];
      direction: components['schemas']['Direction'];
      /**
       * Format: date
       * @description The trading day the scan uses, YYYY-MM-DD; null: the latest bar
       * @example null
       */
      asOf: string | null;
      /**
       * Format: date
       * @description The date as the client sent it; null when it sent none
       * @example null
       */
      asOfRequested: string | null;
      /**
       * @description USD
       * @example 10000
       */
      accountSize: number;
      /**
       * @description Percent of the account risked per trade
       * @example 1
       */
      riskPct: number;
      /** @example 2 */
      targetRR: number;
    };
    /**
     * @description loading 5 %, fetching 20 %, scanning 70 %, finalizing 5 % of the progress
     * @enum {string}
     */
    ScanStage: 'loading' | 'fetching' | 'scanning' | 'finalizing';
    /** @description Where a scan is: stages loading (5 %), fetching (20 %), scanning (70 %), finalizing (5 %); a completed scan shows finalizing 100 % */
    ScanProgress: {
      stage: components['schemas']['ScanStage'];
      /** @example 62.5 */
      percent: number;
      /** @example 310 */
      symbolsScanned: number;
      /** @example 505 */
      universeSize: number;
      /** @description Estimated seconds left; null until there is enough progress to estimate */
      etaSeconds: number | null;
    };
    /** @description One ranked symbol of a scan */
    ScanHit: {
      /**
       * @description 1 = best in the direction
       * @example 1
       */
      rank: number;
      /** @example AAPL */
      symbol: string;
      /** @example Apple Inc. */
      name: string;
      /** @example Information Technology */
      sector: string;
      signal: components['schemas']['Signal'];
      /**
       * @description The weighted subscores mapped to 0..100: 50 is neutral, higher is more bullish, lower more bearish
       * @example 71.4
       */
      techRating: number;
      subscores: components['schemas']['Subscores'];
      indicators: components['schemas']['Indicators'];
      /** @description On the side of the signal; null for Avoid (the rationale says why) */
      plan: components['schemas']['Plan'] | null;
      /** @description Why the rating is what it is, in one sentence */
      rationale: string;
      /**
       * Format: date
       * @description The last bar the analysis used, YYYY-MM-DD
       * @example 2018-02-07
       */
      asOf: string;
      /** @description Only on the hits of a relaxed result: the filters this hit did not meet */
      failedFilters?: components['schemas']['FilterName'][];
    };
    /** @description How long the scan took */
    ScanMetrics: {
      /**
       * @description From taking the job to writing the results, ms
       * @example 21.3
       */
      totalMs: number;
      /**
       * @description Inside the engine alone, ms
       * @example 4.1
       */
      computeMs: number;
      /** @example 123000 */
      symbolsPerSecond: number;
      /** @description Whether the bars came from the worker's in-memory cache */
      barCacheHit: boolean;
    };
    /** @description The outcome of a completed scan */
    ScanResult: {
      /** @example 25 of 505 symbols match the balanced long filters */
      statusText: string;
      /** @description true when no symbol passed the filters and the top 10 in the direction's order are shown instead, each with its failedFilters */
      relaxed: boolean;
      /** @example 505 */
      universeSize: number;
      /** @example 505 */
      symbolsScanned: number;
      /** @example 1 */
      dataVersion: number;
      /**
       * Format: date
       * @description The last trading day the scan used (on or before asOfRequested)
       */
      asOf: string | null;
      /**
       * Format: date
       * @description The asOf the request named, or null (the latest bar)
       */
      asOfRequested: string | null;
      results: components['schemas']['ScanHit'][];
      metrics: components['schemas']['ScanMetrics'];
    };
    /** @description A scan run: its request, progress and, once completed, its result */
    Scan: {
      /** Format: uuid */
      id: string;
      status: components['schemas']['ScanStatus'];
      /** @description true when answered from the cache of an identical earlier scan */
      cached: boolean;
      request: components['schemas']['ScanRequest'];
      progress: components['schemas']['ScanProgress'];
      result?: components['schemas']['ScanResult'];
      /** @description Failed scans only: why */
      error?: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      completedAt: string | null;
    };
    PredictText: {
      /** @example $AAPL beats estimates and raises guidance */
      text: string;
    };
    /**
     * @description The most likely class of the text
     * @enum {string}
     */
    SentimentLabel: 'bullish' | 'bearish' | 'neutral';
    SentimentScores: {
      bullish: number;
      bearish: number;
      neutral: number;
    };
    Prediction: {
      label: components['schemas']['SentimentLabel'];
      confidence: number;
      scores: components['schemas']['SentimentScores'];
      modelVersion: string;
    };
    PredictBatch: {
      /**
       * @example [
       *       "$XYZ shares plunge after the company cuts its outlook"
       *     ]
       */
      texts: string[];
    };
    BatchPrediction: {
      label: components['schemas']['SentimentLabel'];
      confidence: number;
      scores: components['schemas']['SentimentScores'];
    };
    PredictionBatch: {
      /** @description In input order */
      results: components['schemas']['BatchPrediction'][];
      modelVersion: string;
    };
    ModelMetrics: {
      accuracy: number;
      macroF1: number;
      samples: number;
    };
    ModelInfo: {
      loaded: boolean;
      version: string | null;
      algorithm: string | null;
      classes: string[];
      trainedAt: string | null;
      dataset: string | null;
      metrics: components['schemas']['ModelMetrics'] | null;
    };
    /**
     * @description day, or week/month periods dated by their first trading day
     * @enum {string}
     */
    BarInterval: 'day' | 'week' | 'month';
    Bars: {
      /** @example AAPL */
      symbol: string;
      interval: components['schemas']['BarInterval'];
      /**
       * @description Trading day (a period: its first trading day), YYYY-MM-DD
       * @example [
       *       "2018-02-06",
       *       "2018-02-07"
       *     ]
       */
      t: string[];
      /** @description Open, USD */
      o: number[];
      /** @description High, USD */
      h: number[];
      /** @description Low, USD */
      l: number[];
      /** @description Close, USD */
      c: number[];
      /**
       * @description Shares traded
       * @example [
       *       31211560,
       *       31566670
       *     ]
       */
      v: number[];
    };
    DataInfo: {
      /**
       * Format: date
       * @example 2013-02-08
       */
      firstBarDate: string | null;
      /**
       * Format: date
       * @example 2018-02-07
       */
      lastBarDate: string | null;
      /**
       * @description Data version; scans record the one they ran on
       * @example 1
       */
      version: number;
      /**
       * @description Where the newest version came from: embedded, polygon or synthetic
       * @example embedded
       */
      source: string | null;
      /**
       * Format: date-time
       * @description When the data last changed (ISO 8601)
       * @example 2026-12-06T09:00:00.000Z
       */
      refreshedAt: string | null;
    };
    Sector: {
      /** @example Information Technology */
      name: string;
      /** @description Also accepted for this sector (case-insensitive) */
      aliases: string[];
      /**
       * @description Active instruments in the sector
       * @example 68
       */
      instruments: number;
    };
    ProfileThresholds: {
      name: components['schemas']['Profile'];
      /** @description The profile a scan uses when it names none */
      default: boolean;
      /**
       * @description Lowest last close, USD
       * @example 10
       */
      minPrice: number;
      /**
       * @description Highest ATR 14 in percent of the close
       * @example 3.5
       */
      maxAtrPct: number;
      /**
       * @description Lowest 20-day average dollar volume, USD
       * @example 5000000
       */
      minAvgDollarVolume: number;
      /**
       * @description Lowest TechRating when the request names none
       * @example 55
       */
      minTechRating: number;
    };
    SignalThresholds: {
      /**
       * @description TechRating ≥ this: Strong Long
       * @example 75
       */
      strongLong: number;
      /**
       * @description TechRating ≥ this: Long
       * @example 60
       */
      long: number;
      /**
       * @description TechRating ≤ this: Short (between Short and Long: Avoid)
       * @example 40
       */
      short: number;
      /**
       * @description TechRating ≤ this: Strong Short
       * @example 25
       */
      strongShort: number;
    };
    BucketLimit: {
      /** @example scansCreate */
      bucket: string;
      /**
       * @description Requests allowed per window
       * @example 20
       */
      limit: number;
      /**
       * @description Left in the current window (null when the counters cannot be read)
       * @example 18
       */
      remaining: number | null;
      /**
       * @description Seconds until the current window ends (null: no window open, the full limit is left)
       * @example 41
       */
      resetSeconds: number | null;
    };
    Limits: {
      /** @example 60 */
      windowSeconds: number;
      buckets: components['schemas']['BucketLimit'][];
    };
    Meta: {
      data: components['schemas']['DataInfo'];
      sectors: components['schemas']['Sector'][];
      profiles: components['schemas']['ProfileThresholds'][];
      signalThresholds: components['schemas']['SignalThresholds'];
      limits: components['schemas']['Limits'];
    };
    ScanResultCounts: {
      statusText: string;
      /** @description True when nothing passed the filters and the best are shown */
      relaxed: boolean;
      /** @example 505 */
      universeSize: number;
      /** @example 505 */
      symbolsScanned: number;
      /**
       * @description Hits stored for the scan
       * @example 25
       */
      hits: number;
      /** @example 1 */
      dataVersion: number;
      /**
       * Format: date
       * @example 2018-02-07
       */
      asOf: string | null;
    };
    ScanSummary: {
      /** Format: uuid */
      id: string;
      status: components['schemas']['ScanStatus'];
      request: components['schemas']['ScanRequest'];
      /**
       * Format: date-time
       * @example 2026-12-06T09:00:00.000Z
       */
      createdAt: string;
      /** Format: date-time */
      completedAt: string | null;
      /** @description Completed scans only */
      result: components['schemas']['ScanResultCounts'] | null;
      /** @description Failed scans only */
      error?: string;
    };
    ScanSummaryPage: {
      data: components['schemas']['ScanSummary'][];
      /** @description Pass as cursor for older scans */
      nextCursor: string | null;
    };
    /**
     * @description A scope an installation token may carry
     * @enum {string}
     */
    GrantedScope: 'read' | 'scan' | 'predict';
    Installation: {
      /**
       * Format: uuid
       * @example f3b5c2de-9a41-4c7e-8d0b-2a6f1e9c4b71
       */
      installationId: string;
      /**
       * @description The installation’s credential, sent like an API key (X-API-Key or Authorization: Bearer). Shown once: keep it in the Keychain.
       * @example msi_Q7fK2pXa_7mS4cX1QpZ3vRk9tLwYb2NfHd6EoJu8GaCiTy0lMe5
       */
      token: string;
      /**
       * @description What the token may do: the scopes the app key grants
       * @example [
       *       "read",
       *       "scan",
       *       "predict"
       *     ]
       */
      scopes: components['schemas']['GrantedScope'][];
    };
    /**
     * @description Which APNs issued the token: `sandbox` for a debug build run from Xcode, `production` for TestFlight and the App Store (the aps-environment entitlement of the build)
     * @enum {string}
     */
    ApnsEnvironment: 'sandbox' | 'production';
    PushRegistration: {
      /**
       * @description The APNs device token from didRegisterForRemoteNotificationsWithDeviceToken, as hex (16 to 200 hex digits, an even number; 64 today). Case-insensitive.
       * @example 5f3a9c0e7b1d42a8c6e09f7d3b2a1c4e8f6d5b3a2c1e0f9d8b7a6c5e4d3b2a1f
       */
      token: string;
      environment: components['schemas']['ApnsEnvironment'];
    };
    /**
     * @description enter: a symbol entered the top N; exit: one left it; signalChange: one that stayed changed signal
     * @enum {string}
     */
    WatchEvent: 'enter' | 'exit' | 'signalChange';
    /** @description What a watch alerts on: changes within the first topN rows of its ranking */
    WatchNotify: {
      /**
       * @description How many of the ranking’s first rows the watch follows (at most the request’s maxSymbols rows exist)
       * @default 10
       */
      topN?: number;
      /**
       * @description enter: a symbol entered the top N; exit: one left it; signalChange: one that stayed changed signal
       * @default [
       *       "enter",
       *       "exit",
       *       "signalChange"
       *     ]
       */
      on?: components['schemas']['WatchEvent'][];
    };
    /** @description A scan to watch and what to be told about */
    CreateWatch: {
      /** @example Tech longs */
      name: string;
      request: components['schemas']['CreateScan'];
      notify?: components['schemas']['WatchNotify'];
    };
    WatchNotifySettings: {
      topN: number;
      on: components['schemas']['WatchEvent'][];
    };
    /** @description One row of a watch’s top N */
    WatchResultRow: {
      /** @example AAPL */
      symbol: string;
      /** @example 1 */
      rank: number;
      /** @example Strong Long */
      signal: string;
      /** @example 78.4 */
      techRating: number;
    };
    /** @description A watch with its last result */
    WatchDetail: {
      /** Format: uuid */
      id: string;
      name: string;
      request: components['schemas']['ScanRequest'];
      notify: components['schemas']['WatchNotifySettings'];
      /** @description Data version of the last evaluation; null until the first (the baseline) */
      lastDataVersion: number | null;
      /** Format: date-time */
      lastEvaluatedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** @description The top N of the last evaluation, best first; null before the first */
      lastResult: components['schemas']['WatchResultRow'][] | null;
    };
    Watch: {
      /** Format: uuid */
      id: string;
      name: string;
      request: components['schemas']['ScanRequest'];
      notify: components['schemas']['WatchNotifySettings'];
      /** @description Data version of the last evaluation; null until the first (the baseline) */
      lastDataVersion: number | null;
      /** Format: date-time */
      lastEvaluatedAt: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    WatchList: {
      data: components['schemas']['Watch'][];
      /** @description WATCHES_PER_INSTALLATION: how many may exist */
      limit: number;
    };
    /** @description Fields to change; a new request resets the baseline */
    UpdateWatch: {
      name?: string;
      request?: components['schemas']['CreateScan'];
      notify?: components['schemas']['WatchNotify'];
    };
    /**
     * @description entered: the symbol entered the top N (before null); exited: it left (after null); signalChanged: it stayed with another signal
     * @enum {string}
     */
    AlertKind: 'entered' | 'exited' | 'signalChanged';
    /** @description One change a watch saw when a new data version came in */
    Alert: {
      /**
       * @description Increasing id (a string: it is a 64-bit integer); alerts are listed by it
       * @example 1042
       */
      id: string;
      /** Format: uuid */
      watchId: string;
      /** @example Tech longs */
      watchName: string;
      /** @example 7 */
      dataVersion: number;
      kind: components['schemas']['AlertKind'];
      /** @example NVDA */
      symbol: string;
      /** @description Its row before */
      before: components['schemas']['WatchResultRow'] | null;
      /** @description Its row now */
      after: components['schemas']['WatchResultRow'] | null;
      /** Format: date-time */
      createdAt: string;
    };
    AlertPage: {
      /** @description Newest first */
      data: components['schemas']['Alert'][];
      /** @description Pass as cursor for older alerts */
      nextCursor: string | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getLiveness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process runs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready to serve */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ok",
           *       "checks": {
           *         "database": "up",
           *         "redis": "up"
           *       }
           *     }
           */
          'application/json': components['schemas']['Health'];
        };
      };
      /** @description A dependency is down */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "error",
           *       "checks": {
           *         "database": "up",
           *         "redis": "down"
           *       }
           *     }
           */
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  listItems: {
    parameters: {
      query?: {
        /** @description GICS sector, case-insensitive; aliases such as "technology" accepted */
        sector?: string;
        /** @description Case-insensitive substring of the symbol or the name */
        q?: string;
        /** @description true (default): active items; false: deactivated ones */
        active?: boolean;
        limit?: number;
        /** @description Opaque cursor from the previous page's nextCursor */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ItemPage'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createItem: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateItem'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Item'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Conflicts with an existing resource */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:conflict",
           *       "title": "Conflict",
           *       "status": 409,
           *       "detail": "An item with symbol AAPL already exists"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        symbol: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Item'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No item with symbol ZZZZ"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deactivateItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        symbol: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deactivated */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No item with symbol ZZZZ"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        symbol: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateItem'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Item'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No item with symbol ZZZZ"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getAnalysis: {
    parameters: {
      query?: {
        /** @description Use bars on or before this date (a weekend or holiday means the trading day before); default the latest. Outside the data: 422 */
        asOf?: string;
        profile?: 'conservative' | 'balanced' | 'aggressive';
        /** @description The side a scan would look for; failedFilters says whether it would list the symbol */
        direction?: 'long' | 'short' | 'both';
        accountSize?: number;
        /** @description Percent of the account risked per trade */
        riskPct?: number;
        targetRR?: number;
      };
      header?: never;
      path: {
        symbol: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Analysis'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No item with symbol ZZZZ"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Well-formed but cannot be processed (a date outside the data, too little history) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unprocessable",
           *       "title": "Unprocessable Content",
           *       "status": 422,
           *       "detail": "asOf 1990-01-02 is outside the data (2013-02-08..2018-02-07)"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listScans: {
    parameters: {
      query?: {
        /** @description Only scans in this state */
        status?: components['schemas']['ScanStatus'];
        limit?: number;
        /** @description Opaque cursor from the previous page's nextCursor */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanSummaryPage'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createScan: {
    parameters: {
      query?: {
        /** @description Hold the response until the scan completes or this many seconds pass */
        wait?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateScan'];
      };
    };
    responses: {
      /** @description Completed (cached, stored, or finished within ?wait) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Scan'];
        };
      };
      /** @description Queued or running; poll Location or subscribe over the WebSocket */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Scan'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Well-formed but cannot be processed (a date outside the data, too little history) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unprocessable",
           *       "title": "Unprocessable Content",
           *       "status": 422,
           *       "detail": "asOf 1990-01-02 is outside the data (2013-02-08..2018-02-07)"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "At most 3 scans of one credential may be queued or running; retry when one finishes"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "The scan queue holds 2000 scans waiting for a worker; new scans are refused until it drains (cached and identical scans are still answered)"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getScan: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Scan'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No scan 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this API key"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  predict: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PredictText'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Prediction'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  predictBatch: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PredictBatch'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PredictionBatch'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getModelInfo: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelInfo'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getBars: {
    parameters: {
      query?: {
        /** @description First day included, YYYY-MM-DD */
        from?: string;
        /** @description Last day included, YYYY-MM-DD */
        to?: string;
        interval?: components['schemas']['BarInterval'];
        /** @description At most this many points, the newest of the range */
        limit?: number;
      };
      header?: {
        /** @description ETag of a copy held */
        'If-None-Match'?: string;
      };
      path: {
        symbol: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Bars'];
        };
      };
      /** @description The copy named by If-None-Match is current */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No item with symbol ZZZZ"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMeta: {
    parameters: {
      query?: never;
      header?: {
        /** @description ETag of a copy held */
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Meta'];
        };
      };
      /** @description The copy named by If-None-Match is current */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  registerInstallation: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Installation'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  registerPushToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PushRegistration'];
      };
    };
    responses: {
      /** @description Registered (or replaced the previous token) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  unregisterPushToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Forgotten (or there was none) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWatches: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WatchList'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createWatch: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWatch'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WatchDetail'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Conflicts with an existing resource */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:conflict",
           *       "title": "Conflict",
           *       "status": 409,
           *       "detail": "An installation may keep at most 20 watches; delete one first"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WatchDetail'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No watch 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this installation"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteWatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No watch 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this installation"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateWatch: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateWatch'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WatchDetail'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "Watches belong to an installation of the app: an API key (not an installation token) is refused, as is a token without scope scan"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description No such resource */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:not-found",
           *       "title": "Not Found",
           *       "status": 404,
           *       "detail": "No watch 0b7e4c1a-5d2f-4f7e-9a51-3c2d1e0f9a88 for this installation"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Body larger than the limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:payload-too-large",
           *       "title": "Payload Too Large",
           *       "status": 413,
           *       "detail": "Request body is too large"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A path segment longer than the router accepts (a symbol or id far too long) */
      414: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:uri-too-long",
           *       "title": "URI Too Long",
           *       "status": 414,
           *       "detail": "A path segment is too long"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A body that is not application/json */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unsupported-media-type",
           *       "title": "Unsupported Media Type",
           *       "status": 415,
           *       "detail": "Unsupported Content-Type: send the body as application/json"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listAlerts: {
    parameters: {
      query?: {
        /** @description Only alerts recorded at or after this instant (ISO 8601 with a time zone) */
        since?: string;
        limit?: number;
        /** @description Opaque cursor from the previous page's nextCursor */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AlertPage'];
        };
      };
      /** @description Invalid input (every invalid field listed in `errors`), malformed JSON or a malformed URL */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:validation",
           *       "title": "Bad Request",
           *       "status": 400,
           *       "detail": "Invalid request: limit: limit must not be greater than 200",
           *       "errors": [
           *         {
           *           "field": "limit",
           *           "message": "limit must not be greater than 200"
           *         }
           *       ]
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Missing, invalid or revoked API key or installation token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unauthorized",
           *       "title": "Unauthorized",
           *       "status": 401,
           *       "detail": "Missing API key: send it in the X-API-Key header"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The credential lacks the scope this route needs */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:forbidden",
           *       "title": "Forbidden",
           *       "status": 403,
           *       "detail": "This API key lacks the \"read\" scope"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Rate limit or in-flight cap reached; retry after Retry-After seconds */
      429: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:rate-limited",
           *       "title": "Too Many Requests",
           *       "status": 429,
           *       "detail": "Rate limit exceeded; retry after the number of seconds in Retry-After"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A backing service is unavailable or the scan queue is full; retry after Retry-After */
      503: {
        headers: {
          /** @description Seconds to wait before retrying */
          'Retry-After'?: number;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "urn:market-scanner:problem:unavailable",
           *       "title": "Service Unavailable",
           *       "status": 503,
           *       "detail": "A backing service is temporarily unavailable; retry shortly"
           *     }
           */
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
