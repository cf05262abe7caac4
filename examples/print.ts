// How the examples print a scan: one line per progress frame with the ranking so far, then the
// final ranking. Typed by #api-client, so a contract change breaks the examples' build.
import type { Scan, ScanHit, ServerFrameOf } from '#api-client';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** `AAPL 81.2, MSFT 79.0, …`: the first `n` hits of a ranking. */
export const leaders = (hits: readonly ScanHit[], n: number) =>
  hits
    .slice(0, n)
    .map((hit) => `${hit.symbol} ${hit.techRating.toFixed(1)}`)
    .join(', ');

export function printProgress(frame: ServerFrameOf<'progress'>, topN = 3): void {
  out(
    `progress  ${frame.percent.toFixed(1).padStart(5)}%  ${frame.stage.padEnd(10)} ` +
      `${frame.symbolsScanned}/${frame.universeSize}  eta ${frame.etaSeconds ?? '?'} s` +
      `  top: ${leaders(frame.partial, topN)}`,
  );
}

/** The `completed` line, then one line per hit (at most `limit`). */
export function printResult(scan: Scan, limit: number): void {
  const result = scan.result;
  if (!result) throw new Error(`scan ${scan.id} is ${scan.status} without a result`);
  const where = scan.cached ? 'cached' : `${result.metrics.totalMs} ms in the worker`;
  out(`completed  ${result.statusText}  (${where})`);
  for (const hit of result.results.slice(0, limit)) {
    // Avoid has no plan: a neutral rating gives no side to trade.
    const plan = hit.plan
      ? `${hit.plan.side} entry ${hit.plan.entry}  stop ${hit.plan.stop}  ` +
        `target ${hit.plan.target}  shares ${hit.plan.shares}`
      : 'no plan';
    out(
      `  ${String(hit.rank).padStart(2)}. ${hit.symbol.padEnd(6)} ` +
        `${hit.techRating.toFixed(1).padStart(5)}  ${hit.signal.padEnd(12)} ${plan}  ${hit.name}`,
    );
  }
}
