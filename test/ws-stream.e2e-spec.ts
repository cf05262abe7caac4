import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerFrame } from './support/api-types.js';
import { frameViolation, loadAsyncApi } from './support/asyncapi-contract.js';
import { useStack } from './support/stack.js';
import { checkStream, emptyCounts } from './support/stream-checker.js';
import { openSocket, type FrameLog } from './support/ws.js';

const SCANS = 200;
const SCANNERS = 4;
/**
 * Every fourth scan repeats an earlier one: sent 27 before, it is finished by then (a cached
 * answer); sent 7 before, it is usually still queued (the scan is joined). The others are distinct
 * after normalization (i ↦ i % 23, ⌊i / 23⌋ is one-to-one), so never cached.
 */
const repeatOf = (i: number) => (i % 4 !== 3 || i < 28 ? null : i % 8 === 3 ? i - 27 : i - 7);
const requestOf = (i: number): Record<string, unknown> => {
  const earlier = repeatOf(i);
  return earlier === null
    ? { maxSymbols: 3 + (i % 23), minTechRating: Math.floor(i / 23) }
    : requestOf(earlier);
};

/** Resolves with the first frame (already received or arriving within `timeoutMs`) that `match` accepts. */
function frameWhere(
  log: FrameLog,
  match: (frame: ServerFrame, index: number) => boolean,
  timeoutMs: number,
  what: string,
): Promise<ServerFrame> {
  const found = log.frames.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      log.socket.off('message', listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    // Registered after openSocket's own listener, so the frame is in log.frames when this runs.
    const listener = () => {
      const index = log.frames.length - 1;
      if (!match(log.frames[index]!, index)) return;
      clearTimeout(timer);
      log.socket.off('message', listener);
      resolve(log.frames[index]!);
    };
    log.socket.on('message', listener);
  });
}

const scanIdOf = (frame: ServerFrame) =>
  frame.type === 'progress' || frame.type === 'failed'
    ? frame.scanId
    : frame.type === 'error'
      ? undefined
      : frame.scan.id;
const idOf = (frame: ServerFrame) => ('id' in frame ? frame.id : undefined);
const isTerminal = (frame: ServerFrame) =>
  frame.type === 'completed' || frame.type === 'failed' || frame.type === 'error';

