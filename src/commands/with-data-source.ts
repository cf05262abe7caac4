import type { DataSource } from 'typeorm';
import type { AppConfig } from '#config';
import { createDataSource } from '#database';

/** Runs `work` with an initialized data source and always closes it, so the CLI exits promptly. */
export async function withDataSource<T>(
  config: AppConfig,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource(config, 'market-scanner-cli');
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export const info = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
