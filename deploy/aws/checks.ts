// The rules every stack here is held to, run by `cdk synth` (a violation stops synthesis) and by
// the specs: AWS's own pack (cdk-nag's AwsSolutions) and this project's, which adds what the host
// design promises and AwsSolutions does not check — IMDSv2 on every instance, no SSH from anywhere
// (Session Manager is the way in), and nothing but HTTP and HTTPS open to the internet.
import { type App, type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnAutoScalingGroup } from 'aws-cdk-lib/aws-autoscaling';
import { CfnInstance, CfnLaunchTemplate, CfnSecurityGroup, CfnSecurityGroupIngress } from 'aws-cdk-lib/aws-ec2'; // prettier-ignore
import type { IConstruct } from 'constructs';
import nag from 'cdk-nag';

const { AwsSolutionsChecks, NagMessageLevel, NagPack, NagRuleCompliance, NagRules } = nag;
type Compliance = (typeof NagRuleCompliance)[keyof typeof NagRuleCompliance];

/** Ports the internet may reach: HTTP (redirects and ACME challenges) and HTTPS. */
export const WEB_PORTS = [80, 443] as const;

interface Ingress {
  ipProtocol?: string;
  fromPort?: number;
  toPort?: number;
  cidrIp?: string;
  cidrIpv6?: string;
}

/** The ingress rules of a security group (inline) or a standalone ingress rule, resolved. */
function ingressOf(node: CfnResource): Ingress[] | undefined {
  const value = (raw: unknown) => NagRules.resolveIfPrimitive(node, raw) as unknown;
  const read = (rule: Record<string, unknown>): Ingress => ({
    ipProtocol: value(rule['ipProtocol']) as string | undefined,
    fromPort: value(rule['fromPort']) as number | undefined,
    toPort: value(rule['toPort']) as number | undefined,
    cidrIp: value(rule['cidrIp']) as string | undefined,
    cidrIpv6: value(rule['cidrIpv6']) as string | undefined,
  });
  if (node instanceof CfnSecurityGroup) {
    const inline = Stack.of(node).resolve(node.securityGroupIngress) as unknown[] | undefined;
    return (inline ?? []).map((r) => read(Stack.of(node).resolve(r) as Record<string, unknown>));
  }
  if (node instanceof CfnSecurityGroupIngress)
    return [read(node as unknown as Record<string, unknown>)];
  return undefined;
}

const allTraffic = (r: Ingress) => String(r.ipProtocol) === '-1' || r.fromPort === -1;
const covers = (r: Ingress, port: number) =>
  allTraffic(r) || ((r.fromPort ?? -1) <= port && port <= (r.toPort ?? r.fromPort ?? -1));
const fromAnywhere = (r: Ingress) => r.cidrIp === '0.0.0.0/0' || r.cidrIpv6 === '::/0';

const judge = (rulesOf: Ingress[] | undefined, bad: (r: Ingress) => boolean): Compliance =>
  rulesOf === undefined
    ? NagRuleCompliance.NOT_APPLICABLE
    : rulesOf.some(bad)
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;

const requiresTokens = (options: unknown): boolean =>
  (options as { httpTokens?: string } | undefined)?.httpTokens === 'required';

/** Whether `reference` (a launch template id or name, resolved) is a template of this stack. */
function inStackTemplate(node: CfnResource, reference: unknown): boolean {
  const stack = Stack.of(node);
  const ref = JSON.stringify(stack.resolve(reference));
  return stack.node
    .findAll()
    .some((c) => c instanceof CfnLaunchTemplate && JSON.stringify(stack.resolve(c.ref)) === ref);
}

/**
 * IMDSv2 on every launch template, and on every instance or Auto Scaling group either directly or
 * through a launch template of this stack (checked by the first clause). cdk-nag's own
 * EC2IMDSv2Enabled is not used: it pairs a group with the first launch template that has no name,
 * so a second, unnamed template without IMDSv2 went unnoticed (seen with aws-cdk-lib 2.278).
 */
