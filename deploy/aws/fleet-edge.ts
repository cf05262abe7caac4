// The fleet's edge: an internet-facing Application Load Balancer doing what Nginx does on the
// single host — TLS (ACM certificate), HTTP → HTTPS, /metrics kept private, WebSockets held open —
// and spreading requests over every api process of every api host (one target group per process
// port, weighted equally), each process health-checked on /health/ready.
import { Duration } from 'aws-cdk-lib';
import type { AutoScalingGroup } from 'aws-cdk-lib/aws-autoscaling';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import type { ISecurityGroup, IVpc } from 'aws-cdk-lib/aws-ec2';
import { ApplicationListener, ApplicationLoadBalancer, ApplicationProtocol, ApplicationTargetGroup, HttpCodeElb, ListenerAction, ListenerCertificate, ListenerCondition, SslPolicy, TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2'; // prettier-ignore
import { Construct } from 'constructs';
import { acknowledge } from './checks.js';

export interface FleetEdgeProps {
  readonly vpc: IVpc;
  readonly securityGroup: ISecurityGroup;
  readonly certificateArn: string;
  readonly idleTimeout: Duration;
  readonly targets: AutoScalingGroup;
  /** The api processes' ports on every host (3001…). */
  readonly ports: readonly number[];
}

/** Nginx's answer for /metrics on the single host, as problem+json. */
const NOT_FOUND = JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 });

export class FleetEdge extends Construct {
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly https: ApplicationListener;
  readonly targetGroups: ApplicationTargetGroup[];

  constructor(scope: Construct, id: string, props: FleetEdgeProps) {
    super(scope, id);
    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: props.securityGroup,
      // WebSockets: the server pings every 25 s, so an open socket is never idle this long.
      idleTimeout: props.idleTimeout,
      dropInvalidHeaderFields: true,
      deletionProtection: true,
    });
    acknowledge(
      this.loadBalancer,
      'AwsSolutions-ELB2',
      'Every request is logged by the api with its X-Request-Id (JSON, pino); ALB access logs would need a bucket and its own retention. Turn them on with loadBalancer.logAccessLogs when needed.',
    );

    this.targetGroups = props.ports.map(
      (port) =>
        new ApplicationTargetGroup(this, `Api${port}`, {
          vpc: props.vpc,
          port,
          protocol: ApplicationProtocol.HTTP,
          targetType: TargetType.INSTANCE,
          targets: [props.targets],
          healthCheck: {
            path: '/health/ready',
            healthyHttpCodes: '200',
            interval: Duration.seconds(10),
            timeout: Duration.seconds(5),
            healthyThresholdCount: 2,
            unhealthyThresholdCount: 2,
          },
          // A process that stops takes no new requests while it finishes its own (Fastify's close).
          deregistrationDelay: Duration.seconds(30),
        }),
    );

    this.https = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [ListenerCertificate.fromArn(props.certificateArn)],
      sslPolicy: SslPolicy.RECOMMENDED_TLS, // TLS 1.2 and 1.3, forward secrecy only
      defaultAction: ListenerAction.weightedForward(
        this.targetGroups.map((targetGroup) => ({ targetGroup, weight: 1 })),
      ),
    });
    this.https.addAction('MetricsPrivate', {
      priority: 10,
      conditions: [ListenerCondition.pathPatterns(['/metrics', '/metrics/*'])],
      action: ListenerAction.fixedResponse(404, {
        contentType: 'application/problem+json',
        messageBody: NOT_FOUND,
      }),
    });
    this.loadBalancer.addListener('Http', {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
  }

  /** Unhealthy api processes, and the load balancer answering 5xx itself (no healthy target). */
  addAlarms(action: IAlarmAction): void {
    this.targetGroups.forEach((group, i) => {
      new Alarm(this, `UnhealthyApi${i + 1}`, {
        alarmDescription: `api process ${i + 1} failing /health/ready on some host`,
        metric: group.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    }); // prettier-ignore
    new Alarm(this, 'Edge5xx', {
      alarmDescription:
        'The load balancer answered 5xx itself (no healthy api process, or timeouts)',
      metric: this.loadBalancer.metrics.httpCodeElb(HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }), // prettier-ignore
      threshold: 10,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(action);
  }
}
