// A registry on loopback for the audit's own tests: it answers what `npm audit` and the registry
// check ask (the bulk advisory endpoint, packuments, version documents, /-/ping) about a small
// fixture project, with the advisories, refusals and tampering a test sets up. It stands in for
// the registry because the real one cannot be told to publish an advisory, and because the
// registry of these machines refuses the advisory endpoint: the path that fails an audit would
// otherwise never run here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** An advisory as the bulk endpoint answers it (the fields npm reads). */
export interface BulkAdvisory {
  id: number;
  url: string;
  title: string;
  severity: 'critical' | 'high' | 'moderate' | 'low' | 'info';
  vulnerable_versions: string;
}

export interface FakeRegistryOptions {
  /** by package name */
  advisories?: Record<string, BulkAdvisory[]>;
  /** answer the advisory endpoint with this status and no body (a GET-only mirror: 405) */
  refuseAdvisories?: number;
  /** `name@version` the registry no longer has */
  unpublished?: string[];
  /** `name@version` whose published integrity differs from the fixture's lockfile */
  tampered?: string[];
}

/**
 * The fixture: fixture-alpha (production) depends on fixture-beta; fixture-gamma is a dev
 * dependency. Integrity strings are made up; the fake registry publishes the same ones.
 */
export const FIXTURE = {
  'fixture-alpha': { version: '1.0.0', integrity: 'sha512-YWxwaGEtMS4wLjA=', dev: false },
  'fixture-beta': { version: '2.0.0', integrity: 'sha512-YmV0YS0yLjAuMA==', dev: false },
  'fixture-gamma': { version: '3.0.0', integrity: 'sha512-Z2FtbWEtMy4wLjA=', dev: true },
} as const;
type FixtureName = keyof typeof FIXTURE;

const dependenciesOf = (name: string): Record<string, string> =>
  name === 'fixture-alpha' ? { 'fixture-beta': '^2.0.0' } : {};

/** Writes the fixture project (package.json and package-lock.json, no node_modules) to a temp dir. */
export function writeFixtureProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'audit-fixture-'));
  const root = {
    name: 'audit-fixture',
    version: '1.0.0',
    private: true,
    dependencies: { 'fixture-alpha': '1.0.0' },
    devDependencies: { 'fixture-gamma': '3.0.0' },
  };
  const packages: Record<string, object> = { '': root };
  for (const [name, p] of Object.entries(FIXTURE))
    packages[`node_modules/${name}`] = {
      version: p.version,
      integrity: p.integrity,
      ...(p.dev ? { dev: true } : {}),
      dependencies: dependenciesOf(name),
    };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(root, null, 2));
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ ...root, lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  return dir;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

export interface FakeRegistry {
  url: string;
  /** method and path of every request, in order; after a bulk advisory request, the names it asked about */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const requests: string[] = [];
  const manifest = (name: FixtureName, url: string) => {
    const { version, integrity } = FIXTURE[name];
    const tampered = options.tampered?.includes(`${name}@${version}`);
    return {
      name,
      version,
      dependencies: dependenciesOf(name),
      dist: {
        tarball: `${url}${name}/-/${name}-${version}.tgz`,
        integrity: tampered ? 'sha512-dGFtcGVyZWQ=' : integrity,
      },
    };
  };
  const server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const path = decodeURIComponent(request.url ?? '/');
      requests.push(`${request.method} ${path}`);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const send = (status: number, value?: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (path === '/-/npm/v1/security/advisories/bulk') {
        if (options.refuseAdvisories) return send(options.refuseAdvisories);
        const asked = JSON.parse(body) as Record<string, string[]>;
        requests.push(`asked about ${Object.keys(asked).sort().join(', ')}`);
        const answer = Object.fromEntries(
          Object.keys(asked)
            .filter((name) => options.advisories?.[name])
            .map((name) => [name, options.advisories![name].map((a) => ({ ...a, cwe: [] }))]),
        );
        return send(200, answer);
      }
      if (request.method !== 'GET') return send(405);
      if (path === '/-/ping') return send(200, {});
      const [, name, version] = path.match(/^\/([^/]+)(?:\/([^/]+))?$/) ?? [];
      if (!(name in FIXTURE)) return send(404, { error: 'not found' });
      const published = FIXTURE[name as FixtureName];
      const gone = options.unpublished?.includes(`${name}@${published.version}`);
      if (version !== undefined)
        return version === published.version && !gone
          ? send(200, manifest(name as FixtureName, url))
          : send(404, { error: 'not found' });
      const versions = gone ? {} : { [published.version]: manifest(name as FixtureName, url) };
      return send(200, { name, 'dist-tags': { latest: published.version }, versions });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
