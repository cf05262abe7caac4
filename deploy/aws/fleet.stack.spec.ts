import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnLaunchTemplate } from 'aws-cdk-lib/aws-ec2';
import { acknowledgements, violations } from './checks.js';
import { buildApp, type Built, SETTINGS, templateOf, userDataText } from './stacks.fixture.js';

/** Logical ids of the template's security groups, by the construct id they were made with. */
const groupIds = (t: Template): Record<string, string> =>
  Object.fromEntries(
    Object.keys(t.findResources('AWS::EC2::SecurityGroup')).map((id) => [id.replace(/Sg[0-9A-F]{8}$/, ''), id]), // prettier-ignore
  );

describe('FleetStack', () => {
  let built: Built;
  let t: Template;
  before(() => {
    built = buildApp();
    t = templateOf(built.fleet);
  });

  it('chains the security groups edge → api → data: nothing else reaches an api host or the data', () => {
    const sg = groupIds(t);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Load balancer'),
      SecurityGroupIngress: Match.exact([
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 }),
        Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
      ]),
    });
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => {
      const p = r['Properties'];
      return `${p.SourceSecurityGroupId['Fn::GetAtt'][0]} → ${p.GroupId['Fn::GetAtt'][0]}:${p.FromPort}-${p.ToPort}`; // prettier-ignore
    });
    assert.deepEqual(ingress.sort(), [
      `${sg['Api']} → ${sg['Data']}:5432-5432`,
      `${sg['Api']} → ${sg['Data']}:6379-6379`,
      `${sg['Edge']} → ${sg['Api']}:3001-3001`,
      `${sg['Edge']} → ${sg['Api']}:3002-3002`,
      `${sg['Worker']} → ${sg['Data']}:5432-5432`,
      `${sg['Worker']} → ${sg['Data']}:6379-6379`,
    ]);
    // The load balancer may open connections to the api processes only.
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r['Properties']); // prettier-ignore
    assert.deepEqual(
      egress.map((p) => `${p.GroupId['Fn::GetAtt'][0]} → ${p.DestinationSecurityGroupId['Fn::GetAtt'][0]}:${p.FromPort}`), // prettier-ignore
      [`${sg['Edge']} → ${sg['Api']}:3001`, `${sg['Edge']} → ${sg['Api']}:3002`],
    );
  });

  it('terminates TLS with the given certificate, redirects HTTP and keeps /metrics private', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: SETTINGS['certificateArn'] }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', StatusCode: 'HTTP_301' }) })], // prettier-ignore
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/metrics', '/metrics/*'] } }], // prettier-ignore
      Actions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })], // prettier-ignore
    });
    // WebSockets: connections idle for less than this stay open (the server pings every 25 s).
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '120' }]), // prettier-ignore
    });
  });

  it('spreads requests over every api process of every api host, each checked on /health/ready', () => {
    const groups = t.findResources('AWS::ElasticLoadBalancingV2::TargetGroup');
    assert.deepEqual(
      Object.values(groups)
        .map((g) => g['Properties'].Port)
        .sort(),
      [3001, 3002],
    );
    for (const g of Object.values(groups))
      assert.equal(g['Properties'].HealthCheckPath, '/health/ready');
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: Object.keys(groups).map((id) => ({ TargetGroupArn: { Ref: id }, Weight: 1 })) } }], // prettier-ignore
    });
    t.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      // The CI deploy job finds hosts by these tags: they must reach the instances.
      Tags: Match.arrayWith([
        { Key: 'App', PropagateAtLaunch: true, Value: 'market-scanner' },
        { Key: 'Environment', PropagateAtLaunch: true, Value: 'production' },
      ]),
      MinSize: '2',
      MaxSize: '6',
      HealthCheckType: 'ELB',
      TargetGroupARNs: Object.keys(groups).map((id) => ({ Ref: id })),
    });
  });

  it('scales the workers on scans waiting per worker host, a metric the workers publish', () => {
    const [workers] = Object.entries(t.findResources('AWS::AutoScaling::AutoScalingGroup')).filter(
      ([, g]) => g['Properties'].TargetGroupARNs === undefined,
    );
    t.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      AutoScalingGroupName: { Ref: workers![0] },
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: {
        TargetValue: 10,
        CustomizedMetricSpecification: {
          Metrics: [
            Match.objectLike({ Id: 'backlog', ReturnData: false, MetricStat: { Stat: 'Average', Metric: { Namespace: 'MarketScanner', MetricName: 'scan_queue_backlog', Dimensions: [{ Name: 'Stack', Value: 'MarketScannerFleet' }] } } }), // prettier-ignore
            Match.objectLike({ Id: 'hosts', ReturnData: false, MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'GroupInServiceInstances' }) }) }), // prettier-ignore
            Match.objectLike({ Id: 'perHost', Expression: 'backlog / hosts', ReturnData: true }),
          ],
        },
      },
    });
    // GroupInServiceInstances exists only when the group publishes it.
    assert.deepEqual(workers![1]['Properties'].MetricsCollection, [{ Granularity: '1Minute', Metrics: ['GroupInServiceInstances'] }]); // prettier-ignore
  });

  it('requires IMDSv2 and encrypted root volumes on every launch template', () => {
    const templates = Object.values(t.findResources('AWS::EC2::LaunchTemplate'));
    assert.equal(templates.length, 2);
    for (const lt of templates) {
      const data = lt['Properties'].LaunchTemplateData;
      assert.equal(data.MetadataOptions.HttpTokens, 'required');
      assert.equal(data.BlockDeviceMappings[0].Ebs.Encrypted, true);
      assert.equal(data.KeyName, undefined);
    }
  });

  it('forces TLS on PostgreSQL and keeps its password in Secrets Manager', () => {
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres16', Parameters: { 'rds.force_ssl': '1' } }); // prettier-ignore
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      StorageEncrypted: true,
      MultiAZ: true,
      PubliclyAccessible: false,
      DeletionProtection: true,
      MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] },
    });
  });

  it('runs Redis with TLS, an AUTH token from Secrets Manager and noeviction for BullMQ', () => {
    t.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthToken: { 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] },
      MultiAZEnabled: true,
    });
    t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'noeviction' } }); // prettier-ignore
  });

  it('boots api hosts with provision.sh --role api and the secrets as verify-full and rediss:// URLs', () => {
    const [api] = Object.values(t.findResources('AWS::EC2::LaunchTemplate')).filter((lt) =>
      JSON.stringify(lt).includes("'--role' 'api'"),
    );
    const script = userDataText(api!['Properties'].LaunchTemplateData.UserData);
    assert.match(script, /secretsmanager get-secret-value --region eu-west-1 /);
    assert.match(script, /sslmode=verify-full&sslrootcert=\/etc\/market-scanner\/tls\/rds-ca\.pem/);
    assert.match(
      script,
      /REDIS_URL=rediss:\/\/:%s@%s:%s\/0\\n' "\$redis_token" '\$\{Attr:DataRedis[0-9A-F]+\.PrimaryEndPoint\.Address\}'/,
    );
    assert.match(script, /TRUST_PROXY=%s\\n' '\$\{Attr:Vpc8378EB38\.CidrBlock\}'/);
    assert.ok(script.includes("provision.sh '--role' 'api' '--repo' 'https://github.com/example/market-scanner.git' '--ref' 'v1.4.0' '--api-procs' '2' --env-from \"$extra\""), script); // prettier-ignore
  });

  it("passes cdk-nag's AwsSolutions and the project's rules, each acknowledgement with its reason", () => {
    assert.deepEqual(violations(built.fleet), []);
    const acks = acknowledgements(built.fleet).filter((a) => a.id.startsWith('AwsSolutions'));
    assert.ok(acks.length > 0);
    for (const ack of acks) assert.ok(ack.reason.length >= 40, `${ack.id}: ${ack.reason}`);
  });

  it('fails the checks when a launch template stops requiring IMDSv2', () => {
    const variant = buildApp();
    const workers = variant.fleet.node.findChild('WorkersTemplate').node.defaultChild as CfnLaunchTemplate; // prettier-ignore
    const data = variant.fleet.resolve(workers.launchTemplateData) as CfnLaunchTemplate.LaunchTemplateDataProperty; // prettier-ignore
    workers.launchTemplateData = { ...data, metadataOptions: { httpTokens: 'optional' } };
    assert.deepEqual(violations(variant.fleet), [
      {
        rule: 'MarketScanner-EC2IMDSv2Enabled',
        paths: ['MarketScannerFleet/WorkersTemplate/Resource'],
      },
    ]);
  });
});
