// How the app's own metrics reach CloudWatch without the app knowing CloudWatch exists: every
// process already serves Prometheus text on /metrics (loopback); the CloudWatch agent on the host
// scrapes it once a minute and turns the selected series into CloudWatch metrics through the
// embedded metric format (its documented Prometheus support on EC2). The alarms and the worker
// scaling policy read those metrics.
import type { AgentTarget } from './host-bootstrap.js';

export const AGENT_CONFIG_PATH = '/opt/aws/amazon-cloudwatch-agent/etc/market-scanner.json';
export const PROMETHEUS_CONFIG_PATH =
  '/opt/aws/amazon-cloudwatch-agent/etc/market-scanner-prometheus.yaml';

/** CloudWatch namespace of the app's metrics and of the agent's host metrics. */
export const METRICS_NAMESPACE = 'MarketScanner';

/**
 * The series taken from /metrics (libs/observability/metrics.ts). The rest is dropped at the
 * scrape: the agent would otherwise ship every histogram bucket to CloudWatch Logs, paid per GB.
 * - `health_ready`: 1 while the process's readiness checks pass (PostgreSQL and Redis), else 0.
 * - `scan_queue_backlog`: scans waiting for a worker (BullMQ's waiting + prioritized), the same
 *   number in every process, so the Average over the processes is the backlog.
 */
export const SCRAPED_METRICS = ['health_ready', 'scan_queue_backlog'] as const;
export type ScrapedMetric = (typeof SCRAPED_METRICS)[number];

/** The one dimension the app's metrics carry in CloudWatch: the stack that made the hosts. */
export const STACK_DIMENSION = 'Stack';

const JOB = 'market-scanner';

/** The agent's Prometheus scrape configuration (standard Prometheus YAML; JSON is valid YAML). */
export function prometheusConfig(agent: AgentTarget): string {
  return JSON.stringify(
    {
      global: { scrape_interval: '1m', scrape_timeout: '10s' },
      scrape_configs: [
        {
          job_name: JOB,
          sample_limit: 10000,
          static_configs: [
            {
              targets: agent.ports.map((port) => `127.0.0.1:${port}`),
              labels: { [STACK_DIMENSION]: agent.stackName },
            },
          ],
          metric_relabel_configs: [
            { source_labels: ['__name__'], regex: SCRAPED_METRICS.join('|'), action: 'keep' },
          ],
        },
      ],
    },
    null,
    2,
  );
}

/** The agent's own configuration: the Prometheus pipeline above plus memory and root-disk use. */
export function agentConfig(agent: AgentTarget): string {
  return JSON.stringify(
    {
      agent: { metrics_collection_interval: 60, run_as_user: 'cwagent' },
      logs: {
        metrics_collected: {
          prometheus: {
            log_group_name: agent.logGroupName,
            prometheus_config_path: PROMETHEUS_CONFIG_PATH,
            emf_processor: {
              metric_declaration_dedup: true,
              metric_namespace: METRICS_NAMESPACE,
              metric_unit: { health_ready: 'None', scan_queue_backlog: 'Count' },
              metric_declaration: [
                {
                  source_labels: ['job'],
                  label_matcher: `^${JOB}$`,
                  dimensions: [[STACK_DIMENSION]],
                  metric_selectors: SCRAPED_METRICS.map((name) => `^${name}$`),
                },
              ],
            },
          },
        },
      },
      metrics: {
        namespace: METRICS_NAMESPACE,
        append_dimensions: { InstanceId: '${aws:InstanceId}' },
        // Also one series per instance without the device and file-system dimensions, which the
        // alarms could not name in advance.
        aggregation_dimensions: [['InstanceId']],
        metrics_collected: {
          mem: { measurement: ['mem_used_percent'] },
          disk: { measurement: ['used_percent'], resources: ['/'] },
        },
      },
    },
    null,
    2,
  );
}
