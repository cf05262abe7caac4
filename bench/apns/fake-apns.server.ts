// The fake APNs of the e2e specs as a process of its own, so the bench's sender does not share its
// event loop with the server it measures against. Prints one JSON line (its env) and serves until
// SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeApns } from '../../test/support/fake-apns.js';

const dir = mkdtempSync(join(tmpdir(), 'bench-fake-apns-'));
const fake = await startFakeApns(dir, { record: false });
process.stdout.write(`${JSON.stringify({ ...fake.env, keyPem: fake.keyPem, ca: fake.ca })}\n`);
process.on('SIGTERM', () => {
  void fake.close().finally(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
