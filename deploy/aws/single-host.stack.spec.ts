import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Peer, Port } from 'aws-cdk-lib/aws-ec2';
import { acknowledgements, violations } from './checks.js';
import { buildApp, type Built, templateOf, userDataText } from './stacks.fixture.js';

const rules = (built: Built) => violations(built.host).map((v) => v.rule);

describe('SingleHostStack', () => {
  let built: Built;
  let template: Template;
  before(() => {
    built = buildApp();
    template = templateOf(built.host);
  });

  it('synthesizes with no network: every lookup is answered by the committed context', () => {
    const manifest = built.app.synth().manifest;
    assert.equal(manifest.missing, undefined);
  });

  it('opens 80 and 443 to the internet and nothing else: no SSH, no other rule', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.exact([
        Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]),
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    for (const instance of Object.values(template.findResources('AWS::EC2::Instance')))
      assert.equal(instance['Properties'].KeyName, undefined, 'no SSH key pair');
  });

  it('requires IMDSv2 and encrypts the root volume', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
      BlockDeviceMappings: [
        { DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3' }) },
      ],
      // Resolved by EC2 at launch: a newer AMI never replaces the running host on a deploy.
      ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      DisableApiTermination: true,
    });
  });

  it('gives the host Session Manager, the CloudWatch agent and pulls from one ECR repository', () => {
    const managed = (name: string) =>
      Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:iam::aws:policy/${name}`])] });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })],
      }),
      ManagedPolicyArns: [managed('AmazonSSMManagedInstanceCore'), managed('CloudWatchAgentServerPolicy')], // prettier-ignore
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], // prettier-ignore
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':repository/market-scanner$')])] }, // prettier-ignore
          }),
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
        ]),
      }),
    });
  });

  it("runs provision.sh on first boot with the stack's settings, quoted", () => {
    const [instance] = Object.values(template.findResources('AWS::EC2::Instance'));
    const script = userDataText(instance!['Properties'].UserData);
    assert.match(script, /^#!\/bin\/bash\nset -euo pipefail\n/);
    assert.ok(
      script.includes(
        "git clone --quiet 'https://github.com/example/market-scanner.git' /opt/market-scanner/src\n" +
          "git -C /opt/market-scanner/src checkout --quiet 'v1.4.0'\n",
      ),
    );
    assert.ok(
      script.includes(
        "/opt/market-scanner/src/deploy/ec2/provision.sh '--domain' 'scanner.example.org' '--repo' " +
          "'https://github.com/example/market-scanner.git' '--ref' 'v1.4.0' '--email' 'ops@example.org' " +
          "'--with-postgres' '--api-procs' '2' '--worker-procs' '2'\n",
      ),
      script,
    );
    // The agent starts before provision.sh and scrapes every process of the host.
    assert.ok(script.indexOf('amazon-cloudwatch-agent-ctl') < script.indexOf('provision.sh'));
    for (const port of [3001, 3002, 3101, 3102]) assert.ok(script.includes(`"127.0.0.1:${port}"`));
  });

  it('tags the host as the CI deploy job looks for it (App, Environment)', () => {
    template.hasResourceProperties('AWS::EC2::Instance', {
      Tags: Match.arrayWith([
        { Key: 'App', Value: 'market-scanner' },
        { Key: 'Environment', Value: 'production' },
      ]),
    });
  });

  it('attaches an Elastic IP to the instance', () => {
    const [instanceId] = Object.keys(template.findResources('AWS::EC2::Instance'));
    const [eip] = Object.keys(template.findResources('AWS::EC2::EIP'));
    template.hasResourceProperties('AWS::EC2::EIPAssociation', {
      AllocationId: { 'Fn::GetAtt': [eip, 'AllocationId'] },
      InstanceId: { Ref: instanceId },
    });
  });

  it('alarms on both status checks (recover, reboot), on readiness and on the disk', () => {
    const alarm = (metric: string, extra: object = {}) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, ...extra });
    alarm('StatusCheckFailed_System', {
      AlarmActions: Match.arrayWith([
        {
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':automate:.*:ec2:recover$')])],
        },
      ]),
    });
    alarm('StatusCheckFailed_Instance', {
      AlarmActions: Match.arrayWith([
        { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':automate:.*:ec2:reboot$')])] },
      ]),
    });
    // No process reporting at all (dead, or the agent down) is an outage too.
    alarm('health_ready', {
      Namespace: 'MarketScanner',
      Dimensions: [{ Name: 'Stack', Value: 'MarketScannerHost' }],
      Statistic: 'Minimum',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    alarm('disk_used_percent', { Threshold: 85 });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.org' }); // prettier-ignore
  });

  it('points the domain at the Elastic IP when given a hosted zone, before the host boots', () => {
    const zoned = buildApp({ hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.org' });
    const t = templateOf(zoned.host);
    const [eip] = Object.keys(t.findResources('AWS::EC2::EIP'));
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'scanner.example.org.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
      ResourceRecords: [{ 'Fn::GetAtt': [eip, 'PublicIp'] }],
    });
    const [record] = Object.keys(t.findResources('AWS::Route53::RecordSet'));
    t.hasResource('AWS::EC2::Instance', { DependsOn: Match.arrayWith([record]) });
  });

  it("passes cdk-nag's AwsSolutions and the project's rules, each acknowledgement with its reason", () => {
    assert.deepEqual(violations(built.host), []);
    const acks = acknowledgements(built.host).filter((a) => a.id.startsWith('AwsSolutions'));
    assert.deepEqual(acks.map((a) => a.id).sort(), [
      'AwsSolutions-EC23',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/CloudWatchAgentServerPolicy]',
      'AwsSolutions-IAM5[Resource::*]',
    ]);
    for (const ack of acks) assert.ok(ack.reason.length >= 40, `${ack.id}: ${ack.reason}`);
  });

  it('fails the checks when the instance stops requiring IMDSv2', () => {
    const variant = buildApp();
    variant.host.instance.instance.metadataOptions = { httpTokens: 'optional' };
    assert.deepEqual(rules(variant), ['MarketScanner-EC2IMDSv2Enabled']);
    assert.deepEqual(violations(variant.host)[0]?.paths, ['MarketScannerHost/Host/Resource']);
  });

  it('fails the checks when a rule opens port 22, even from a private range', () => {
    const fromVpc = buildApp();
    fromVpc.host.securityGroup.addIngressRule(Peer.ipv4('10.0.0.0/8'), Port.tcp(22));
    assert.deepEqual(rules(fromVpc), ['MarketScanner-NoSshIngress']);
    const fromAnywhere = buildApp();
    fromAnywhere.host.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcpRange(20, 30));
    assert.deepEqual(rules(fromAnywhere), [
      'MarketScanner-NoSshIngress',
      'MarketScanner-InternetIngressWebOnly',
    ]);
  });

  it('uses an existing VPC through committed context instead of creating one', () => {
    const first = buildApp({ vpcId: 'vpc-0abc' });
    const [missing] = first.app.synth().manifest.missing ?? [];
    assert.equal(missing?.provider, 'vpc-provider'); // what `cdk synth` with credentials looks up once
    const looked = {
      vpcId: 'vpc-0abc',
      vpcCidrBlock: '10.20.0.0/16',
      availabilityZones: ['eu-west-1a'],
      subnetGroups: [{ name: 'Public', type: 'Public', subnets: [{ subnetId: 'subnet-0pub', cidr: '10.20.0.0/24', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0pub' }] }], // prettier-ignore
    };
    const committed = buildApp({ vpcId: 'vpc-0abc', [missing!.key]: looked });
    const t = templateOf(committed.host);
    assert.equal(committed.app.synth().manifest.missing, undefined);
    t.resourceCountIs('AWS::EC2::VPC', 0);
    t.hasResourceProperties('AWS::EC2::Instance', { SubnetId: 'subnet-0pub' });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0abc' });
  });
});
