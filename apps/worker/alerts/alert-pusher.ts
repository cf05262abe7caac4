import type { Push, PushOutcome } from '#apns';
import type {
  AlertDeliveryRepository,
  ClaimedAlert,
  PushState,
} from './alert-delivery.repository.js';
import { pushText } from './alert-push.text.js';

/** What the pusher needs of the APNs client (a fake in unit specs). */
export interface PushSender {
  send(push: Push): Promise<PushOutcome>;
}

/** What it needs of the daily cap. */
export interface PushBudget {
  take(installationId: string): Promise<boolean>;
  giveBack(installationId: string): Promise<void>;
}

export type PushStore = Pick<
  AlertDeliveryRepository,
  'claimForPush' | 'pushTargets' | 'settle' | 'dropToken'
>;

/** Pushes of one job in flight at once: HTTP/2 multiplexes them on one connection. */
const IN_FLIGHT = 16;
/** How long APNs keeps a push for a phone that is offline: a day-old change is still news. */
const EXPIRY_SECONDS = 24 * 3600;

export type PushCounts = Partial<Record<Exclude<PushState, 'sending'>, number>>;

/**
 * The push half of alert delivery. The alerts of one watch in one job become ONE push (collapse id
 * = the watch id, so the phone keeps only a watch's newest), after the alerts are claimed
 * (push_state `sending`): a retried job finds them claimed and sends nothing again. Each group ends
 * in one state for all its alerts: `no-config` (no APNs settings), `no-token`, `capped` (the
 * installation's daily budget is spent), `sent`, `rejected` (APNs refused it; a dead token is
 * dropped from the installation) or `failed` (retries ran out).
 */
export class AlertPusher {
  constructor(
    private readonly store: PushStore,
    private readonly sender: PushSender | null,
    private readonly budget: PushBudget,
    private readonly onOutcome: (group: ClaimedAlert[], outcome: PushOutcome) => void = () => {},
    private readonly onError: (group: ClaimedAlert[], error: unknown) => void = () => {},
  ) {}

  async push(alertIds: readonly string[]): Promise<PushCounts> {
    const claimed = await this.store.claimForPush(alertIds);
    const counts: PushCounts = {};
    if (claimed.length === 0) return counts;
    const groups = groupByWatch(claimed);
    const settle = async (group: ClaimedAlert[], state: Exclude<PushState, 'sending'>) => {
      await this.store.settle(
        group.map((alert) => alert.id),
        state,
      );
      counts[state] = (counts[state] ?? 0) + group.length;
    };
    if (!this.sender) {
      await settle(claimed, 'no-config');
      return counts;
    }
    const targets = await this.store.pushTargets([
      ...new Set(claimed.map((a) => a.installationId)),
    ]);
    let next = 0;
    const lane = async () => {
      while (next < groups.length) {
        const group = groups[next++]!;
        let state: Exclude<PushState, 'sending'>;
        try {
          state = await this.pushGroup(group, targets);
        } catch (error) {
          // Redis (the cap) or the database failed mid-way: the group ends failed, never stuck.
          this.onError(group, error);
          state = 'failed';
        }
        await settle(group, state);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, groups.length) }, lane));
    return counts;
  }

  private async pushGroup(
    group: ClaimedAlert[],
    targets: Map<string, { token: string; environment: 'sandbox' | 'production' }>,
  ): Promise<Exclude<PushState, 'sending'>> {
    const { installationId, watchId, dataVersion } = group[0]!;
    const target = targets.get(installationId);
    if (!target) return 'no-token';
    if (!(await this.budget.take(installationId))) return 'capped';
    let outcome: PushOutcome;
    try {
      outcome = await this.sender!.send({
        deviceToken: target.token,
        environment: target.environment,
        ...pushText(group),
        collapseId: watchId,
        custom: { watchId, dataVersion, alertIds: group.map((alert) => alert.id) },
        expiresAt: Math.floor(Date.now() / 1000) + EXPIRY_SECONDS,
      });
    } catch (error) {
      outcome = { kind: 'failed', reason: (error as Error).message, attempts: 0 };
    }
    this.onOutcome(group, outcome);
    if (outcome.kind === 'sent') return 'sent';
    // It never reached the phone: it does not count against the day's budget.
    await this.budget.giveBack(installationId).catch(() => {});
    if (outcome.kind === 'dead-token') {
      await this.store.dropToken(installationId, target.token);
      // The other watches of this installation in this job send it nothing either.
      targets.delete(installationId);
    }
    return outcome.kind === 'failed' ? 'failed' : 'rejected';
  }
}

/** The alerts of each watch, in the order of their first alert. */
function groupByWatch(alerts: readonly ClaimedAlert[]): ClaimedAlert[][] {
  const groups = new Map<string, ClaimedAlert[]>();
  for (const alert of alerts) {
    const group = groups.get(alert.watchId);
    if (group) group.push(alert);
    else groups.set(alert.watchId, [alert]);
  }
  return [...groups.values()];
}
