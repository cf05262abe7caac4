// Pieces the single host and the fleet share: the instance role, the root volume, the machine
// image, the VPC flow log, the agent's log group and the topic alarms notify.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { BlockDeviceVolume, type BlockDevice, EbsDeviceVolumeType, FlowLogDestination, type IMachineImage, MachineImage, type Vpc } from 'aws-cdk-lib/aws-ec2'; // prettier-ignore
import {
  Effect,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { acknowledge } from './checks.js';

/** ECR repository the CI pushes the image to (.github/workflows/ci-cd.yml); hosts may pull it. */
export const DEFAULT_ECR_REPOSITORY = 'market-scanner';

/**
 * Amazon Linux 2023's latest AMI, resolved by EC2 when an instance launches (`resolve:ssm:`), not
 * by CloudFormation at deploy time: a newer AMI never shows up as a template change, so a deploy
 * never replaces the single host (and its local data) behind your back.
 */
export const amazonLinux2023 = (): IMachineImage =>
  MachineImage.resolveSsmParameterAtLaunch(
    '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  );

/** The root volume: gp3, encrypted with the account's EBS key. */
export const rootVolume = (sizeGb: number): BlockDevice[] => [
  {
    deviceName: '/dev/xvda', // Amazon Linux 2023's root device
    volume: BlockDeviceVolume.ebs(sizeGb, {
      volumeType: EbsDeviceVolumeType.GP3,
      encrypted: true,
      deleteOnTermination: true,
    }),
  },
];

/**
 * The role of a host: Session Manager (the only way in), the CloudWatch agent, and pulling the
 * app's image from ECR (the CI builds it; a host may run it instead of building a release).
 */
export function hostRole(scope: Construct, id: string, ecrRepository: string): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
    description: 'Market Scanner host: SSM Session Manager, CloudWatch agent, ECR pull',
    managedPolicies: [
      ManagedPolicy.fromAwsManagedPolicyName('AmazonSSMManagedInstanceCore'),
      ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'),
    ],
  });
  const stack = Stack.of(scope);
  role.addToPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: ecrRepository })],
    }),
  ); // prettier-ignore
  role.addToPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ecr:GetAuthorizationToken'],
      resources: ['*'],
    }),
  );
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
    'The AWS-maintained policy Session Manager documents for instances; AWS keeps it in step with the agent.',
  );
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]',
    'The AWS-maintained policy the CloudWatch agent documents for EC2 hosts (metrics, EMF log events).',
  );
  acknowledge(
    role.node.findChild('DefaultPolicy'),
    'AwsSolutions-IAM5[Resource::*]',
    'ecr:GetAuthorizationToken has no resource-level permissions; image pulls are scoped to one repository.',
  );
  return role;
}

/** Where the CloudWatch agent writes the app's metrics as embedded-metric-format events. */
export const agentLogGroup = (scope: Construct): LogGroup =>
  new LogGroup(scope, 'AgentMetrics', {
    // The events only carry metrics that CloudWatch has extracted already: a week is plenty.
    retention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
  });

/** VPC flow logs (rejected and accepted traffic) into a log group kept a month. */
export function addFlowLog(vpc: Vpc): void {
  const group = new LogGroup(vpc, 'FlowLogGroup', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  vpc.addFlowLog('FlowLog', { destination: FlowLogDestination.toCloudWatchLogs(group) });
}

/** The topic every alarm notifies; with an address, an email subscription (confirm it once). */
export function alarmTopic(scope: Construct, email: string | undefined): Topic {
  const topic = new Topic(scope, 'Alarms', {
    enforceSSL: true,
    displayName: 'Market Scanner alarms',
  });
  if (email)
    new Subscription(scope, 'AlarmEmail', { topic, protocol: SubscriptionProtocol.EMAIL, endpoint: email }); // prettier-ignore
  return topic;
}

/** How long a metric may be bad before an alarm fires: three one-minute periods. */
export const ALARM_PERIOD = Duration.minutes(1);
export const ALARM_PERIODS = 3;