export const imdsv2Required = (node: CfnResource): Compliance => {
  const stack = Stack.of(node);
  const verdict = (ok: boolean) => (ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT); // prettier-ignore
  if (node instanceof CfnLaunchTemplate) {
    const data = stack.resolve(node.launchTemplateData) as
      { metadataOptions?: unknown } | undefined;
    return verdict(requiresTokens(data?.metadataOptions));
  }
  if (node instanceof CfnInstance) {
    if (requiresTokens(stack.resolve(node.metadataOptions))) return NagRuleCompliance.COMPLIANT;
    const lt = stack.resolve(node.launchTemplate) as { launchTemplateId?: unknown } | undefined;
    return verdict(
      lt?.launchTemplateId !== undefined && inStackTemplate(node, lt.launchTemplateId),
    );
  }
  if (node instanceof CfnAutoScalingGroup) {
    const lt = stack.resolve(node.launchTemplate) as { launchTemplateId?: unknown } | undefined;
    return verdict(
      lt?.launchTemplateId !== undefined && inStackTemplate(node, lt.launchTemplateId),
    );
  }
  return NagRuleCompliance.NOT_APPLICABLE;
};

/** No ingress rule reaches port 22, from any source: hosts are reached through Session Manager. */
export const noSshIngress = (node: CfnResource): Compliance =>
  judge(ingressOf(node), (r) => String(r.ipProtocol) !== 'udp' && covers(r, 22));

/** Ingress from the whole internet is TCP 80 or 443 and nothing else. */
export const internetIngressWebOnly = (node: CfnResource): Compliance =>
  judge(
    ingressOf(node),
    (r) =>
      fromAnywhere(r) &&
      (allTraffic(r) ||
        String(r.ipProtocol) !== 'tcp' ||
        r.fromPort !== r.toPort ||
        !(WEB_PORTS as readonly number[]).includes(r.fromPort ?? -1)),
  );

/** This project's rules (ids `MarketScanner-…`), errors all. */
export class MarketScannerChecks extends NagPack {
  readonly name = 'MarketScanner';

  constructor(scope?: IConstruct) {
    super(scope);
    this.packName = 'MarketScanner';
  }

  protected checkResource(node: CfnResource): void {
    const level = NagMessageLevel.ERROR;
    this.applyRule({
      ruleSuffixOverride: 'EC2IMDSv2Enabled',
      info: 'An instance, launch template or Auto Scaling group does not require IMDSv2 (HttpTokens: required).',
      explanation:
        'IMDSv1 answers any request that reaches 169.254.169.254, so an SSRF in the app would hand out the role credentials.',
      level,
      rule: imdsv2Required,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'NoSshIngress',
      info: 'A security group rule admits port 22.',
      explanation: 'Hosts are operated through SSM Session Manager; no SSH port is open to anyone.',
      level,
      rule: noSshIngress,
      node,
    });
    this.applyRule({
      ruleSuffixOverride: 'InternetIngressWebOnly',
      info: 'A security group admits the internet on something other than TCP 80 or 443.',
      explanation:
        'Only the edge (Nginx or the load balancer) faces the internet, on HTTP and HTTPS.',
      level,
      rule: internetIngressWebOnly,
      node,
    });
  }
}

/** The packs `cdk synth` runs over the app (a violation stops synthesis). */
export function addChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new MarketScannerChecks(app));
}

/** One rule broken, and where: `AwsSolutions-EC23 at Stack/Sg/Resource`. */
export interface Violation {
  readonly rule: string;
  readonly paths: readonly string[];
}

/**
 * The violations of both packs in a synthesized scope (aspects, such as the ones CDK uses for
 * IMDSv2 on launch templates, have run by then), acknowledged ones left out.
 */
export function violations(scope: IConstruct): Violation[] {
  return [new AwsSolutionsChecks(), new MarketScannerChecks()].flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => ({
      rule: v.ruleName,
      paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
    })),
  );
}

/**
 * Acknowledges a rule on a construct with the reason it does not apply; the reason is required
 * and must say something (the specs list every acknowledgement with its reason).
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`acknowledging ${id}: give a real reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/** Every acknowledgement in a scope, as `{path, id, reason}` (for review and for the specs). */
export function acknowledgements(
  scope: IConstruct,
): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([key, reason]) => ({
          path: c.node.path,
          id: key.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}
