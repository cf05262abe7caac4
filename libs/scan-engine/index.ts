// Public API of the scan engine: pure, deterministic TypeScript over columnar bars (no I/O, no
// clock, no Nest). See docs/scan.md for the indicators, the rating and the reference they match.
export {
  BarStoreBuilder,
  isShared,
  shareInPlace,
  shareInSteps,
  toShared,
  type BarStore,
  type BarStoreBuilderOptions,
} from './bar-store.js';
export { formatDate, parseDate, resolveAsOf, type AsOfResolution } from './dates.js';
export { analyzeSymbol, MIN_HISTORY } from './analyze.js';
export { ScanRun } from './scan-run.js';
export {
  mergeTop,
  rankedHits,
  scanOutcome,
  type ScanShard,
  type ShardEntry,
} from './scan-merge.js';
export { planFor, sideOf, tradePlan } from './plan.js';
export { agreesWith, directionScore, failedFilters, filterMask } from './filters.js';
export {
  DIRECTIONS,
  FILTER_NAMES,
  isDirection,
  isProfile,
  RISK_PCT_RANGE,
  PROFILE_NAMES,
  PROFILES,
  SCAN_DEFAULTS,
  type Analysis,
  type Direction,
  type FilterName,
  type PlanSide,
  type Indicators,
  type Profile,
  type ProfileThresholds,
  type RankedHit,
  type ScanOutcome,
  type ScanParams,
  type Signal,
  type Subscores,
  type TradePlan,
} from './scan.types.js';
export { signalFor } from './scoring.js';
