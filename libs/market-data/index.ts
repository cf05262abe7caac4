export {
  importEmbeddedData,
  type ImportReport,
  type ImportProgress,
  type ImportOptions,
} from './embedded-importer.js';
export { cleanSymbolBars, type RawBar, type CleanBar, type BarIssue } from './bar-cleaner.js';
export {
  readUniverse,
  readEmbeddedBars,
  embeddedChecksum,
  EMBEDDED_FILES,
  type UniverseEntry,
} from './embedded-dataset.js';
export { GICS_SECTORS, SYNTHETIC_SECTOR, resolveSector, sectorAliases } from './sectors.js';
export {
  PolygonClient,
  PolygonHttpError,
  PolygonMalformedResponseError,
  PolygonUnavailableError,
  isPermanentPolygonError,
  parseGroupedDaily,
  type GroupedDailySource,
  type PolygonClientOptions,
  type PolygonDailyBar,
  type PolygonRetryOptions,
} from './polygon/polygon.client.js';
export {
  refreshBars,
  DEFAULT_MAX_DAYS,
  type RefreshOptions,
  type RefreshReport,
} from './polygon/bars-refresher.js';
export {
  generateSeries,
  syntheticSymbol,
  tradingDays,
  SYNTHETIC_END_DATE,
  type SyntheticSeries,
} from './synthetic/synthetic-universe.js';
export {
  writeSyntheticUniverse,
  MixedDataError,
  type SynthOptions,
  type SynthReport,
} from './synthetic/synthetic.writer.js';
