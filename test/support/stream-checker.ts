import { createHash } from 'node:crypto';
import type { ServerFrame } from './api-types.js';

/** DESIGN §4's stage order: a stage never follows a later one within a scan. */
const STAGE_ORDER = ['loading', 'fetching', 'scanning', 'finalizing'];

interface Mark {
  stage: number;
  percent: number;
}

/** What a client could hold against the stream of one socket, counted rather than thrown. */
export interface StreamCounts {
  /** A progress frame behind the last progress (or `accepted`) of its scan, or after its end. */
  backwards: number;
  /** A frame identical, byte for byte, to one the socket received before. */
  duplicates: number;
  /** A `completed` whose `cached` differs from the `accepted` with the same `id` (or scan). */
  cachedDisagreements: number;
  /** One line per finding, for the failure message. */
  findings: string[];
}

export const emptyCounts = (): StreamCounts => ({
  backwards: 0,
  duplicates: 0,
  cachedDisagreements: 0,
  findings: [],
});

/**
 * Reads the frames one socket received, in order, as a client would: per scan the progress must
 * move forward (stage and percent), no frame may come twice, and the `completed` answering a `scan`
 * frame must say `cached` as its `accepted` did. Adds what it finds to `counts`.
 */
export function checkStream(name: string, frames: ServerFrame[], counts: StreamCounts): void {
  const marks = new Map<string, Mark>();
  const ended = new Set<string>();
  const seen = new Set<string>();
  const cachedById = new Map<string, boolean>();
  const find = (what: keyof Omit<StreamCounts, 'findings'>, line: string) => {
    counts[what]++;
    if (counts.findings.length < 20) counts.findings.push(`${name}: ${line}`);
  };

  frames.forEach((frame, index) => {
    const digest = createHash('sha1').update(JSON.stringify(frame)).digest('hex');
    if (seen.has(digest)) find('duplicates', `frame ${index} again: ${describe(frame)}`);
    seen.add(digest);

    if (frame.type === 'accepted') {
      cachedById.set(frame.id ?? frame.scan.id, frame.scan.cached);
      const { stage, percent } = frame.scan.progress;
      marks.set(frame.scan.id, { stage: STAGE_ORDER.indexOf(stage), percent });
    } else if (frame.type === 'progress') {
      const last = marks.get(frame.scanId);
      const next = { stage: STAGE_ORDER.indexOf(frame.stage), percent: frame.percent };
      if (ended.has(frame.scanId))
        find('backwards', `frame ${index} after the end: ${describe(frame)}`);
      else if (last && (next.stage < last.stage || next.percent < last.percent))
        find(
          'backwards',
          `frame ${index} ${describe(frame)} after ${STAGE_ORDER[last.stage]} ${last.percent}`,
        );
      marks.set(frame.scanId, next);
    } else if (frame.type === 'completed') {
      ended.add(frame.scan.id);
      // Paired by the echoed id; by the scan when the server echoes none.
      const accepted = cachedById.get(frame.id ?? frame.scan.id);
      if (accepted !== undefined && accepted !== frame.scan.cached)
        find(
          'cachedDisagreements',
          `${frame.id}: accepted cached ${accepted}, completed cached ${frame.scan.cached}`,
        );
    } else if (frame.type === 'failed') ended.add(frame.scanId);
  });
}

function describe(frame: ServerFrame): string {
  if (frame.type === 'progress') return `progress ${frame.scanId} ${frame.stage} ${frame.percent}`;
  if (frame.type === 'accepted' || frame.type === 'completed')
    return `${frame.type} ${frame.scan.id} id=${frame.id}`;
  if (frame.type === 'failed') return `failed ${frame.scanId} id=${frame.id}`;
  return `error id=${frame.id} ${frame.message}`;
}
