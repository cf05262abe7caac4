// The fleet's shared state: RDS PostgreSQL (TLS forced by rds.force_ssl) and ElastiCache Redis
// (TLS in transit, an AUTH token, noeviction as BullMQ requires), each password in Secrets
// Manager, both in isolated subnets behind one security group that admits the app hosts only.
import { Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { InstanceType, type ISecurityGroup, type IVpc, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { CfnParameterGroup, CfnReplicationGroup, CfnSubnetGroup } from 'aws-cdk-lib/aws-elasticache'; // prettier-ignore
import { CaCertificate, Credentials, DatabaseInstance, DatabaseInstanceEngine, ParameterGroup, PostgresEngineVersion, StorageType } from 'aws-cdk-lib/aws-rds'; // prettier-ignore
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './checks.js';

export const POSTGRES_PORT = 5432;
export const REDIS_PORT = 6379;

export interface FleetDataProps {
  readonly vpc: IVpc;
  /** Admits the api and worker hosts on 5432 and 6379 (the stack adds those rules). */
  readonly securityGroup: ISecurityGroup;
  /** db.t4g.medium: 2 vCPUs, 4 GiB. */
  readonly databaseInstanceType?: string;
  readonly databaseStorageGb?: number;
  /** A standby in a second AZ (on; off halves the database's cost and its availability). */
  readonly multiAz?: boolean;
  /** cache.t4g.small: 1.37 GiB, plenty for queues, caches and counters. */
  readonly redisNodeType?: string;
  /** Read replicas, which are also the failover targets (1). */
  readonly redisReplicas?: number;
}

export class FleetData extends Construct {
  readonly database: DatabaseInstance;
  readonly redis: CfnReplicationGroup;
  readonly redisToken: Secret;
  private readonly redisNodes: number;

  constructor(scope: Construct, id: string, props: FleetDataProps) {
    super(scope, id);
    const multiAz = props.multiAz ?? true;
    const isolated = props.vpc.selectSubnets({ subnetType: SubnetType.PRIVATE_ISOLATED });

    const engine = DatabaseInstanceEngine.postgres({ version: PostgresEngineVersion.VER_16 });
    this.database = new DatabaseInstance(this, 'Postgres', {
      engine,
      instanceType: new InstanceType(props.databaseInstanceType ?? 't4g.medium'),
      vpc: props.vpc,
      vpcSubnets: { subnets: isolated.subnets },
      securityGroups: [props.securityGroup],
      port: POSTGRES_PORT,
      databaseName: 'scanner',
      credentials: Credentials.fromGeneratedSecret('scanner'),
      // Plain connections refused by the server, not only by the app's sslmode=verify-full.
      parameterGroup: new ParameterGroup(this, 'PostgresParameters', {
        engine,
        parameters: { 'rds.force_ssl': '1' },
      }),
      caCertificate: CaCertificate.RDS_CA_RSA2048_G1,
      storageType: StorageType.GP3,
      allocatedStorage: props.databaseStorageGb ?? 50,
      maxAllocatedStorage: 4 * (props.databaseStorageGb ?? 50),
      storageEncrypted: true,
      multiAz,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: ['postgresql'],
      autoMinorVersionUpgrade: true,
    });

    this.redisToken = new Secret(this, 'RedisAuthToken', {
      description: 'Market Scanner: the ElastiCache Redis AUTH token',
      // AUTH tokens take printable ASCII but not every symbol; letters and digits are safe in a URL too.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const subnets = new CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Market Scanner Redis: isolated subnets',
      subnetIds: isolated.subnetIds,
    });
    const parameters = new CfnParameterGroup(this, 'RedisParameters', {
      cacheParameterGroupFamily: 'redis7',
      description: 'Market Scanner: BullMQ keys must never be evicted',
      properties: { 'maxmemory-policy': 'noeviction' },
    });
    const replicas = props.redisReplicas ?? 1;
    this.redisNodes = 1 + replicas;
    this.redis = new CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Market Scanner queue, caches and rate-limit counters',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.redisNodeType ?? 'cache.t4g.small',
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: replicas > 0,
      multiAzEnabled: replicas > 0,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: this.redisToken.secretValue.unsafeUnwrap(), // a {{resolve:secretsmanager}} reference, not the value
      cacheSubnetGroupName: subnets.ref,
      cacheParameterGroupName: parameters.ref,
      securityGroupIds: [props.securityGroup.securityGroupId],
      port: REDIS_PORT,
      snapshotRetentionLimit: 3,
    });

    const why = {
      'AwsSolutions-RDS11':
        'Only the app hosts reach the database (security group); a non-default port hides nothing from them.',
      'AwsSolutions-SMG4':
        'Hosts read the password into their env file at boot; rotation would need a reload of every host, done by hand (docs/operations.md).',
    };
    for (const [rule, reason] of Object.entries(why)) acknowledge(this.database, rule, reason);
    acknowledge(
      this.redis,
      'AwsSolutions-AEC5',
      'Only the app hosts reach Redis (security group); a non-default port hides nothing from them.',
    );
    acknowledge(this.redisToken, 'AwsSolutions-SMG4', why['AwsSolutions-SMG4'].replace('password', 'token')); // prettier-ignore
    if (!multiAz)
      acknowledge(this.database, 'AwsSolutions-RDS3', 'Single-AZ chosen explicitly (multiAz: false) to halve the cost.'); // prettier-ignore
    if (replicas === 0)
      acknowledge(this.redis, 'AwsSolutions-AEC4', 'No replica chosen explicitly (redisReplicas: 0) to halve the cost.'); // prettier-ignore
  }

  /** `postgres` secret's ARN and the Redis token's, for the hosts' roles and boot scripts. */
  get databaseSecretArn(): string {
    return this.database.secret!.secretArn;
  }

  /** Alarms on what fills up: database storage and Redis memory (noeviction: writes fail when full). */
  addAlarms(action: IAlarmAction): void {
    const alarms = [
      new Alarm(this, 'DatabaseStorageLow', {
        alarmDescription: 'Less than 5 GB free on the database (storage autoscaling may lag)',
        metric: this.database.metricFreeStorageSpace({ period: Duration.minutes(5), statistic: 'Minimum' }),
        threshold: 5 * 1024 ** 3,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.MISSING,
      }),
    ]; // prettier-ignore
    // ElastiCache reports per node (`<group>-001`, `-002`…), and the primary moves on failover.
    for (let node = 1; node <= this.redisNodes; node++)
      alarms.push(
        new Alarm(this, `RedisMemoryHigh${node}`, {
          alarmDescription: `Redis node ${node} above 80 % of its memory: with noeviction, enqueues fail when full`,
          metric: new Metric({
            namespace: 'AWS/ElastiCache',
            metricName: 'DatabaseMemoryUsagePercentage',
            dimensionsMap: { CacheClusterId: Fn.join('-', [this.redis.ref, String(node).padStart(3, '0')]) },
            statistic: 'Maximum',
            period: Duration.minutes(5),
          }),
          threshold: 80,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: TreatMissingData.MISSING,
        }),
      ); // prettier-ignore
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
