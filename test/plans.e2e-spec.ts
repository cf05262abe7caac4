import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Analysis, Scan, ScanHit } from './support/api-types.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';

/** The side a signal trades; null for Avoid. */
const sideOf = (signal: string) =>
  signal.endsWith('Long') ? 'long' : signal.endsWith('Short') ? 'short' : null;

/** Every hit's plan agrees with its signal: long above, short below, none for Avoid. */
function assertPlansAgree(hits: readonly ScanHit[], accountSize = 10_000): void {
  for (const hit of hits) {
    const side = sideOf(hit.signal);
    if (side === null) {
      assert.equal(hit.plan, null, `${hit.symbol} Avoid has no plan`);
      assert.match(hit.rationale, /^No trade plan/);
      continue;
    }
    const plan = hit.plan!;
    assert.equal(plan.side, side, `${hit.symbol} ${hit.signal}`);
    if (side === 'long') assert.ok(plan.stop < plan.entry && plan.target > plan.entry, hit.symbol);
    else assert.ok(plan.stop > plan.entry && plan.target < plan.entry, hit.symbol);
    assert.ok(plan.shares * plan.entry <= accountSize, `${hit.symbol} fits the account`);
    assert.equal(typeof plan.capped, 'boolean');
    assert.equal(plan.shares === 0, typeof plan.reason === 'string', `${hit.symbol} reason`);
  }
}

describe('trade plans, directions and dates (issue 11)', () => {
  const stack = useStack({
    api: true,
    worker: true,
    scans: true,
    keys: { key: 'read,scan' },
  });
  const scan = (body: unknown) =>
    stack.call<Scan>('/v1/scans?wait=30', { method: 'POST', key: stack.keys.key, json: body });
  const analysis = (symbol: string, query = '') =>
    stack.call<Analysis>(`/v1/items/${symbol}/analysis${query}`, { key: stack.keys.key });

  it('lists no Avoid hit in a default scan, and long plans on Long hits ranked strongest first', async () => {
    const res = await scan({});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body.result!;
    assert.equal(res.body.request.direction, 'long');
    assert.equal(r.relaxed, false);
    assert.ok(r.results.length > 0);
    for (const hit of r.results) assert.ok(hit.signal.endsWith('Long'), hit.signal);
    assertPlansAgree(r.results);
    const ratings = r.results.map((h) => h.techRating);
    assert.deepEqual(
      ratings,
      ratings.slice().sort((a, b) => b - a),
    );
    assert.ok(r.results.every((h) => !('failedFilters' in h)));
  });

  it('ranks {"direction":"short"} by rating ascending, with short plans', async () => {
    const res = await scan({ direction: 'short', profile: 'aggressive', maxSymbols: 50 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const hits = res.body.result!.results;
    assert.ok(hits.length > 1, res.body.result!.statusText);
    const ratings = hits.map((h) => h.techRating);
    assert.deepEqual(
      ratings,
      ratings.slice().sort((a, b) => a - b),
    );
    for (const hit of hits) assert.equal(hit.plan!.side, 'short', hit.symbol);
    assertPlansAgree(hits);
  });

  it('ranks both directions by distance from neutral, each plan on its own side', async () => {
    const res = await scan({ direction: 'both', profile: 'aggressive', maxSymbols: 100 });
    assert.equal(res.status, 200);
    const hits = res.body.result!.results;
    // Rounded like the ratings: 83.6 − 50 and 50 − 16.4 differ in the last binary digit.
    const distances = hits.map((h) => Math.round(Math.abs(h.techRating - 50) * 10) / 10);
    assert.deepEqual(
      distances,
      distances.slice().sort((a, b) => b - a),
    );
    assert.ok(
      hits.some((h) => h.plan!.side === 'long') && hits.some((h) => h.plan!.side === 'short'),
    );
    assertPlansAgree(hits);
  });

  it('marks each hit of a relaxed result with the filters it did not meet', async () => {
    const res = await scan({ minTechRating: 100, maxSymbols: 10 });
    const r = res.body.result!;
    assert.equal(r.relaxed, true);
    assert.ok(r.results.length > 0);
    for (const hit of r.results)
      assert.ok(hit.failedFilters!.includes('minTechRating'), hit.symbol);
    assertPlansAgree(r.results);
  });

  it('caps the position at what the account buys, and bounds riskPct to 0.1..5', async () => {
    const res = await scan({ accountSize: 1_000, riskPct: 5, maxSymbols: 50 });
    assert.equal(res.status, 200);
    assertPlansAgree(res.body.result!.results, 1_000);
    assert.ok(res.body.result!.results.some((h) => h.plan!.capped));
    for (const riskPct of [0.09, 5.1, 100]) assertProblem(await scan({ riskPct }), 400);
    assertProblem(await scan({ direction: 'sideways' }), 400);
  });

  it('refuses an asOf outside the data with 422 naming its range', async () => {
    for (const asOf of ['2030-01-01', '1999-01-01']) {
      const res = await scan({ asOf });
      assertProblem(res, 422);
      assert.match(res.body.detail, /2013-02-08 to 2018-02-07/);
      const one = await analysis('AAPL', `?asOf=${asOf}`);
      assertProblem(one, 422);
      assert.match(one.body.detail, /2013-02-08 to 2018-02-07/);
    }
  });

  it('scans a Saturday as the Friday before, showing both dates', async () => {
    const res = await scan({ asOf: '2016-07-02', maxSymbols: 5 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.result!.asOf, '2016-07-01');
    assert.equal(res.body.result!.asOfRequested, '2016-07-02');
    assert.deepEqual(
      [res.body.request.asOf, res.body.request.asOfRequested],
      ['2016-07-01', '2016-07-02'],
    );
    const one = await analysis('AAPL', '?asOf=2016-07-02');
    assert.equal(one.status, 200);
    assert.deepEqual([one.body.asOf, one.body.asOfRequested], ['2016-07-01', '2016-07-02']);
  });

  it('analyses one symbol on the terms given, with no rank', async () => {
    const res = await analysis('AAPL', '?asOf=2018-02-07');
    assert.equal(res.status, 200);
    assert.equal('rank' in res.body, false);
    assert.equal(res.body.asOfRequested, '2018-02-07');
    assert.ok(Array.isArray(res.body.failedFilters));
    assertPlansAgree([{ ...res.body, rank: 1 }]);

    const sized = await analysis('AAPL', '?accountSize=50000&riskPct=2&targetRR=3');
    const plain = await analysis('AAPL');
    assert.equal(sized.status, 200);
    if (sized.body.plan && plain.body.plan) {
      const risk = Math.abs(sized.body.plan.entry - sized.body.plan.stop);
      assert.ok(
        Math.abs(Math.abs(sized.body.plan.target - sized.body.plan.entry) - 3 * risk) < 0.011,
      );
      assert.ok(sized.body.plan.shares >= plain.body.plan.shares);
    }
    // The direction and profile decide which filters the symbol meets, never its plan's side.
    const short = await analysis('AAPL', '?direction=short&profile=conservative');
    assert.equal(short.status, 200);
    assert.deepEqual(short.body.plan, plain.body.plan);
    if (sideOf(plain.body.signal) !== 'short')
      assert.ok(short.body.failedFilters.includes('direction'));
    assertProblem(await analysis('AAPL', '?riskPct=6'), 400);
    assertProblem(await analysis('AAPL', '?direction=up'), 400);
  });
});
