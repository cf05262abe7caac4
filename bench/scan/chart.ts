/**
 * docs/img/scan-bench.svg: symbols per second of the engine, the floor and each peer, for both
 * data sets, as horizontal bars on a log scale (the values span four orders of magnitude).
 * Hand-written SVG: no chart library, renders on GitHub and in any browser.
 */
import type { MicroResult } from './micro.js';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(2)} M`
    : n >= 1e3
      ? `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)} k`
      : n.toFixed(0);
const tick = (n: number) => (n >= 1e6 ? `${n / 1e6} M` : n >= 1e3 ? `${n / 1e3} k` : String(n));
const COLORS: Record<string, string> = { engine: '#2f6fdf', floor: '#7a9cc6' };
const PEER_COLOR = '#c0504d';

export function renderChart(sets: MicroResult[], date: string): string {
  const width = 820;
  const left = 170;
  const right = 90;
  const barH = 18;
  const gap = 6;
  const groupGap = 34;
  const top = 58;
  const plotW = width - left - right;
  const values = sets.flatMap((s) => s.contenders.map((c) => c.timing.symbolsPerSecond));
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const x = (v: number) =>
    left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotW;
  const rows = sets.reduce((n, s) => n + s.contenders.length, 0);
  const height = top + rows * (barH + gap) + sets.length * groupGap + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="15" font-weight="bold">Scan throughput, symbols per second (log scale, higher is better)</text>`,
    `<text x="8" y="40" fill="#555">npm run bench:scan, ${escape(date)}: same bars, in one process. * timed on a sample of symbols, scaled.</text>`,
  ];
  const axisBottom = height - 34;
  for (let p = Math.log10(lo); p <= Math.log10(hi); p++) {
    const gx = x(10 ** p);
    out.push(
      `<line x1="${gx.toFixed(1)}" y1="${top - 6}" x2="${gx.toFixed(1)}" y2="${axisBottom}" stroke="#e3e3e3"/>`,
    );
    out.push(
      `<text x="${gx.toFixed(1)}" y="${axisBottom + 16}" text-anchor="middle" fill="#555">${tick(10 ** p)}</text>`,
    );
  }
  let y = top;
  for (const set of sets) {
    const perSymbol = Math.round(set.bars / set.symbols).toLocaleString('en-US');
    out.push(
      `<text x="8" y="${y + 10}" font-weight="bold">${escape(set.label)} symbols, ${perSymbol} bars each${set.bars % set.symbols ? ' on average' : ''}</text>`,
    );
    y += groupGap - 14;
    for (const c of set.contenders) {
      const v = c.timing.symbolsPerSecond;
      const color = COLORS[c.name] ?? PEER_COLOR;
      const label = `${c.name}${c.timing.sample !== null ? ' *' : ''}`;
      out.push(
        `<text x="${left - 8}" y="${y + barH - 5}" text-anchor="end">${escape(label)}</text>`,
      );
      out.push(
        `<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="${barH}" fill="${color}"/>`,
      );
      out.push(
        `<text x="${(x(v) + 6).toFixed(1)}" y="${y + barH - 5}" fill="#222">${fmt(v)}/s</text>`,
      );
      y += barH + gap;
    }
    y += 14;
  }
  out.push(`<line x1="${left}" y1="${top - 6}" x2="${left}" y2="${axisBottom}" stroke="#888"/>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
