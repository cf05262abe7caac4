// The fleet of docs/scaling.md on EC2: an Application Load Balancer (TLS, WebSockets) in front of
// api hosts in an Auto Scaling group, worker hosts in a second group scaled on the scan backlog
// the workers publish, and RDS PostgreSQL + ElastiCache Redis (fleet-data.ts). Security groups
// chain edge → api → data; workers reach data only; nothing reaches a worker.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AdditionalHealthCheckType, AutoScalingGroup, CfnScalingPolicy, GroupMetric, GroupMetrics, HealthChecks } from 'aws-cdk-lib/aws-autoscaling'; // prettier-ignore
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { InstanceType, LaunchTemplate, Peer, Port, SecurityGroup, SubnetType, UserData, Vpc } from 'aws-cdk-lib/aws-ec2'; // prettier-ignore
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, WEB_PORTS } from './checks.js';
import { METRICS_NAMESPACE, STACK_DIMENSION } from './cloudwatch-agent.js';
import { FleetData, type FleetDataProps, POSTGRES_PORT, REDIS_PORT } from './fleet-data.js';
import { FleetEdge } from './fleet-edge.js';
import { type AppSource, checkCount, type FleetHostBoot, fleetHostScript, processPorts } from './host-bootstrap.js'; // prettier-ignore
import { addFlowLog, agentLogGroup, ALARM_PERIOD, ALARM_PERIODS, alarmTopic, amazonLinux2023, DEFAULT_ECR_REPOSITORY, hostRole, rootVolume } from './host-parts.js'; // prettier-ignore

export interface HostGroupSettings {
  readonly instanceType?: string;
  readonly min?: number;
  readonly max?: number;
  /** Processes per host (one per vCPU: each is single-threaded). */
  readonly procs?: number;
}

export interface FleetStackProps extends StackProps {
  readonly source: AppSource;
  /** ACM certificate for the load balancer's HTTPS listener (in the stack's region). */
  readonly certificateArn: string;
  /** c7i.large × 2..6, 2 api processes each; scaled on CPU (60 %). */
  readonly api?: HostGroupSettings;
  /** c7i.large × 1..8, 2 worker processes each; scaled on scans waiting per worker host. */
  readonly workers?: HostGroupSettings & { readonly backlogPerHost?: number };
  readonly data?: Omit<FleetDataProps, 'vpc' | 'securityGroup'>;
  /** NAT gateways for the hosts' outbound traffic (1; 2 survives an AZ outage, at twice the cost). */
  readonly natGateways?: number;
  /** Idle seconds before the load balancer closes a connection (120; the server pings every 25 s). */
  readonly idleTimeoutSeconds?: number;
  readonly alarmEmail?: string;
  readonly ecrRepository?: string;
}

const API_BASE_PORT = 3000;
const WORKER_BASE_PORT = 3100;

export class FleetStack extends Stack {
  readonly vpc: Vpc;
  readonly api: AutoScalingGroup;
  readonly workers: AutoScalingGroup;
  readonly data: FleetData;
  readonly edge: FleetEdge;

