// The single host of docs/operations.md, made from code: one EC2 instance that runs
// deploy/ec2/provision.sh on first boot (Nginx with TLS on 80/443, Supervisor with the api and
// worker processes, Redis, optionally PostgreSQL), an Elastic IP, and alarms on its health.
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Ec2Action, Ec2InstanceAction, SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { CfnEIP, CfnEIPAssociation, HttpTokens, Instance, InstanceType, type IVpc, Peer, Port, SecurityGroup, SubnetType, UserData, Vpc } from 'aws-cdk-lib/aws-ec2'; // prettier-ignore
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { acknowledge, WEB_PORTS } from './checks.js';
import { METRICS_NAMESPACE, STACK_DIMENSION } from './cloudwatch-agent.js';
import { type SingleHostProvision, processPorts, singleHostScript } from './host-bootstrap.js';
import { addFlowLog, agentLogGroup, ALARM_PERIOD, ALARM_PERIODS, alarmTopic, amazonLinux2023, DEFAULT_ECR_REPOSITORY, hostRole, rootVolume } from './host-parts.js'; // prettier-ignore

export interface SingleHostStackProps extends StackProps {
  /** provision.sh's options: domain, repository and ref, email, PostgreSQL, process counts. */
  readonly provision: SingleHostProvision;
  /** t3.large by default: 2 vCPUs for 2 api + 2 worker processes, 8 GiB (a worker holds 0.74 GB at 10,000 symbols). */
  readonly instanceType?: string;
  /** Root volume in GiB (30): the OS, releases (5 kept), logs (rotated), Redis AOF, PostgreSQL. */
  readonly volumeGb?: number;
  /**
   * An existing VPC with public subnets, found by `Vpc.fromLookup` — a lookup the CDK CLI answers
   * once with credentials and keeps in deploy/aws/cdk.context.json (commit it: synthesis then needs
   * no network). Without it, a new VPC.
   */
  readonly vpcId?: string;
  /** Route 53 zone holding `provision.domain`: an A record to the Elastic IP is created in it. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
  /** Address that gets the alarms (a subscription to confirm); none: the topic only. */
  readonly alarmEmail?: string;
  /** ECR repository the host may pull from (market-scanner). */
  readonly ecrRepository?: string;
  /** Termination protection (on): the host may hold the only copy of its database. */
  readonly terminationProtection?: boolean;
}

