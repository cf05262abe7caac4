/**
 * docs/img/load-bench.svg: the mixed phase and the step load. Top: offered and achieved req/s per
 * step (bars) with the interactive p99 (line, right axis, log scale, the step limit dashed).
 * Bottom: CPU per process per step, stacked, against the machine's ceiling. Hand-written SVG like
 * docs/img/scan-bench.svg: no chart library, renders on GitHub and in any browser.
 */
import { GROUPS, type Group } from './procs.js';
import type { LoadReport } from './report.js';
import type { Step } from './steps.js';

const COLORS: Record<Group | 'other', string> = {
  nginx: '#4e9a06',
  'api-1': '#2f6fdf',
  'api-2': '#7a9cc6',
  'worker-1': '#c0504d',
  'worker-2': '#e39a98',
  postgres: '#8064a2',
  redis: '#f0a030',
  loadgen: '#555555',
  other: '#d0d0d0',
};
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');

/** A "nice" axis maximum (1, 2 or 5 × a power of ten) at or above `v`. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

export function renderChart(r: LoadReport): string {
  // The mixed phase first (× 1), then the steps by scale.
  const cols: { label: string; step: Step }[] = [
    { label: 'mixed', step: r.mixed },
    ...r.steps.map((step) => ({ label: `×${step.scale.toFixed(2)}`, step })),
  ];
  const width = 820;
  const left = 64;
  const right = 70;
  const plotW = width - left - right;
  const slot = plotW / cols.length;
  const cx = (i: number) => left + slot * (i + 0.5);
  const out: string[] = [];
  const cores = r.machine.cores;
  const limit = r.settings.steps.p99LimitMs;

  // Top panel: rates (left axis) and p99 (right axis, log scale: it spans ms to seconds).
  const t0 = 78;
  const tH = 200;
  const rateMax = niceMax(
    Math.max(...cols.map((c) => Math.max(c.step.total.offered, c.step.total.achieved))),
  );
  const p99s = cols.map((c) => c.step.interactive.latency.p99);
  const decades = Math.max(
    3,
    Math.ceil(Math.log10(Math.max(limit * 2, ...p99s.filter(Number.isFinite)))),
  );
  const yRate = (v: number) => t0 + tH - (v / rateMax) * tH;
  const yP99 = (v: number) => t0 + tH - (Math.log10(Math.max(1, v)) / decades) * tH;
  for (let k = 0; k <= 4; k++) {
    const y = t0 + tH - (k / 4) * tH;
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#555">${f0((rateMax * k) / 4)}</text>`,
    );
  }
  for (let d = 0; d <= decades; d++)
    out.push(
      `<text x="${left + plotW + 6}" y="${yP99(10 ** d) + 4}" fill="#b00">${f0(10 ** d)}</text>`,
    );
  const bw = Math.min(26, slot / 3);
  cols.forEach(({ step: s }, i) => {
    const x = cx(i);
    const bar = (x0: number, v: number, fill: string) =>
      `<rect x="${x0.toFixed(1)}" y="${yRate(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(t0 + tH - yRate(v)).toFixed(1)}" fill="${fill}"/>`;
    out.push(bar(x - bw - 1, s.total.offered, '#b9cdf0'), bar(x + 1, s.total.achieved, '#2f6fdf'));
    // The achieved figure inside the top of its bar, where the p99 line cannot run over it.
    const inside = t0 + tH - yRate(s.total.achieved) > 18;
    out.push(
      `<text x="${(x + 1 + bw / 2).toFixed(1)}" y="${(yRate(s.total.achieved) + (inside ? 13 : -4)).toFixed(1)}" text-anchor="middle" font-size="10" fill="${inside ? '#fff' : '#333'}">${f0(s.total.achieved)}</text>`,
    );
    if (s.failures.length)
      out.push(
        `<text x="${x.toFixed(1)}" y="${t0 - 4}" text-anchor="middle" fill="#b00" font-weight="bold">✗</text>`,
      );
  });
  out.push(
    `<line x1="${left}" y1="${yP99(limit)}" x2="${left + plotW}" y2="${yP99(limit)}" stroke="#b00" stroke-dasharray="5,4"/>`,
  );
  const pts = p99s.map((v, i) => [cx(i), yP99(v)] as const);
  out.push(
    `<polyline points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="#b00" stroke-width="2"/>`,
  );
  for (const [x, y] of pts)
    out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="#b00"/>`);
  out.push(`<text x="${left - 50}" y="${t0 - 14}" fill="#555">req/s</text>`);
  out.push(`<text x="${left + plotW + 6}" y="${t0 - 14}" fill="#b00">p99 ms</text>`);

  // Bottom panel: stacked CPU per process, % of one core, up to the machine's ceiling.
  const b0 = t0 + tH + 56;
  const bH = 180;
  const cpuMax = cores * 100;
  const yCpu = (v: number) => b0 + bH - (Math.min(v, cpuMax) / cpuMax) * bH;
  for (let k = 0; k <= 4; k++) {
    const y = b0 + bH - (k / 4) * bH;
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end" fill="#555">${f0((cpuMax * k) / 4)} %</text>`,
    );
  }
  const cw = Math.min(40, slot * 0.6);
  cols.forEach(({ label, step: s }, i) => {
    let acc = 0;
    const parts: [Group | 'other', number][] = [
      ...GROUPS.map((g) => [g, s.load.groups[g].cpuMean] as [Group, number]),
      ['other', s.load.otherMean],
    ];
    for (const [g, v] of parts) {
      if (!(v > 0)) continue;
      out.push(
        `<rect x="${(cx(i) - cw / 2).toFixed(1)}" y="${yCpu(acc + v).toFixed(1)}" width="${cw.toFixed(1)}" height="${(yCpu(acc) - yCpu(acc + v)).toFixed(1)}" fill="${COLORS[g]}"><title>${escape(g)} ${f0(v)} %</title></rect>`,
      );
      acc += v;
    }
    out.push(
      `<text x="${cx(i).toFixed(1)}" y="${b0 + bH + 16}" text-anchor="middle" fill="#333">${escape(label)}</text>`,
    );
    out.push(
      `<text x="${cx(i).toFixed(1)}" y="${b0 + bH + 30}" text-anchor="middle" fill="#555" font-size="10">${f0(s.total.offered)}/s</text>`,
    );
  });
  out.push(
    `<text x="${left - 50}" y="${b0 - 12}" fill="#555">CPU, % of one core (${cpuMax} % = the whole machine), mean over the step</text>`,
  );

  // Legend.
  const legend: [string, string][] = [
    ['offered', '#b9cdf0'],
    ['achieved', '#2f6fdf'],
    [`p99 interactive (${limit} ms limit dashed)`, '#b00'],
    ...([...GROUPS, 'other'] as (Group | 'other')[]).map((g) => [g, COLORS[g]] as [string, string]),
  ];
  let lx = left - 50;
  let ly = b0 + bH + 54;
  for (const [name, color] of legend) {
    const w = 22 + name.length * 6.4;
    if (lx + w > width - 10) {
      lx = left - 50;
      ly += 18;
    }
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color}"/><text x="${lx + 16}" y="${ly}">${escape(name)}</text>`,
    );
    lx += w + 10;
  }
  const height = ly + 16;
  return (
    [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<text x="8" y="22" font-size="15" font-weight="bold">Step load through Nginx + TLS: offered vs achieved, p99, CPU per process</text>`,
      `<text x="8" y="40" fill="#555">npm run bench:load, ${escape(r.date.slice(0, 16).replace('T', ' '))} UTC; ${cores} cores shared with the load generator; ✗ step failed</text>`,
      ...out,
      '</svg>',
    ].join('\n') + '\n'
  );
}