  constructor(scope: Construct, id: string, props: FleetStackProps) {
    super(scope, id, props);
    const api = { instanceType: 'c7i.large', min: 2, max: 6, procs: 2, ...props.api };
    const workers = { instanceType: 'c7i.large', min: 1, max: 8, procs: 2, backlogPerHost: 10, ...props.workers }; // prettier-ignore
    checkCount('api.procs', api.procs, 1, 5); // one target group per process; a listener forwards to ≤ 5
    checkCount('workers.procs', workers.procs, 1, 99);

    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'edge', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'hosts', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    addFlowLog(this.vpc);

    const sg = (name: string, description: string, allowAllOutbound: boolean) =>
      new SecurityGroup(this, name, { vpc: this.vpc, description, allowAllOutbound });
    const edgeSg = sg('EdgeSg', 'Load balancer: HTTP and HTTPS from anywhere', false);
    const apiSg = sg('ApiSg', 'api hosts: their process ports from the load balancer only', true);
    const workerSg = sg('WorkerSg', 'worker hosts: nothing inbound', true);
    const dataSg = sg('DataSg', 'PostgreSQL and Redis: from the api and worker hosts only', false);
    for (const port of WEB_PORTS) edgeSg.addIngressRule(Peer.anyIpv4(), Port.tcp(port), `${port} from anywhere`); // prettier-ignore
    acknowledge(edgeSg, 'AwsSolutions-EC23', 'The public edge: 80 (redirect) and 443 open to all; MarketScanner-InternetIngressWebOnly holds it to those two.'); // prettier-ignore
    for (const host of [apiSg, workerSg]) {
      dataSg.addIngressRule(host, Port.tcp(POSTGRES_PORT), 'PostgreSQL from app hosts');
      dataSg.addIngressRule(host, Port.tcp(REDIS_PORT), 'Redis from app hosts');
    }

    this.data = new FleetData(this, 'Data', {
      vpc: this.vpc,
      securityGroup: dataSg,
      ...props.data,
    });
    const logGroup = agentLogGroup(this);
    const ecr = props.ecrRepository ?? DEFAULT_ECR_REPOSITORY;
    const boot = (role: 'api' | 'worker', procs: number) => ({
      ...props.source,
      role,
      procs,
      region: this.region,
      databaseSecretArn: this.data.databaseSecretArn,
      redisTokenArn: this.data.redisToken.secretArn,
      redisHost: this.data.redis.attrPrimaryEndPointAddress,
      redisPort: this.data.redis.attrPrimaryEndPointPort,
      // The load balancer connects from its subnets' addresses, inside the VPC's range (only it
      // reaches the api ports). A range needs TRUST_PROXY to take CIDR ranges (issue 13, item 6):
      // with `loopback` or `none`, every client would share the load balancer's per-address limits.
      trustedProxies: role === 'api' ? this.vpc.vpcCidrBlock : undefined,
    });

    this.api = this.hostGroup('Api', api, apiSg, boot('api', api.procs), logGroup, ecr);
    this.api.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    this.edge = new FleetEdge(this, 'Edge', {
      vpc: this.vpc,
      securityGroup: edgeSg,
      certificateArn: props.certificateArn,
      idleTimeout: Duration.seconds(props.idleTimeoutSeconds ?? 120),
      targets: this.api,
      ports: processPorts(API_BASE_PORT, api.procs),
    });

    this.workers = this.hostGroup('Workers', workers, workerSg, boot('worker', workers.procs), logGroup, ecr); // prettier-ignore
    this.scaleOnBacklog(workers.backlogPerHost);

    const notify = new SnsAction(alarmTopic(this, props.alarmEmail));
    this.data.addAlarms(notify);
    this.edge.addAlarms(notify);
    new Alarm(this, 'AppNotReady', {
      alarmDescription: 'An api or worker process is not ready, or none reports at all',
      metric: this.appMetric('health_ready', 'Minimum'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: ALARM_PERIODS,
      treatMissingData: TreatMissingData.BREACHING,
    }).addAlarmAction(notify);

    new CfnOutput(this, 'LoadBalancerDns', {
      value: this.edge.loadBalancer.loadBalancerDnsName,
      description: 'Point the domain here (CNAME, or a Route 53 alias)',
    });
  }

  /** A metric the hosts' CloudWatch agents publish from the processes' /metrics. */
  private appMetric(metricName: string, statistic: string): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { [STACK_DIMENSION]: this.stackName },
      statistic,
      period: ALARM_PERIOD,
    });
  }

  private hostGroup(
    id: string,
    settings: Required<HostGroupSettings>,
    securityGroup: SecurityGroup,
    boot: FleetHostBoot,
    logGroup: LogGroup,
    ecr: string,
  ): AutoScalingGroup {
    const role: Role = hostRole(this, `${id}Role`, ecr);
    this.data.database.secret!.grantRead(role);
    this.data.redisToken.grantRead(role);
    logGroup.grantWrite(role);
    const base = boot.role === 'api' ? API_BASE_PORT : WORKER_BASE_PORT;
    const userData = UserData.forLinux();
    userData.addCommands(
      ...fleetHostScript(boot, {
        logGroupName: logGroup.logGroupName,
        stackName: this.stackName,
        ports: processPorts(base, settings.procs),
      }),
    );
    const launchTemplate = new LaunchTemplate(this, `${id}Template`, {
      machineImage: amazonLinux2023(),
      instanceType: new InstanceType(settings.instanceType),
      role,
      securityGroup,
      userData,
      blockDevices: rootVolume(20),
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
    });
    const group = new AutoScalingGroup(this, id, {
      vpc: this.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: settings.min,
      maxCapacity: settings.max,
      // A host boots, installs Node, builds the release and starts: minutes, not seconds.
      healthChecks:
        boot.role === 'api'
          ? HealthChecks.withAdditionalChecks({ additionalTypes: [AdditionalHealthCheckType.ELB], gracePeriod: Duration.minutes(15) }) // prettier-ignore
          : HealthChecks.ec2({ gracePeriod: Duration.minutes(15) }),
      groupMetrics: [new GroupMetrics(GroupMetric.IN_SERVICE_INSTANCES)],
      defaultInstanceWarmup: Duration.minutes(10),
    });
    acknowledge(group, 'AwsSolutions-AS3', 'Scaling activities are visible in the group\'s activity history and CloudWatch; the alarms cover what needs a person.'); // prettier-ignore
    return group;
  }

  /**
   * Target tracking on scans waiting per worker host: the backlog (every process reports the same
   * number, so their Average is it) divided by the hosts in service — the AWS-recommended
   * "backlog per instance" for queue consumers. CDK's TargetTrackingScalingPolicy takes a single
   * metric only, so the metric math is written on the CloudFormation resource.
   */
  private scaleOnBacklog(targetPerHost: number): void {
    new CfnScalingPolicy(this, 'WorkersBacklogScaling', {
      autoScalingGroupName: this.workers.autoScalingGroupName,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        targetValue: targetPerHost,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'backlog',
              metricStat: {
                metric: { namespace: METRICS_NAMESPACE, metricName: 'scan_queue_backlog', dimensions: [{ name: STACK_DIMENSION, value: this.stackName }] }, // prettier-ignore
                stat: 'Average',
              },
              returnData: false,
            },
            {
              id: 'hosts',
              metricStat: {
                metric: { namespace: 'AWS/AutoScaling', metricName: 'GroupInServiceInstances', dimensions: [{ name: 'AutoScalingGroupName', value: this.workers.autoScalingGroupName }] }, // prettier-ignore
                stat: 'Average',
              },
              returnData: false,
            },
            { id: 'perHost', expression: 'backlog / hosts', label: 'Scans waiting per worker host', returnData: true }, // prettier-ignore
          ],
        },
      },
    });
  }
}
