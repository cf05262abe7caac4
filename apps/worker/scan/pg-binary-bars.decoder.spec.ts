import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PgBinaryBarsDecoder } from './pg-binary-bars.decoder.js';

type Row = [string, number, number, number, number, number, number];

/** Encodes rows the way PostgreSQL's binary COPY does (days since 2000-01-01, float8, int8). */
function encode(rows: Row[]): Buffer {
  const parts: Buffer[] = [
    Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]),
  ];
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const [symbol, days, o, h, l, c, v] of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(7);
    parts.push(count);
    field(Buffer.from(symbol, 'utf8'));
    const date = Buffer.alloc(4);
    date.writeInt32BE(days);
    field(date);
    for (const price of [o, h, l, c]) {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(price);
      field(b);
    }
    const volume = Buffer.alloc(8);
    volume.writeBigInt64BE(BigInt(v));
    field(volume);
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

const ROWS: Row[] = [
  ['AAPL', 4787, 67.7142, 68.4014, 66.8928, 67.8542, 158_168_416],
  ['AAPL', 4790, 68.0714, 69.2771, 67.6071, 68.5614, 129_029_425],
  ['BRK.B', 6612, 199.9, 201.2, 197.1, 200.37, 6_000_000_000_123],
];

describe('PgBinaryBarsDecoder', () => {
  it('decodes symbols, dates as YYYYMMDD, prices and 64-bit volumes', () => {
    const rows: unknown[][] = [];
    const decoder = new PgBinaryBarsDecoder((...row) => rows.push(row));
    decoder.write(encode(ROWS));
    assert.equal(decoder.finished, true);
    assert.deepEqual(rows, [
      ['AAPL', 20130208, 67.7142, 68.4014, 66.8928, 67.8542, 158_168_416],
      ['AAPL', 20130211, 68.0714, 69.2771, 67.6071, 68.5614, 129_029_425],
      ['BRK.B', 20180207, 199.9, 201.2, 197.1, 200.37, 6_000_000_000_123],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', () => {
    const bytes = encode(ROWS);
    const whole: unknown[][] = [];
    new PgBinaryBarsDecoder((...row) => whole.push(row)).write(bytes);
    for (const size of [1, 3, 7, 19, 20, 64]) {
      const rows: unknown[][] = [];
      const decoder = new PgBinaryBarsDecoder((...row) => rows.push(row));
      for (let i = 0; i < bytes.length; i += size) decoder.write(bytes.subarray(i, i + size));
      assert.deepEqual(rows, whole, `chunks of ${size} bytes`);
      assert.equal(decoder.finished, true);
    }
  });

  it('rejects a stream that is not binary COPY', () => {
    const decoder = new PgBinaryBarsDecoder(() => {});
    assert.throws(
      () => decoder.write(Buffer.from('AAPL\t2013-02-08\t67.7\n'.repeat(2))),
      /not a PostgreSQL binary COPY/,
    );
  });
});
