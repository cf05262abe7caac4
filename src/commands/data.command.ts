import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { AppConfig } from '#config';
import { ItemEntity } from '#database';
import { importEmbeddedData, type ImportProgress } from '#market-data';
import { info, withDataSource } from './with-data-source.js';

export function registerDataCommands(program: Command, config: () => AppConfig): void {
  const data = program.command('data').description('price data');

  data
    .command('import')
    .description('load the embedded S&P 500 universe and daily bars (idempotent)')
    .option('--force', 're-read and compare every row even if this data set was imported before')
    .option('--if-empty', 'do nothing when items already exist (used by npm start)')
    .option('--data-dir <dir>', 'where the embedded files are', 'data')
    .action((opts: { force?: boolean; ifEmpty?: boolean; dataDir: string }) =>
      withDataSource(config(), async (ds) => {
        if (opts.ifEmpty && (await ds.getRepository(ItemEntity).count()) > 0) {
          info('data already present: nothing imported');
          return;
        }
        const bar = new SingleBar(
          { format: ' {stage} [{bar}] {percentage}%', stream: process.stderr, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(100, 0, { stage: 'reading' });
        const onProgress = (p: ImportProgress) =>
          bar.update(Math.round(p.fraction * 100), { stage: p.stage.padEnd(7) });
        const report = await importEmbeddedData(ds, {
          dataDir: resolve(opts.dataDir),
          force: opts.force,
          onProgress,
        }).finally(() => bar.stop());
        if (report.status === 'unchanged') {
          info(
            `embedded data already imported (data version ${report.dataVersion}): nothing changed`,
          );
          return;
        }
        info(
          `imported ${report.symbols} instruments, ${report.barsRead} rows read, ${report.barsKept} bars kept, ` +
            `${report.barsWritten} bars written, data version ${report.dataVersion}, ${(report.elapsedMs / 1000).toFixed(1)} s`,
        );
        info(`repaired ${report.repaired.length} rows:`);
        for (const r of report.repaired) info(`  ${r.symbol} ${r.date}: ${r.reason}`);
        info(`skipped ${report.skipped.length} rows:`);
        for (const s of report.skipped) info(`  ${s.symbol} ${s.date}: ${s.reason}`);
      }),
    );
}
