import { after, before, describe } from 'node:test';
import { edgeFaults } from './edge.faults.js';
import { outageFaults } from './outages.faults.js';
import { queueFaults } from './queue.faults.js';
import { FaultStack } from './support/stack.js';
import { processFaults } from './processes.faults.js';
import { idleSocket, websocketFaults } from './websocket.faults.js';

/**
 * `npm run test:faults` — RELIABILITY.md's failure modes injected into the production topology
 * (`npm run host:up`: Supervisor, 2 api + 2 worker processes, Nginx with TLS), observed only from
 * outside. One host for all of them, in this order: each leaves the stack healthy for the next.
 * Every test prints its measured figure (a `#` line); docs/reliability.md quotes them.
 */
describe('faults injected into the production topology', () => {
  const stack = new FaultStack();
  const figures = new Map<string, string>();

  before(() => stack.up(), { timeout: 900_000 });
  after(
    async () => {
      await stack.down();
      process.stdout.write(
        `\nfault figures:\n${[...figures].map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`,
      );
    },
    { timeout: 300_000 },
  );

  const idle = idleSocket(stack, figures);
  edgeFaults(stack, figures);
  queueFaults(stack, figures);
  websocketFaults(stack, figures);
  outageFaults(stack, figures);
  processFaults(stack, figures);
  idle.check();
});
