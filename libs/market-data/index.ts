export { importEmbeddedData, type ImportReport, type ImportProgress, type ImportOptions } from './embedded-importer.js';
export { cleanSymbolBars, type RawBar, type CleanBar, type BarIssue } from './bar-cleaner.js';
export { readUniverse, readEmbeddedBars, embeddedChecksum, EMBEDDED_FILES, type UniverseEntry } from './embedded-dataset.js';
export { GICS_SECTORS, SYNTHETIC_SECTOR, resolveSector } from './sectors.js';
