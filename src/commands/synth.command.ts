import { Presets, SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import type { AppConfig } from '#config';
import { writeSyntheticUniverse } from '#market-data';
import { info, withDataSource } from './with-data-source.js';

const integer = (name: string) => (value: string) => {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return Number(value);
};

/**
 * `data synth`: a synthetic universe for benchmarks and fault tests, meant for its own database.
 * Registered under the `data` group that data.command.ts creates (or creates the group when absent).
 */
export function registerSynthCommand(program: Command, config: () => AppConfig): void {
  const data =
    program.commands.find((c) => c.name() === 'data') ??
    program.command('data').description('price data');

  data
    .command('synth')
    .description(
      'add N synthetic instruments (sector Synthetic) with deterministic random-walk bars; use a separate DATABASE_URL',
    )
    .requiredOption('--symbols <n>', 'how many instruments (SYN00001 …)', integer('--symbols'))
    .option('--bars <n>', 'daily bars per instrument, ending 2018-02-07', integer('--bars'), 1260)
    .option('--seed <s>', 'random seed; the same seed gives the same bars', integer('--seed'), 1)
    .option('--allow-mixed', 'write even though the database holds real instruments')
    .option('--replace', 'delete the synthetic instruments already in the database first')
    .action(
      (opts: {
        symbols: number;
        bars: number;
        seed: number;
        allowMixed?: boolean;
        replace?: boolean;
      }) =>
        withDataSource(config(), async (ds) => {
          const bar = new SingleBar(
            {
              format: ' synth [{bar}] {percentage}% | {value}/{total} instruments',
              stream: process.stderr,
              hideCursor: true,
            },
            Presets.shades_classic,
          );
          bar.start(opts.symbols, 0);
          const report = await writeSyntheticUniverse(ds, {
            symbols: opts.symbols,
            bars: opts.bars,
            seed: opts.seed,
            allowMixed: opts.allowMixed,
            replace: opts.replace,
            onProgress: (written) => bar.update(written),
          }).finally(() => bar.stop());
          info(
            `${report.replaced > 0 ? `replaced ${report.replaced} synthetic instruments; ` : ''}` +
              `added ${report.symbols} synthetic instruments, ${report.bars} bars (${report.firstDate} .. ${report.lastDate}), ` +
              `seed ${opts.seed}, data version ${report.dataVersion}, ${(report.elapsedMs / 1000).toFixed(1)} s`,
          );
        }),
    );
}
