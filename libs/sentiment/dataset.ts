import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { parseLabel, type LabelledText } from './labels.js';

/** A labelled CSV file as read, with the hash that identifies exactly these bytes. */
export interface LabelledDataset {
  path: string;
  rows: LabelledText[];
  sha256: string;
}

/**
 * Parses a `text,label` CSV (RFC 4180: quoted fields may hold commas, quotes and newlines). The
 * header must name both columns, in any order; other columns are ignored. Rows with an empty text
 * or an unknown label are errors naming the record, never silently dropped, so that reported
 * sample counts are the file's.
 */
export function parseLabelledCsv(content: string | Buffer): LabelledText[] {
  const records = parse(content, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
  }) as Record<string, string | undefined>[];
  if (records.length > 0 && (!('text' in records[0]) || !('label' in records[0]))) {
    throw new Error('the CSV header must have the columns text and label');
  }
  return records.map((record, i) => {
    const text = record.text ?? '';
    const label = parseLabel(record.label ?? '');
    if (text.trim().length === 0) throw new Error(`record ${i + 1}: empty text`);
    if (label === undefined)
      throw new Error(`record ${i + 1}: unknown label ${JSON.stringify(record.label)}`);
    return { text, label };
  });
}

export async function readLabelledCsv(path: string): Promise<LabelledDataset> {
  // Imported on use: the api imports this library for inference, which must not load fs.
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  return {
    path,
    rows: parseLabelledCsv(bytes),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
