import {
  Field,
  Float64,
  Int32,
  List,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  Utf8,
  DataType,
  Precision,
  type Data,
} from 'apache-arrow';
import type { BarStore } from '#scan-engine';

/**
 * The bar cache as an Apache Arrow IPC file: one row per symbol, its bars as list columns
 * (`date: list<int32>` as YYYYMMDD, `open … volume: list<float64>`), all sharing the store's row
 * offsets, so each column's values are one contiguous buffer that a reader views without copying.
 * The schema's metadata says what the file holds. Integrity is the file's SHA-256, checked before
 * Arrow parses anything (bar-snapshot.files.ts): its reader can loop forever on a damaged header.
 */
export const SNAPSHOT_LAYOUT = 'market-scanner.bars/1';

const PRICE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** What a snapshot claims to hold; a reader refuses any other. */
export interface SnapshotIdentity {
  dataVersion: number;
  /** The data_versions row's fingerprint: two databases (or a reset one) never share a version. */
  fingerprint: string;
}

/** The snapshot is not the expected one or not intact: the caller loads from PostgreSQL instead. */
export class SnapshotRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SnapshotRejected';
  }
}

const meta = {
  layout: 'market-scanner.layout',
  dataVersion: 'market-scanner.data_version',
  fingerprint: 'market-scanner.data_version_fingerprint',
} as const;

/** The Arrow table of `store`, its metadata saying which data version it holds. */
export function toArrowTable(store: BarStore, identity: SnapshotIdentity): Table {
  const n = store.symbols.length;
  const rows = store.dates.length;
  const symbols = utf8Column(store.symbols);
  const list = (type: Int32 | Float64, values: Int32Array | Float64Array): Data =>
    makeData({
      type: new List(new Field('item', type, false)),
      length: n,
      nullCount: 0,
      valueOffsets: store.offsets,
      child: makeData({ type, length: rows, nullCount: 0, data: values } as never),
    } as never);
  const columns = [
    list(new Int32(), store.dates),
    ...PRICE_COLUMNS.map((c) => list(new Float64(), store[c])),
  ];
  const schema = new Schema(
    [
      new Field('symbol', new Utf8(), false),
      new Field('date', new List(new Field('item', new Int32(), false)), false),
      ...PRICE_COLUMNS.map(
        (c) => new Field(c, new List(new Field('item', new Float64(), false)), false),
      ),
    ],
    new Map([
      [meta.layout, SNAPSHOT_LAYOUT],
      [meta.dataVersion, String(identity.dataVersion)],
      [meta.fingerprint, identity.fingerprint],
    ]),
  );
  const symbolData = makeData({
    type: new Utf8(),
    length: n,
    nullCount: 0,
    valueOffsets: symbols.offsets,
    data: symbols.bytes,
  });
  const struct = makeData({
    type: new Struct(schema.fields),
    length: n,
    nullCount: 0,
    children: [symbolData, ...columns],
  });
  return new Table([new RecordBatch(schema, struct)]);
}

/**
 * The store held by an Arrow IPC file's bytes (already checked intact by their SHA-256), after
 * checking that it is the expected snapshot (layout, data version, fingerprint) and its shape. The typed arrays are views
 * over `bytes` (SharedArrayBuffer-backed when `bytes` is), not copies.
 * @throws SnapshotRejected when any check fails, including bytes Arrow cannot parse.
 */
export function fromArrowBytes(bytes: Uint8Array, expected: SnapshotIdentity): BarStore {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (error) {
    throw new SnapshotRejected(`not a readable Arrow IPC file (${(error as Error).message})`);
  }
  const m = table.schema.metadata;
  if (m.get(meta.layout) !== SNAPSHOT_LAYOUT)
    throw new SnapshotRejected(`layout ${m.get(meta.layout)}, expected ${SNAPSHOT_LAYOUT}`);
  if (m.get(meta.dataVersion) !== String(expected.dataVersion))
    throw new SnapshotRejected(
      `data version ${m.get(meta.dataVersion)}, expected ${expected.dataVersion}`,
    );
  if (m.get(meta.fingerprint) !== expected.fingerprint)
    throw new SnapshotRejected('data version fingerprint differs (another or a reset database)');
  if (table.batches.length !== 1) throw new SnapshotRejected('expected one record batch');
  const n = table.numRows;
  const symbolData = onlyChunk(table, 'symbol', DataType.isUtf8) as Data<Utf8>;
  const symbolOffsets = symbolData.valueOffsets.subarray(0, n + 1);
  const symbolBytes = symbolData.values.subarray(0, symbolOffsets[n] ?? 0);
  const dateData = onlyChunk(table, 'date', DataType.isList) as Data<List>;
  const offsets = dateData.valueOffsets.subarray(0, n + 1);
  const rows = offsets[n] ?? 0;
  // Arrow's reader rebuilds types generically (Int_ of 32 bits, not Int32): checked by their traits.
  const child = (name: string, type: 'int32' | 'float64') => {
    const data = name === 'date' ? dateData : onlyChunk(table, name, DataType.isList);
    const values = data.children[0];
    const t = values?.type as { bitWidth?: number; isSigned?: boolean; precision?: Precision };
    const typed =
      type === 'int32'
        ? DataType.isInt(t) && t.bitWidth === 32 && t.isSigned === true
        : DataType.isFloat(t) && t.precision === Precision.DOUBLE;
    if (!values || !typed || values.values.length < rows)
      throw new SnapshotRejected(`column ${name} is not a list of ${type} with ${rows} values`);
    return values.values.subarray(0, rows);
  };
  const store: BarStore = {
    symbols: decodeUtf8(symbolBytes, symbolOffsets),
    offsets,
    dates: child('date', 'int32') as Int32Array,
    open: child('open', 'float64') as Float64Array,
    high: child('high', 'float64') as Float64Array,
    low: child('low', 'float64') as Float64Array,
    close: child('close', 'float64') as Float64Array,
    volume: child('volume', 'float64') as Float64Array,
  };
  return store;
}

/** The only chunk of column `name`, checked by `is` and to have no nulls. */
function onlyChunk(table: Table, name: string, is: (type: unknown) => boolean): Data {
  const data = table.getChild(name)?.data[0];
  if (!data || !is(data.type) || data.nullCount !== 0)
    throw new SnapshotRejected(`column ${name} missing, of another type, or with nulls`);
  return data;
}

/** Symbols as Arrow's Utf8 layout: n+1 byte offsets into one UTF-8 buffer. */
function utf8Column(values: string[]): { offsets: Int32Array; bytes: Uint8Array } {
  const encoder = new TextEncoder();
  const encoded = values.map((v) => encoder.encode(v));
  const offsets = new Int32Array(values.length + 1);
  encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
  const bytes = new Uint8Array(offsets[values.length]!);
  encoded.forEach((e, i) => bytes.set(e, offsets[i]!));
  return { offsets, bytes };
}

/** The n strings of a Utf8 column (`offsets` n+1 long). */
function decodeUtf8(bytes: Uint8Array, offsets: Int32Array): string[] {
  // TextDecoder refuses views over a SharedArrayBuffer: one copy of the symbols' few bytes.
  const own = bytes.slice();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: string[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (start > end || end > own.length) throw new SnapshotRejected('symbol offsets out of range');
    out.push(decoder.decode(own.subarray(start, end)));
  }
  return out;
}
