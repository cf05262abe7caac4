// The first-boot script of every host the stacks create (EC2 user data). It does as little as it
// can: fetch the repository at the release's ref, start the CloudWatch agent, and hand over to
// deploy/ec2/provision.sh — the same script an operator runs on a host made by hand — so a host
// made from code and one made in a console end up identical.
import {
  agentConfig,
  AGENT_CONFIG_PATH,
  PROMETHEUS_CONFIG_PATH,
  prometheusConfig,
} from './cloudwatch-agent.js';

/** Where the source checkout that provision.sh runs from is kept (its deploy/ scripts stay in use). */
export const SOURCE_DIR = '/opt/market-scanner/src';

/** What every host needs to install the app. */
export interface AppSource {
  /** A git URL the host can clone (https; a private repository needs a deploy key: not covered). */
  readonly repoUrl: string;
  /** Branch, tag or commit deployed on first boot (later releases come from deploy.sh through SSM). */
  readonly ref: string;
}

/** How the metrics of a host's processes reach CloudWatch (see cloudwatch-agent.ts). */
export interface AgentTarget {
  /** CloudWatch Logs group the agent writes its embedded-metric-format events to. */
  readonly logGroupName: string;
  /** Value of the `Stack` dimension: tells this deployment's metrics from another's. */
  readonly stackName: string;
  /** Ports of the local processes whose /metrics are scraped. */
  readonly ports: readonly number[];
}

/** Single quotes for the shell: nothing inside is expanded. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const CHECKS: Record<string, RegExp> = {
  // A host name of letters, digits and hyphens in dot-separated labels (what Nginx and certbot take).
  domain: /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
  repoUrl: /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[A-Za-z0-9._~/-]+$/,
  // git ref names: no spaces, no `..`, no shell metacharacters.
  ref: /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/,
  email: /^[^\s@'"`$\\]+@[^\s@'"`$\\]+\.[A-Za-z]{2,}$/,
  redisMaxmemory: /^\d+(kb|mb|gb)$/i,
};

/**
 * Refuses a setting that is not what it claims to be, at synthesis, naming it: a typo in a domain
 * found by `cdk synth` costs nothing; found by certbot on the host it costs a failed boot.
 */
export function checkSetting(name: keyof typeof CHECKS, value: string): string {
  const pattern = CHECKS[name];
  if (!pattern) throw new Error(`no check for ${name}`);
  if (!pattern.test(value)) throw new Error(`${name}: ${JSON.stringify(value)} is not valid`);
  return value;
}

