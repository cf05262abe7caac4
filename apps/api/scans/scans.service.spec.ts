import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RetryLaterException } from '../http/problem.js';
import { presentScan } from './scan.presenter.js';
import {
  alice,
  bob,
  DEFAULT_HASH,
  hit,
  setUp,
  status,
  summary,
  VERSION,
  FakeRuns,
} from './scans.service.fakes.js';

// The fakes of ScansService's collaborators are in scans.service.fakes.ts; ?wait=N has its own spec
// (scans.service.wait.spec.ts).

describe('ScansService.create', () => {
  it('answers 200 from the cache, marked cached, and lets the asking key see the scan', async () => {
    const { service, runs, queue, cache } = setUp();
    // A run only the cache knows: were the answer read from the store, there would be none.
    const owned = new FakeRuns().add({ status: 'completed', summary });
    cache.set(`${DEFAULT_HASH}:${VERSION}`, {
      ownerKeyId: alice.keyId,
      scan: presentScan(owned, { cached: false, hits: [hit] }),
    });
    const answer = await service.create({}, bob, 'req-1');
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.cached, true);
    assert.equal(answer.scan.id, owned.id);
    assert.deepEqual(runs.viewers, [[owned.id, bob.keyId]]);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('does not add the owner as a viewer of its own cached scan', async () => {
    const { service, runs, cache } = setUp();
    const owned = new FakeRuns().add({ status: 'completed', summary });
    cache.set(`${DEFAULT_HASH}:${VERSION}`, {
      ownerKeyId: alice.keyId,
      scan: presentScan(owned, { cached: false, hits: [hit] }),
    });
    assert.equal((await service.create({}, alice, 'req-1')).status, 200);
    assert.deepEqual(runs.viewers, []);
  });

  it('answers 200 from a stored result of the same request and data version, and caches it for its owner', async () => {
    const { service, runs, queue, cache } = setUp();
    const done = runs.add({ status: 'completed', summary });
    const answer = await service.create({}, bob, 'req-1');
    assert.equal(answer.status, 200);
    assert.equal(answer.scan.cached, true);
    assert.deepEqual(answer.scan.result?.results, [hit]);
    assert.equal(cache.get(`${DEFAULT_HASH}:${VERSION}`)?.ownerKeyId, alice.keyId);
    assert.deepEqual(runs.viewers, [[done.id, bob.keyId]]);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('enqueues a new run with the request id and data version and answers 202 queued', async () => {
    const { service, queue } = setUp();
    const answer = await service.create({ profile: 'aggressive' }, alice, 'req-1');
    assert.equal(answer.status, 202);
    assert.equal(answer.scan.status, 'queued');
    assert.equal(answer.scan.cached, false);
    assert.deepEqual(
      queue.state.enqueued.map((p) => [
        p.scanRunId,
        p.requestId,
        p.dataVersion,
        p.request.profile,
        p.request.minTechRating,
      ]),
      [[answer.scan.id, 'req-1', VERSION, 'aggressive', 45]],
    );
    assert.deepEqual(queue.state.waits, [], 'no ?wait, no waiting');
  });

  it('lets an identical request in flight share the run instead of enqueueing another', async () => {
    const { service, runs, queue } = setUp();
    const first = await service.create({}, alice, 'req-1');
    const second = await service.create({}, bob, 'req-2');
    assert.equal(second.status, 202);
    assert.equal(second.scan.id, first.scan.id);
    assert.equal(queue.state.enqueued.length, 1);
    assert.deepEqual(runs.viewers, [[first.scan.id, bob.keyId]]);
  });

  it('enqueues a shared run again when its job vanished from the queue', async () => {
    const { service, queue } = setUp();
    const first = await service.create({}, alice, 'req-1');
    queue.state.jobs.clear();
    await service.create({}, bob, 'req-2');
    assert.deepEqual(
      queue.state.enqueued.map((p) => p.scanRunId),
      [first.scan.id, first.scan.id],
    );
  });

  it('answers 503 when the queue is unavailable and removes the run, so a retry starts afresh', async () => {
    const { service, runs, queue } = setUp();
    queue.state.unavailable = true;
    await assert.rejects(service.create({}, alice, 'req-1'), (error) => status(error) === 503);
    assert.equal(runs.deleted.length, 1);
    assert.equal(runs.runs.size, 0);
    queue.state.unavailable = false;
    assert.equal((await service.create({}, alice, 'req-2')).status, 202);
  });

  it('scans the trading day before a weekend, keeping the requested date in the request', async () => {
    const { service, queue } = setUp();
    await service.create({ asOf: '2018-02-03' }, alice, 'req-1');
    const { asOf, asOfRequested } = queue.state.enqueued[0]!.request;
    assert.deepEqual([asOf, asOfRequested], ['2018-02-02', '2018-02-03']);
  });

  it('refuses an asOf outside the data with 422 before touching the queue', async () => {
    const { service, queue } = setUp();
    for (const asOf of ['2030-01-01', '1999-01-01'])
      await assert.rejects(service.create({ asOf }, alice, 'r'), (e) => status(e) === 422);
    assert.equal(queue.state.enqueued.length, 0);
  });

  it('keys runs by direction: a short scan neither joins nor reuses a long one', async () => {
    const { service, queue } = setUp();
    const long = await service.create({}, alice, 'req-1');
    const short = await service.create({ direction: 'short' }, alice, 'req-2');
    assert.notEqual(short.scan.id, long.scan.id);
    assert.deepEqual(
      queue.state.enqueued.map((p) => p.request.direction),
      ['long', 'short'],
    );
  });

  it('refuses unknown symbols with 400 before touching the queue', async () => {
    const { service, queue } = setUp();
    await assert.rejects(
      service.create({ symbols: ['AAPL', 'NOPE'] }, alice, 'req-1'),
      (error) => status(error) === 400,
    );
    assert.equal(queue.state.enqueued.length, 0);
  });
});

describe('ScansService.create: scans in flight per credential', () => {
  const distinct = (n: number) => ({ maxSymbols: n });

  it('starts 3 scans of one credential, refuses a 4th new one with 429 and Retry-After, and lets another credential start', async () => {
    const { service, queue } = setUp();
    for (const n of [1, 2, 3])
      assert.equal((await service.create(distinct(n), alice, 'r')).status, 202);
    await assert.rejects(
      service.create(distinct(4), alice, 'r'),
      (e: unknown) =>
        e instanceof RetryLaterException && e.getStatus() === 429 && e.retryAfterSeconds > 0,
    );
    assert.equal(queue.state.enqueued.length, 3);
    assert.equal((await service.create(distinct(4), bob, 'r')).status, 202);
  });

  it('still lets a credential at the cap join an identical run in flight', async () => {
    const { service, runs } = setUp();
    const theirs = runs.add({ apiKeyId: bob.keyId });
    for (const n of [1, 2, 3]) await service.create(distinct(n), alice, 'r');
    const joined = await service.create({}, alice, 'r');
    assert.equal(joined.status, 202);
    assert.equal(joined.scan.id, theirs.id);
  });

  it('counts only runs queued or running: a finished one frees its place', async () => {
    const { service, queue } = setUp({
      work: (q, id) => q.finish(id, { summary }),
    });
    for (const n of [1, 2, 3, 4, 5]) await service.create(distinct(n), alice, 'r');
    assert.equal(queue.state.enqueued.length, 5);
  });
});
