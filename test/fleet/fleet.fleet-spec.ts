import { after, before, describe } from 'node:test';
import { Fleet } from './support/fleet.js';
import { namespacesUnavailable } from './support/network.js';
import { streamTests } from './streams.fleet.js';
import { workerTests } from './workers.fleet.js';

/**
 * `npm run test:fleet` (issue 14, item 1): the production build run as a fleet on this machine —
 * a data host, an edge host, two api hosts and two worker hosts, each in its own network namespace
 * with its own address and hostname — with faults between hosts that one host cannot have: a cut
 * link, a partition, a host lost. Observed from outside, from the runner's address on the bridge.
 * One fleet for all the tests, in this order: each leaves it healthy for the next. Every test
 * prints its figure (a `#` line); docs/reliability.md quotes them.
 */
const unavailable = namespacesUnavailable();

describe('the fleet: six hosts in network namespaces', { skip: unavailable ?? false }, () => {
  const fleet = new Fleet();
  const figures = new Map<string, string>();
  const began = Date.now();
  const log = (line: string) =>
    process.stdout.write(`[fleet +${((Date.now() - began) / 1000).toFixed(1)} s] ${line}\n`);

  before(() => fleet.up(log), { timeout: 600_000 });
  after(
    async () => {
      await fleet.down(log);
      process.stdout.write(
        `\nfleet figures:\n${[...figures].map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`,
      );
    },
    { timeout: 300_000 },
  );

  streamTests(fleet, figures);
  workerTests(fleet, figures);
});
