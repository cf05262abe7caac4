/**
 * The profiles of the predict bench's section: per phase, where the api's main thread spent its
 * CPU, by part of the code, split into the predict path (what this bench's budgets own) and the
 * shared request stack around it.
 */
import { NODE_CORE, OWN_PARTS, type PhaseProfile, type ProfileShare } from './profile.js';
import { f0, f1 } from './report-figures.js';

const SHOWN = 14;

export const whose = (part: string): string =>
  OWN_PARTS.includes(part)
    ? 'predict path'
    : part.startsWith(NODE_CORE) || part.startsWith('V8 ')
      ? 'runtime'
      : 'shared stack';

/** µs per unit of the predict path, of the shared stack and of the runtime (Node core, V8, GC). */
export function split(p: PhaseProfile): { own: number; shared: number; runtime: number } {
  const sum = (w: string) =>
    p.parts.filter((x) => whose(x.part) === w).reduce((a, x) => a + x.us, 0);
  return { own: sum('predict path'), shared: sum('shared stack'), runtime: sum('runtime') };
}

/** The largest parts of one phase's profile, with what they add up to. */
export function profileTable(p: PhaseProfile, unit: 'request' | 'text'): string[] {
  const fmt = unit === 'text' ? f1 : f0;
  const row = (x: ProfileShare) =>
    `| ${x.part} | ${whose(x.part)} | ${f1(x.share * 100)} % | ${fmt(x.us)} |`;
  const rest = p.parts.slice(SHOWN);
  const { own, shared, runtime } = split(p);
  return [
    `${f0(p.samples)} samples over ${f1(p.seconds)} s (${f0(p.units)} ${unit}s answered); the api used ${fmt(p.cpuUsPerUnit)} µs ` +
      `of CPU per ${unit} on all its threads, ${fmt(p.mainUsPerUnit)} µs on the main thread, which the µs below divide. ` +
      `Predict path ${fmt(own)} µs, shared stack ${fmt(shared)} µs, runtime (Node core, V8, GC) ${fmt(runtime)} µs.`,
    '',
    `| part (main thread, self time charged to the nearest caller of ours) | whose | share | µs per ${unit} |`,
    '|---|---|---:|---:|',
    ...p.parts.slice(0, SHOWN).map(row),
    ...(rest.length > 0
      ? [
          `| ${rest.length} more parts | | ${f1(rest.reduce((a, x) => a + x.share, 0) * 100)} % | ${fmt(rest.reduce((a, x) => a + x.us, 0))} |`,
        ]
      : []),
  ];
}