export class SingleHostStack extends Stack {
  readonly instance: Instance;
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SingleHostStackProps) {
    super(scope, id, props);
    const vpc: IVpc = props.vpcId
      ? Vpc.fromLookup(this, 'Vpc', { vpcId: props.vpcId })
      : this.newVpc();

    this.securityGroup = new SecurityGroup(this, 'Web', {
      vpc,
      description: 'Market Scanner host: HTTP and HTTPS from anywhere, nothing else (no SSH)',
      allowAllOutbound: true, // packages, git, Let's Encrypt, SSM, CloudWatch, a managed database
    });
    for (const port of WEB_PORTS)
      this.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(port), `${port} from anywhere`);
    acknowledge(
      this.securityGroup,
      'AwsSolutions-EC23',
      'A public web server: 80 (ACME challenges, redirect) and 443 are open to all; MarketScanner-InternetIngressWebOnly holds it to those two.',
    );

    const logGroup = agentLogGroup(this);
    const userData = UserData.forLinux();
    const p = props.provision;
    userData.addCommands(
      ...singleHostScript(p, {
        logGroupName: logGroup.logGroupName,
        stackName: this.stackName,
        ports: [...processPorts(3000, p.apiProcs), ...processPorts(3100, p.workerProcs)],
      }),
    );

    this.instance = new Instance(this, 'Host', {
      vpc,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      instanceType: new InstanceType(props.instanceType ?? 't3.large'),
      machineImage: amazonLinux2023(),
      securityGroup: this.securityGroup,
      role: hostRole(this, 'HostRole', props.ecrRepository ?? DEFAULT_ECR_REPOSITORY),
      userData,
      blockDevices: rootVolume(props.volumeGb ?? 30),
      httpTokens: HttpTokens.REQUIRED,
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      disableApiTermination: props.terminationProtection ?? true,
    });
    logGroup.grantWrite(this.instance);

    // The address and its association are separate resources: the DNS record needs the address
    // before the instance exists (certbot on first boot resolves the name).
    const eip = new CfnEIP(this, 'Address', { domain: 'vpc' });
    new CfnEIPAssociation(this, 'AddressAssociation', {
      allocationId: eip.attrAllocationId,
      instanceId: this.instance.instanceId,
    });
    if (props.hostedZone) {
      const zone = HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: props.hostedZone.id,
        zoneName: props.hostedZone.name,
      });
      const record = new ARecord(this, 'DomainRecord', {
        zone,
        recordName: `${p.domain}.`,
        target: RecordTarget.fromIpAddresses(eip.attrPublicIp),
      });
      // provision.sh --email asks Let's Encrypt for a certificate: the name must resolve first.
      this.instance.node.addDependency(record);
    }

    this.addAlarms(props.alarmEmail);
    new CfnOutput(this, 'PublicIp', { value: eip.attrPublicIp, description: 'Point the domain here' }); // prettier-ignore
    new CfnOutput(this, 'InstanceId', { value: this.instance.instanceId });
    new CfnOutput(this, 'Session', {
      value: Fn.join('', ['aws ssm start-session --target ', this.instance.instanceId]),
      description: 'A shell on the host (Session Manager; no SSH)',
    });
  }

  /** One AZ, public subnets only: the host needs a public address, not a NAT gateway. */
  private newVpc(): Vpc {
    const vpc = new Vpc(this, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
    });
    addFlowLog(vpc);
    return vpc;
  }

  private addAlarms(email: string | undefined): void {
    const notify = new SnsAction(alarmTopic(this, email));
    const instanceId = this.instance.instanceId;
    const ec2Metric = (metricName: string) =>
      new Metric({ namespace: 'AWS/EC2', metricName, dimensionsMap: { InstanceId: instanceId }, statistic: 'Maximum', period: ALARM_PERIOD }); // prettier-ignore
    const alarm = (id: string, description: string, props: Omit<ConstructorParameters<typeof Alarm>[2], 'evaluationPeriods'>) => {
      const a = new Alarm(this, id, { evaluationPeriods: ALARM_PERIODS, alarmDescription: description, ...props });
      a.addAlarmAction(notify);
      a.addOkAction(notify);
      return a;
    }; // prettier-ignore

    // The hardware or hypervisor under the host failed: EC2 moves it to healthy hardware (same
    // instance id, volume and Elastic IP).
    alarm('SystemStatus', 'EC2 system status check failed: recovering the instance', {
      metric: ec2Metric('StatusCheckFailed_System'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.MISSING,
    }).addAlarmAction(new Ec2Action(Ec2InstanceAction.RECOVER));
    // The OS stopped answering (kernel panic, memory exhausted, network misconfigured): a reboot.
    alarm('InstanceStatus', 'EC2 instance status check failed: rebooting', {
      metric: ec2Metric('StatusCheckFailed_Instance'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.MISSING,
    }).addAlarmAction(new Ec2Action(Ec2InstanceAction.REBOOT));
    // The app: every process scraped by the agent must report ready (PostgreSQL and Redis answer).
    // No data means no process answered the scrape (or the agent is down): that is an outage too.
    alarm('AppNotReady', 'A Market Scanner process is not ready, or none reports at all', {
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'health_ready',
        dimensionsMap: { [STACK_DIMENSION]: this.stackName },
        statistic: 'Minimum',
        period: ALARM_PERIOD,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
    alarm('DiskFull', 'The root volume is more than 85 % full', {
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'disk_used_percent',
        dimensionsMap: { InstanceId: instanceId },
        statistic: 'Maximum',
        period: ALARM_PERIOD,
      }),
      threshold: 85,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.MISSING,
    });
  }
}