export function checkCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name}: ${value} is not an integer in ${min}..${max}`);
  return value;
}

/** Ports of `count` processes numbered from 1 (supervisord.conf: api on 3001…, worker on 3101…). */
export const processPorts = (base: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => base + 1 + i);

/** Clone at the ref, start the agent: the lines every host runs before provision.sh. */
export function preludeLines(source: AppSource, agent: AgentTarget): string[] {
  const write = (path: string, body: string) => [
    `cat >${path} <<'MARKET_SCANNER_EOF'`,
    body,
    'MARKET_SCANNER_EOF',
  ];
  return [
    'set -euo pipefail',
    // cloud-init keeps this script's output in /var/log/cloud-init-output.log (read it through
    // Session Manager when a host does not come up).
    'echo "[bootstrap] $(date -Is) start"',
    'dnf install -y -q git amazon-cloudwatch-agent',
    `rm -rf ${SOURCE_DIR} && mkdir -p ${SOURCE_DIR}`,
    `git clone --quiet ${shellQuote(checkSetting('repoUrl', source.repoUrl))} ${SOURCE_DIR}`,
    `git -C ${SOURCE_DIR} checkout --quiet ${shellQuote(checkSetting('ref', source.ref))}`,
    ...write(PROMETHEUS_CONFIG_PATH, prometheusConfig(agent)),
    ...write(AGENT_CONFIG_PATH, agentConfig(agent)),
    '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s ' +
      `-c file:${AGENT_CONFIG_PATH}`,
  ];
}

/** provision.sh's options for the single host, from the stack's settings. */
export interface SingleHostProvision extends AppSource {
  readonly domain: string;
  readonly email?: string;
  readonly withPostgres: boolean;
  readonly apiProcs: number;
  readonly workerProcs: number;
  readonly redisMaxmemory?: string;
}

export function singleHostProvisionArgs(s: SingleHostProvision): string[] {
  return [
    '--domain', checkSetting('domain', s.domain),
    '--repo', s.repoUrl,
    '--ref', s.ref,
    ...(s.email ? ['--email', checkSetting('email', s.email)] : []),
    ...(s.withPostgres ? ['--with-postgres'] : []),
    '--api-procs', String(checkCount('apiProcs', s.apiProcs, 1, 99)),
    '--worker-procs', String(checkCount('workerProcs', s.workerProcs, 1, 99)),
    ...(s.redisMaxmemory ? ['--redis-maxmemory', checkSetting('redisMaxmemory', s.redisMaxmemory)] : []),
  ]; // prettier-ignore
}

export const provisionLine = (args: readonly string[]): string =>
  `${SOURCE_DIR}/deploy/ec2/provision.sh ${args.map(shellQuote).join(' ')}`;

/** The whole first-boot script of the single host. */
export function singleHostScript(s: SingleHostProvision, agent: AgentTarget): string[] {
  return [
    ...preludeLines(s, agent),
    provisionLine(singleHostProvisionArgs(s)),
    'echo "[bootstrap] $(date -Is) done"',
  ];
}

/** Amazon RDS's certificate authorities (every region), for `sslmode=verify-full`. */
export const RDS_CA_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
export const RDS_CA_PATH = '/etc/market-scanner/tls/rds-ca.pem';

/** What a fleet host is and where its shared state lives. */
export interface FleetHostBoot extends AppSource {
  readonly role: 'api' | 'worker';
  /** Processes of that role on the host. */
  readonly procs: number;
  readonly region: string;
  /** RDS's generated secret (JSON: username, password, host, port, dbname). */
  readonly databaseSecretArn: string;
  /** The Redis AUTH token (a plain string). */
  readonly redisTokenArn: string;
  readonly redisHost: string;
  readonly redisPort: string;
  /** api hosts: the peers allowed to set X-Forwarded-For (the load balancer's subnets). */
  readonly trustedProxies?: string;
}

// Reads RDS's secret from stdin and prints the env line, the user and password URL-encoded.
export const DATABASE_URL_FROM_SECRET =
  'import json,sys,urllib.parse as u;s=json.load(sys.stdin);q=lambda v:u.quote(str(v),safe="");' +
  'print("DATABASE_URL=postgres://%s:%s@%s:%s/%s?sslmode=verify-full&sslrootcert=' +
  RDS_CA_PATH +
  '"' +
  '%(q(s["username"]),q(s["password"]),s["host"],s["port"],q(s.get("dbname","scanner"))))';

/**
 * The first-boot script of a fleet host: the secrets become DATABASE_URL (verify-full against
 * RDS's CA) and REDIS_URL (rediss://) in a file only root reads, which provision.sh --env-from
 * merges into /etc/market-scanner/env before it deploys the ref.
 */
export function fleetHostScript(f: FleetHostBoot, agent: AgentTarget): string[] {
  const procs = String(checkCount('procs', f.procs, 1, 99));
  return [
    ...preludeLines(f, agent),
    'umask 077',
    'extra=$(mktemp)',
    `install -d -m 0755 ${RDS_CA_PATH.replace(/\/[^/]+$/, '')}`,
    `curl -fsSL --retry 5 ${RDS_CA_URL} -o ${RDS_CA_PATH}`,
    `chmod 0644 ${RDS_CA_PATH}`,
    `secret() { aws secretsmanager get-secret-value --region ${f.region} --secret-id "$1" --query SecretString --output text; }`,
    // An assignment, so that set -e stops the script when the secret cannot be read.
    `redis_token=$(secret ${shellQuote(f.redisTokenArn)})`,
    '{',
    `  secret ${shellQuote(f.databaseSecretArn)} | python3 -c ${shellQuote(DATABASE_URL_FROM_SECRET)}`,
    `  printf 'REDIS_URL=rediss://:%s@%s:%s/0\\n' "$redis_token" ${shellQuote(f.redisHost)} ${shellQuote(f.redisPort)}`,
    ...(f.trustedProxies ? [`  printf 'TRUST_PROXY=%s\\n' ${shellQuote(f.trustedProxies)}`] : []),
    '} >"$extra"',
    provisionLine([
      '--role', f.role,
      '--repo', f.repoUrl,
      '--ref', f.ref,
      f.role === 'api' ? '--api-procs' : '--worker-procs', procs,
    ]) + ' --env-from "$extra"',
    'rm -f "$extra"',
    'echo "[bootstrap] $(date -Is) done"',
  ]; // prettier-ignore
}
