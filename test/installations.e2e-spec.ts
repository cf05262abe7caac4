import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scan } from './support/api-types.js';
import { cli } from './support/cli.js';
import { waitFor } from './support/e2e.js';
import { assertProblem } from './support/http.js';
import { useStack } from './support/stack.js';
import { openSocket, refusal } from './support/ws.js';

const TOKEN = /^msi_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/;
const SCANS_PER_WINDOW = 2;
const INSTALLS_PER_IP = 8;

interface Registered {
  installationId: string;
  token: string;
  scopes: string[];
}

describe('installations (a credential per installation)', () => {
  const stack = useStack({
    api: {
      RATE_LIMIT_SCANS_CREATE: String(SCANS_PER_WINDOW),
      RATE_LIMIT_INSTALL_PER_IP: String(INSTALLS_PER_IP),
      // Short, so "401 within the key cache's TTL" is observed in the test's time.
      API_KEY_CACHE_TTL_MS: '1000',
    },
    worker: true,
    scans: true,
    keys: { admin: 'admin' },
  });

  /** An app key made by the CLI as the README tells the app team to. */
  const appKey = async (name: string) => {
    const res = await cli(
      'keys',
      'create',
      '--name',
      `e2e-${name}`,
      '--scopes',
      'install',
      '--grants',
      'read,scan',
    );
    assert.equal(res.code, 0, res.stderr);
    return res.stdout.trim();
  };
  const register = (key: string) =>
    stack.call<Registered>('/v1/installations', { method: 'POST', key });
  /** A scan no other test asks for, so the cache never answers it. */
  let distinct = 0;
  const scan = (token: string) =>
    stack.call<Scan>('/v1/scans', {
      method: 'POST',
      key: token,
      json: { maxSymbols: 100 + ++distinct, minTechRating: 0 },
    });

  it('registers 3 installations with 3 distinct tokens carrying the granted scopes, each with its own scan budget, on REST and the WebSocket; revoking the app key retires all three', async () => {
    const app = await appKey('ios-app');
    const installs: Registered[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await register(app);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.match(res.body.token, TOKEN);
      assert.deepEqual(res.body.scopes, ['read', 'scan']);
      installs.push(res.body);
    }
    assert.equal(new Set(installs.map((i) => i.token)).size, 3);
    assert.equal(new Set(installs.map((i) => i.installationId)).size, 3);
    const [a, b, c] = installs.map((i) => i.token) as [string, string, string];

    // The app key itself does only one thing.
    assertProblem(await stack.call('/v1/items?limit=1', { key: app }), 403);
    // A token reads, with Bearer as well as X-API-Key, and cannot register another installation.
    const bearer = await stack.call('/v1/items?limit=1', {
      headers: { authorization: `Bearer ${a}` },
    });
    assert.equal(bearer.status, 200);
    assertProblem(await register(a), 403);
    // A token lacks what the app key does not grant.
    assertProblem(
      await stack.call('/v1/predict', { method: 'POST', key: a, json: { text: 'x' } }),
      403,
    );

    // Token A spends its own scans-create budget; token B's is untouched.
    for (let i = 0; i < SCANS_PER_WINDOW; i++) assert.equal((await scan(a)).status, 202);
    const limited = await scan(a);
    assertProblem(limited, 429);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal((await scan(b)).status, 202);

    // Token C on the WebSocket: admitted at the upgrade, and a scan frame is accepted.
    const ws = await openSocket(stack.wsUrl, c);
    try {
      ws.send({ type: 'scan', request: { maxSymbols: 100 + ++distinct, minTechRating: 0 } });
      await ws.until((f) => f.some((x) => x.type === 'accepted'), 15_000, 'accepted frame');
    } finally {
      ws.socket.close();
    }

    const prefix = app.slice(4, 12);
    const listed = await cli('installations', 'list', '--key', prefix);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout.trim().split('\n').length, 3);
    assert.match(listed.stdout, new RegExp(`\\t${prefix} \\(e2e-ios-app\\)\\tread,scan\\t`));
    assert.match(listed.stdout, /\tactive\tlast used (never|\S+Z)\ttoday \d+$/m);

    const revoked = await cli('keys', 'revoke', prefix);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stderr, /and 3 installation\(s\)/);
    for (const token of [a, b, c])
      await waitFor(
        async () => (await stack.call('/v1/items?limit=1', { key: token })).status === 401,
        5000,
        'a token of a revoked app key to be refused',
      );
    assert.equal(await refusal(stack.wsUrl, { 'X-API-Key': c }), 401);
  });

  it('revokes one installation with the CLI and leaves the others working', async () => {
    const app = await appKey('revoke-one');
    const first = (await register(app)).body;
    const second = (await register(app)).body;
    const res = await cli('installations', 'revoke', first.token.slice(4, 12));
    assert.equal(res.code, 0, res.stderr);
    await waitFor(
      async () => (await stack.call('/v1/items?limit=1', { key: first.token })).status === 401,
      5000,
      'the revoked installation to be refused',
    );
    assert.equal((await stack.call('/v1/items?limit=1', { key: second.token })).status, 200);
    assert.notEqual((await cli('installations', 'revoke', 'NoSuch00')).code, 0);
  });

  it('answers 25 repeats of one cached scan in a minute with 25 × 200, whatever the scans-create budget', async () => {
    const token = (await register(await appKey('cached'))).body.token;
    const body = { maxSymbols: 7, minTechRating: 0 };
    const first = await stack.call<Scan>('/v1/scans?wait=30', {
      method: 'POST',
      key: token,
      json: body,
    });
    assert.equal(first.body.status, 'completed', JSON.stringify(first.body));
    for (let i = 0; i < 25; i++) {
      const res = await stack.call<Scan>('/v1/scans', { method: 'POST', key: token, json: body });
      assert.equal(res.status, 200, `repeat ${i + 1}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.cached, true);
    }
    // The budget (2) still has the unit the first scan left.
    assert.equal((await scan(token)).status, 202);
  });

  it('limits registration per client address with a 429 carrying Retry-After', async () => {
    // Two app keys, one address: the per-address budget is shared between them.
    const apps = [await appKey('ip-1'), await appKey('ip-2')];
    let created = 0;
    let limited: Awaited<ReturnType<typeof register>> | undefined;
    for (let i = 0; i < INSTALLS_PER_IP + 2 && !limited; i++) {
      const res = await register(apps[i % 2]!);
      if (res.status === 201) created++;
      else limited = res;
    }
    // This spec's earlier registrations came from the same address, most likely in the same window.
    assert.ok(limited, 'registration was never limited');
    assertProblem(limited, 429);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    assert.ok(created <= INSTALLS_PER_IP);
  });

  it('refuses registration to keys that are not app keys', async () => {
    assertProblem(await register(stack.keys.admin), 403);
    const bad = await cli('keys', 'create', '--name', 'e2e-bad', '--scopes', 'install');
    assert.notEqual(bad.code, 0);
    const admin = await cli(
      'keys',
      'create',
      '--name',
      'e2e-bad',
      '--scopes',
      'install',
      '--grants',
      'read,admin',
    );
    assert.notEqual(admin.code, 0);
  });
});
