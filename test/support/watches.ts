import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiKeyRepository, DataVersions } from '#database';
import type { Stack } from './stack.js';

/** An installation's token, registered with an `e2e` app key (removed with the stack's keys). */
export async function installationToken(stack: Stack<string>, handle: string): Promise<string> {
  const { key } = await new ApiKeyRepository(stack.ds).create(
    `e2e-${handle}`,
    ['install'],
    ['read', 'scan'],
  );
  const res = await stack.call<{ token: string }>('/v1/installations', { method: 'POST', key });
  if (res.status !== 201)
    throw new Error(`registration: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/**
 * A new data version, as an import makes one: the change (here `symbol` made active or inactive,
 * which moves it in or out of every ranking) and the version commit together. Returns its id.
 */
export async function bumpWithActive(
  ds: DataSource,
  symbol: string,
  active: boolean,
): Promise<number> {
  return ds.transaction(async (manager) => {
    await manager.query('UPDATE items SET active = $2 WHERE symbol = $1', [symbol, active]);
    return new DataVersions(ds).bump(manager, {
      source: 'e2e',
      checksum: randomBytes(32).toString('hex'),
      symbols: 0,
      bars: 0,
      report: { e2e: `${symbol} active=${active}` },
    });
  });
}

/** Undoes bumpWithActive: the symbols active again, the e2e versions gone. */
export async function restoreVersions(ds: DataSource, symbols: string[]): Promise<void> {
  await ds.query('UPDATE items SET active = true WHERE symbol = ANY($1::varchar[])', [symbols]);
  await ds.query(`DELETE FROM data_versions WHERE source = 'e2e'`);
}

/** A counter of the worker's /metrics (0 when absent). */
export async function workerCounter(workerUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${workerUrl}/metrics`)).text();
  // The registry labels every series with its app: `name{app="worker"} 3`.
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
