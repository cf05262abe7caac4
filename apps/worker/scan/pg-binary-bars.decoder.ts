/**
 * Decodes `COPY (SELECT symbol, date, open, high, low, close, volume ...) TO STDOUT (FORMAT binary)`
 * row by row without building strings or objects per row: numbers are read straight from the
 * bytes and the symbol string is made only when it changes. Loading 12.6 M bars this way is several
 * times faster and far lighter on the heap than parsing text lines.
 * Format: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4
 */
export type BarRowSink = (
  symbol: string,
  yyyymmdd: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
) => void;

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELDS = 7;
/** PostgreSQL dates count days from 2000-01-01. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

export class PgBinaryBarsDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private trailerRead = false;
  private symbol = '';
  private symbolBytes: Buffer = Buffer.alloc(0);
  private readonly dates = new Map<number, number>();
  private readonly offsets = new Int32Array(FIELDS);
  private readonly lengths = new Int32Array(FIELDS);
  rows = 0;

  constructor(private readonly sink: BarRowSink) {}

  get finished(): boolean {
    return this.trailerRead;
  }

  write(chunk: Buffer): void {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = this.headerRead ? 0 : this.readHeader(buf);
    if (pos < 0) {
      this.pending = Buffer.from(buf);
      return;
    }
    while (!this.trailerRead && buf.length - pos >= 2) {
      const count = buf.readInt16BE(pos);
      if (count === -1) {
        this.trailerRead = true;
        pos += 2;
        break;
      }
      if (count !== FIELDS) throw new Error(`expected ${FIELDS} columns per row, got ${count}`);
      const end = this.locateFields(buf, pos + 2);
      if (end < 0) break;
      this.emit(buf);
      pos = end;
    }
    // Copy the unread tail: a view would keep the whole chunk alive.
    this.pending = Buffer.from(buf.subarray(pos));
  }

  private readHeader(buf: Buffer): number {
    if (buf.length < 19) return -1;
    if (!buf.subarray(0, 11).equals(SIGNATURE))
      throw new Error('not a PostgreSQL binary COPY stream');
    const extension = buf.readInt32BE(15);
    if (buf.length < 19 + extension) return -1;
    this.headerRead = true;
    return 19 + extension;
  }

  /** Records where each field of the row starting at `pos` lies; -1 when the row is incomplete. */
  private locateFields(buf: Buffer, pos: number): number {
    for (let f = 0; f < FIELDS; f++) {
      if (buf.length - pos < 4) return -1;
      const length = buf.readInt32BE(pos);
      if (length < 0) throw new Error('unexpected NULL in price_bars');
      pos += 4;
      if (buf.length - pos < length) return -1;
      this.offsets[f] = pos;
      this.lengths[f] = length;
      pos += length;
    }
    return pos;
  }

  private emit(buf: Buffer): void {
    const o = this.offsets;
    const volumeHigh = buf.readInt32BE(o[6]!);
    const volume = volumeHigh * 4_294_967_296 + buf.readUInt32BE(o[6]! + 4);
    this.sink(
      this.symbolAt(buf, o[0]!, this.lengths[0]!),
      this.dateAt(buf.readInt32BE(o[1]!)),
      buf.readDoubleBE(o[2]!),
      buf.readDoubleBE(o[3]!),
      buf.readDoubleBE(o[4]!),
      buf.readDoubleBE(o[5]!),
      volume,
    );
    this.rows++;
  }

  private symbolAt(buf: Buffer, offset: number, length: number): string {
    const last = this.symbolBytes;
    let same = last.length === length;
    for (let i = 0; same && i < length; i++) same = buf[offset + i] === last[i];
    if (!same) {
      this.symbolBytes = Buffer.from(buf.subarray(offset, offset + length));
      this.symbol = this.symbolBytes.toString('utf8');
    }
    return this.symbol;
  }

  private dateAt(days: number): number {
    let yyyymmdd = this.dates.get(days);
    if (yyyymmdd === undefined) {
      const d = new Date(PG_EPOCH_MS + days * DAY_MS);
      yyyymmdd = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
      this.dates.set(days, yyyymmdd);
    }
    return yyyymmdd;
  }
}
