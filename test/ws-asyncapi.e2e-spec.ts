import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, it } from 'node:test';
import {
  frameViolation,
  loadAsyncApi,
  SEVERITY,
  type AsyncApiContract,
} from './support/asyncapi-contract.js';
import { useStack } from './support/stack.js';
import { openSocket } from './support/ws.js';

/**
 * Diagnostics below error severity the document is allowed, each with its reason; any other
 * warning fails like an error.
 */
const ACCEPTED: Record<string, string> = {
  // The parser recommends 3.1.0. The issue names AsyncAPI 3, 3.0.0 is the version its tooling
  // (generators, the parser's own models) covers in full, and 3.1 adds nothing this channel uses.
  'asyncapi-latest-version': 'stays on 3.0.0',
};

describe('docs/asyncapi.yaml', () => {
  const stack = useStack({
    api: { RATE_LIMIT_WS_CONNECT: '1000' },
    worker: true,
    scans: true,
    keys: { key: 'read,scan' },
  });
  let contract: AsyncApiContract;
  before(async () => (contract = await loadAsyncApi()));

  it('parses with the AsyncAPI parser without errors or unexplained warnings', (t) => {
    for (const d of contract.diagnostics)
      t.diagnostic(`${SEVERITY[d.severity]} ${d.code}: ${d.message} at ${d.path.join('.')}`);
    const refused = contract.diagnostics.filter(
      (d) => d.severity === 0 || (d.severity === 1 && !(String(d.code) in ACCEPTED)),
    );
    assert.deepEqual(
      refused.map((d) => `${String(d.code)}: ${d.message} at ${d.path.join('.')}`),
      [],
    );
    assert.deepEqual([...contract.validators.keys()].sort(), [
      'accepted',
      'alert',
      'completed',
      'error',
      'failed',
      'progress',
      'scan',
      'subscribe',
      'unsubscribe',
    ]);
  });

  it('describes the frames of real scans: every server frame, and the client frames that caused them', async () => {
    const sent: Record<string, unknown>[] = [];
    const ws = await openSocket(stack.wsUrl, stack.keys.key);
    const send = (frame: Record<string, unknown>) => (sent.push(frame), ws.send(frame));
    const ended = (id: string) => () =>
      ws.frames.some((f) => 'id' in f && f.id === id && f.type !== 'accepted');

    // Uncached, with more hits than a progress frame carries: accepted, progress, completed.
    send({
      type: 'scan',
      id: 'fresh',
      request: { maxSymbols: 40, minTechRating: 1, profile: 'aggressive' },
    });
    await ws.until(ended('fresh'), 30_000, 'the end of the fresh scan');
    const fresh = ws.of('completed').find((f) => f.id === 'fresh')!;
    // The same again (cached), a subscribe to it, and a failed scan of this key.
    send({
      type: 'scan',
      id: 'cached',
      request: { maxSymbols: 40, minTechRating: 1, profile: 'aggressive' },
    });
    send({ type: 'subscribe', id: 'again', scanId: fresh.scan.id });
    const failedId = randomUUID();
    await stack.ds.query(
      `INSERT INTO scan_runs (id, api_key_id, viewer_key_ids, request_hash, request, data_version,
                              status, error, created_at, completed_at)
       SELECT $1::uuid, api_key_id, '{}', md5($1::text) || md5(request_hash), request, data_version,
              'failed', 'engine refused', now(), now()
       FROM scan_runs WHERE id = $2`,
      [failedId, fresh.scan.id],
    );
    send({ type: 'subscribe', id: 'failed', scanId: failedId });
    send({ type: 'scan', id: 'refused', request: { sectors: ['nope'] } });
    for (const id of ['cached', 'again', 'failed', 'refused'])
      await ws.until(ended(id), 30_000, `the answer to ${id}`);
    // After its answer: an unsubscribe before it would leave `failed` unanswered.
    send({ type: 'unsubscribe', id: 'bye', scanId: failedId });
    await ws.roundTrip();
    ws.socket.close();

    const types = new Set(ws.frames.map((f) => f.type));
    assert.deepEqual([...types].sort(), ['accepted', 'completed', 'error', 'failed', 'progress']);
    assert.ok(
      ws.of('progress').some((f) => f.partial.length > 0),
      'a progress frame with hits',
    );
    const violations = [...sent, ...ws.frames]
      .map((frame) => frameViolation(contract, frame))
      .filter((v) => v !== null);
    assert.deepEqual(violations, []);
  });

  it('refuses frames the protocol does not have, so the check above can fail', () => {
    for (const frame of [
      { type: 'progress', scanId: randomUUID(), stage: 'dancing', percent: 1 },
      { type: 'completed', id: 'x', scan: { id: 'not a scan' } },
      { type: 'error', message: 'm', extra: true },
      { type: 'subscribe', scanId: randomUUID(), id: 'x'.repeat(65) },
      { type: 'hello' },
    ])
      assert.notEqual(frameViolation(contract, frame), null, JSON.stringify(frame));
  });
});
