import { spawn, spawnSync } from 'node:child_process';
import { waitFor } from '../../support/e2e.js';

/**
 * The fleet's network on this machine: one Linux network namespace per host, each joined to the
 * bridge `msfleet0` by a veth pair, with its own address on 10.77.0.0/24 and (through
 * `unshare --uts`) its own hostname. The test runner stays in the root namespace as 10.77.0.1, the
 * one place from which every host is reachable — as an operator's VPN would be. Nothing is routed
 * beyond the bridge: hosts reach each other and the runner, never the machine's other interfaces.
 */
export const BRIDGE = 'msfleet0';
export const RUNNER_ADDRESS = '10.77.0.1';
const PREFIX_LENGTH = 24;
/** Every namespace of the fleet starts with it: a stale fleet is found by name alone. */
const NAMESPACE_PREFIX = 'msfleet-';

export interface HostSpec {
  /** Short name: `data`, `edge`, `api-a`, `worker-b`… (the namespace is `msfleet-<name>`). */
  name: string;
  address: string;
}

export const namespaceOf = (name: string) => `${NAMESPACE_PREFIX}${name}`;
export const hostnameOf = (name: string) => `fleet-${name}`;
/** The bridge side of a host's veth pair (interface names are at most 15 characters). */
const linkOf = (name: string) => `msf-${name}`.slice(0, 15);

/** `ip ARGS`, throwing with its output when it fails. */
function ip(...args: string[]): string {
  const res = spawnSync('ip', args, { encoding: 'utf8' });
  if (res.status !== 0)
    throw new Error(`ip ${args.join(' ')} failed (${res.status}): ${res.stderr}${res.stdout}`);
  return res.stdout;
}

/** Namespaces of a fleet that still exist (a run killed before its teardown leaves them). */
export function fleetNamespaces(): string[] {
  return ip('netns', 'list')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(NAMESPACE_PREFIX));
}

/** Pids of every process whose network namespace is `namespace`. */
export function pidsIn(namespace: string): number[] {
  const res = spawnSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.split('\n').filter(Boolean).map(Number) : [];
}

const kill = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};

/**
 * Removes every trace of a fleet: SIGKILL to each process left in its namespaces (supervisord, the
 * apps, nginx, redis, postgres), then the namespaces (which takes their veth pairs along) and the
 * bridge. Safe to call when nothing is there; used before a run and after it.
 */
export async function removeFleetNetwork(): Promise<void> {
  for (const namespace of fleetNamespaces()) {
    for (const pid of pidsIn(namespace)) kill(pid, 'SIGKILL');
    await waitFor(
      () => pidsIn(namespace).length === 0,
      10_000,
      `processes of ${namespace} to exit`,
    );
    ip('netns', 'del', namespace);
  }
  // The kernel tears a namespace down in the background, its veth pairs with it: a pair may
  // outlive `ip netns del` for a moment, and would stop the next `ip link add` of that name.
  for (const link of bridgeEnds()) spawnSync('ip', ['link', 'del', link], { stdio: 'ignore' });
  await waitFor(() => bridgeEnds().length === 0, 10_000, 'the old veth pairs to go');
  if (spawnSync('ip', ['link', 'show', BRIDGE], { stdio: 'ignore' }).status === 0)
    ip('link', 'del', BRIDGE);
}

/** Bridge ends of fleet veth pairs that exist (`msf-…`, "12: msf-api-a@if2: <…>"). */
const bridgeEnds = (): string[] =>
  ip('-o', 'link', 'show')
    .split('\n')
    .map((line) => /^\d+: (msf-[^@:]+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);

/**
 * Creates the bridge with the runner's address and one namespace per host: loopback up, a veth
 * pair with `eth0` inside holding the host's address, the other end on the bridge.
 */
export function createFleetNetwork(hosts: HostSpec[]): void {
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${RUNNER_ADDRESS}/${PREFIX_LENGTH}`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  for (const host of hosts) {
    const ns = namespaceOf(host.name);
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('link', 'add', linkOf(host.name), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('-n', ns, 'addr', 'add', `${host.address}/${PREFIX_LENGTH}`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('link', 'set', linkOf(host.name), 'master', BRIDGE, 'up');
  }
}

/**
 * Cuts a host off the network (its veth's bridge end down): its packets go nowhere and nobody
 * hears from it — no reset, no refusal, as when a host's link or switch port dies.
 */
export const cutLink = (name: string) => ip('link', 'set', linkOf(name), 'down');
export const healLink = (name: string) => ip('link', 'set', linkOf(name), 'up');

/**
 * The argv that runs `argv` on host `name`: inside its network namespace and a UTS namespace of
 * its own whose hostname is `fleet-<name>` (what os.hostname() says there: BullMQ's worker names).
 */
export function onHost(name: string, argv: string[]): string[] {
  return [
    'ip', 'netns', 'exec', namespaceOf(name),
    'unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', hostnameOf(name), ...argv,
  ]; // prettier-ignore
}

/**
 * Runs `argv` on host `name` to completion (bounded) with exactly `env` (plus PATH): a host's
 * programs see its own environment, not the test runner's.
 */
export function runOnHost(
  name: string,
  argv: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<Ran> {
  const [cmd, ...args] = onHost(name, argv);
  return new Promise((done, fail) => {
    const child = spawn(cmd!, args, { env: hostEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

/** A finished command: its exit code (null when killed) and its stdout and stderr interleaved. */
export interface Ran {
  code: number | null;
  out: string;
}

/** A host's base environment: the system's PATH, a neutral locale, and what the host is given. */
export const hostEnv = (env: Record<string, string>): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin',
  LANG: 'C.UTF-8',
  ...env,
});