describe('WebSocket stream a client can trust', () => {
  const stack = useStack({
    api: {
      RATE_LIMIT_WS_CONNECT: '1000',
      RATE_LIMIT_SCANS_CREATE: '100000',
      SCANS_IN_FLIGHT_PER_CREDENTIAL: '100',
      // The observer subscribes to every other scan as fast as four scanners finish them.
      WS_FRAMES_PER_SECOND: '1000',
    },
    worker: true,
    scans: true,
    keys: { key: 'read,scan' },
  });

  it(`streams ${SCANS} scans with no backwards step, no duplicate frame and no cached disagreement`, async (t) => {
    const scanners = await Promise.all(
      Array.from({ length: SCANNERS }, () => openSocket(stack.wsUrl, stack.keys.key)),
    );
    // A second socket follows every other scan the scanners start, as a second device would.
    const observer = await openSocket(stack.wsUrl, stack.keys.key);
    const observed: { scanId: string; id: string }[] = [];
    let cachedAnswers = 0;

    const runScan = async (socket: FrameLog, i: number) => {
      const id = `scan-${i}`;
      const from = socket.frames.length;
      socket.send({ type: 'scan', id, request: requestOf(i) });
      // One scan in flight per scanner: the next accepted or error frame answers this one.
      const answer = await frameWhere(
        socket,
        (f, index) => index >= from && (f.type === 'accepted' || f.type === 'error'),
        30_000,
        `the answer to ${id}`,
      );
      assert.equal(answer.type, 'accepted', JSON.stringify(answer));
      assert.equal(answer.id, id, 'accepted echoes the id of its scan frame');
      if (answer.scan.cached) cachedAnswers++;
      const scanId = answer.scan.id;
      if (i % 2 === 0 && answer.scan.status !== 'completed') {
        observed.push({ scanId, id: `follow-${i}` });
        observer.send({ type: 'subscribe', id: `follow-${i}`, scanId });
      }
      const end = await frameWhere(
        socket,
        (f, index) => index >= from && isTerminal(f) && scanIdOf(f) === scanId,
        30_000,
        `the end of ${id} (${scanId})`,
      );
      assert.equal(end.type, 'completed', JSON.stringify(end).slice(0, 300));
      assert.equal(end.id, id, 'completed echoes the id of its scan frame');
    };

    await Promise.all(
      scanners.map(async (socket, lane) => {
        for (let i = lane; i < SCANS; i += SCANNERS) await runScan(socket, i);
      }),
    );
    for (const { scanId, id } of observed)
      await frameWhere(
        observer,
        (f) => isTerminal(f) && idOf(f) === id,
        30_000,
        `the answer to ${id} (${scanId})`,
      );
    // Whatever the server sent before the answer to this frame has arrived: late duplicates too.
    for (const socket of [...scanners, observer]) await socket.roundTrip();

    const counts = emptyCounts();
    scanners.forEach((socket, lane) => checkStream(`scanner ${lane}`, socket.frames, counts));
    checkStream('observer', observer.frames, counts);
    const progress = [...scanners, observer].reduce((n, s) => n + s.of('progress').length, 0);
    t.diagnostic(
      `${SCANS} scans (${cachedAnswers} answered from the cache), ${observed.length} followed from a second socket, ${progress} progress frames: ${counts.backwards} backwards steps, ${counts.duplicates} duplicate frames, ${counts.cachedDisagreements} cached disagreements`,
    );
    assert.ok(cachedAnswers > 0 && cachedAnswers < SCANS, `${cachedAnswers} cached answers`);
    for (const { scanId, id } of observed) {
      const answers = observer.frames.filter((f) => isTerminal(f) && idOf(f) === id);
      assert.equal(answers.length, 1, `one answer to ${id}`);
      assert.equal(answers[0]!.type, 'completed', `${id} (${scanId})`);
    }
    assert.deepEqual(
      {
        backwards: counts.backwards,
        duplicates: counts.duplicates,
        cached: counts.cachedDisagreements,
      },
      { backwards: 0, duplicates: 0, cached: 0 },
      counts.findings.join('\n'),
    );
    // Every frame of the 200 scans is one docs/asyncapi.yaml describes.
    const contract = await loadAsyncApi();
    const violations = [...scanners, observer]
      .flatMap((socket) => socket.frames.map((frame) => frameViolation(contract, frame)))
      .filter((v) => v !== null);
    assert.deepEqual(violations.slice(0, 5), [], `${violations.length} frames off the contract`);
    for (const socket of [...scanners, observer]) socket.socket.close();
  });

  it('answers each subscribe to a finished scan with its own completed frame', async () => {
    const ws = await openSocket(stack.wsUrl, stack.keys.key);
    ws.send({ type: 'scan', id: 'first', request: { maxSymbols: 2 } });
    const done = await frameWhere(ws, (f) => f.type === 'completed', 30_000, 'completed');
    assert.equal(done.type, 'completed');
    ws.send({ type: 'subscribe', id: 'again-1', scanId: done.scan.id });
    ws.send({ type: 'subscribe', id: 'again-2', scanId: done.scan.id });
    ws.send({ type: 'subscribe', scanId: done.scan.id });
    await ws.until((frames) => frames.filter(isTerminal).length >= 4, 10_000, 'three answers');
    await ws.roundTrip();
    // Each subscribe waits for its own read of the scan: answers come in the order those finish.
    const answers = ws.frames.filter((f) => f.type === 'completed').slice(1);
    assert.deepEqual(answers.map((f) => String(idOf(f))).sort(), [
      'again-1',
      'again-2',
      'undefined',
    ]);
    assert.ok(answers.every((f) => f.type === 'completed' && f.scan.id === done.scan.id));
    ws.socket.close();
  });

  it('echoes the id of a client frame in the error frame answering it', async () => {
    const ws = await openSocket(stack.wsUrl, stack.keys.key);
    ws.send({ type: 'dance', id: 'e1' });
    ws.send({ type: 'subscribe', id: 'e2' });
    ws.send({ type: 'subscribe', id: 'e3', scanId: '00000000-0000-4000-8000-000000000000' });
    ws.send({ type: 'scan', id: 'e4', request: { sectors: ['nope'] } });
    ws.send({ type: 'unsubscribe', id: 'e5' });
    ws.send({ type: 'subscribe', id: 7, scanId: 'x' });
    ws.send({ type: 'subscribe', id: 'x'.repeat(65), scanId: 'x' });
    await ws.until((frames) => frames.length >= 7, 10_000, 'seven error frames');
    assert.deepEqual(
      ws.frames.map((f) => f.type),
      Array(7).fill('error'),
    );
    // Answers that need no lookup come first; the order between frames is not part of the contract.
    const byId = new Map(ws.of('error').map((f) => [f.id, f.message]));
    assert.deepEqual([...byId.keys()].sort(), ['e1', 'e2', 'e3', 'e4', 'e5', undefined]);
    assert.match(byId.get('e1')!, /unknown type/);
    assert.match(byId.get('e3')!, /no scan/);
    assert.match(byId.get('e4')!, /valid sectors/);
    assert.match(byId.get(undefined)!, /"id" must be a string/);
    ws.socket.close();
  });
});
