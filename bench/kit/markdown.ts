/**
 * The benches' reports: each bench owns a section of a Markdown document between its own markers
 * and rewrites only that section, leaving other benches' sections and the prose around them alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the section between `start` and `end` markers of the document, or appends it; creates the
 * file if needed. Reads the file right before writing: other benches may have written meanwhile.
 */
export function writeMarkedSection(
  path: string,
  section: string,
  start: string,
  end: string,
): void {
  const current = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Benchmarks\n\nPeers and floors measured side by side in one run; ratios, never timing assertions in tests. Each section is written by its bench.\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from
      ? current.slice(0, from) + section + current.slice(to + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

/** The report's date: ISO 8601 to the second. */
export const reportDate = (at = new Date()): string => at.toISOString().replace(/\.\d+Z$/, 'Z');
