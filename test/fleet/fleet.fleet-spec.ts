import { after, before, describe } from 'node:test';
import { fleetPrerequisites } from '../../src/bootstrap/host/prerequisites.mjs';
import { Fleet } from './support/fleet.js';
import { edgeTests } from './edge.fleet.js';
import { redisTests } from './redis.fleet.js';
import { streamTests } from './streams.fleet.js';
import { throughputTests } from './throughput.fleet.js';
import { workerTests } from './workers.fleet.js';

/**
 * `npm run test:fleet` (issue 14, item 1): the production build run as a fleet on this machine —
 * a data host, an edge host, two api hosts and two worker hosts, each in its own network namespace
 * with its own address and hostname — with faults between hosts that one host cannot have: a cut
 * link, a partition, a host lost. Observed from outside, from the runner's address on the bridge.
 * One fleet for all the tests, in this order: each leaves it healthy for the next. Every test
 * prints its figure (a `#` line); docs/reliability.md quotes them.
 */
// `npm test` checks the same before it runs the suite; this is for a spec run on its own.
const pre = fleetPrerequisites();

describe(
  'the fleet: six hosts in network namespaces',
  { skip: pre.ok ? false : pre.reason },
  () => {
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
    edgeTests(fleet, figures);
    redisTests(fleet, figures);
    // Last: it restarts a worker host, whose bars are then cold.
    throughputTests(fleet, figures);
  },
);
