import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { OnWorkerEvent, Processor } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApnsClient, PushDailyCap } from '#apns';
import { DrainingWorkerHost, JOBS, parseAlertDeliveryPayload, QUEUES } from '#jobs';
import { REDIS_CLIENT } from '#redis';
import { AlertDeliveryRepository } from './alert-delivery.repository.js';
import { alertPushStates, alertsPublished } from './alert-delivery.metrics.js';
import { AlertPusher, type PushCounts } from './alert-pusher.js';
import { AlertSocketsPublisher } from './alert-sockets.publisher.js';
import { APNS_SENDER } from './apns-sender.provider.js';

export interface DeliveryResult {
  published: number;
  pushes: PushCounts;
}

/**
 * Consumes the alert-delivery queue (the hand-off from watch evaluation, issue 17): for the job's
 * alerts not yet handled, publishes them to their installation's open WebSockets, then pushes them
 * through APNs. Every step claims its alerts in the database before sending, so a retried or
 * duplicated job never sends anything twice. Without APNs settings the pushes are recorded
 * `no-config` and the sockets still get their frames.
 */
@Processor(QUEUES.alertDelivery, { concurrency: 2 })
export class AlertDeliveryProcessor extends DrainingWorkerHost implements OnApplicationShutdown {
  private readonly logger = new Logger(AlertDeliveryProcessor.name);
  private readonly pusher: AlertPusher;

  constructor(
    private readonly store: AlertDeliveryRepository,
    private readonly sockets: AlertSocketsPublisher,
    @Inject(APNS_SENDER) private readonly sender: ApnsClient | null,
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.pusher = new AlertPusher(
      store,
      sender,
      new PushDailyCap(redis, config.apns.dailyCap, `${config.queuePrefix}:apns-pushes`),
      (group, outcome) => {
        const context = { installationId: group[0]!.installationId, watchId: group[0]!.watchId };
        if (outcome.kind === 'sent') return;
        if (outcome.kind === 'dead-token')
          this.logger.log({ ...context, reason: outcome.reason }, 'APNs token dead; dropped');
        else this.logger.warn({ ...context, ...outcome }, 'push not delivered');
      },
      (group, error) => this.logger.warn({ err: error, watchId: group[0]!.watchId }, 'push failed'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender?.close();
  }

  async process(job: Pick<Job, 'id' | 'name' | 'data'>): Promise<DeliveryResult> {
    if (job.name !== JOBS.deliverAlerts)
      throw new UnrecoverableError(
        `unknown job "${job.name}" on the ${QUEUES.alertDelivery} queue`,
      );
    const { dataVersion, alertIds } = parseAlertDeliveryPayload(job.data);
    const published = await this.sockets.publish(this.store, alertIds);
    alertsPublished.inc(published);
    const pushes = await this.pusher.push(alertIds);
    for (const [state, count] of Object.entries(pushes)) alertPushStates.inc({ state }, count);
    this.logger.log({ jobId: job.id, dataVersion, published, pushes }, 'alerts delivered');
    return { published, pushes };
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.logger.error(
      { jobId: job?.id, attemptsMade: job?.attemptsMade, err: error },
      'alert-delivery job failed',
    );
  }
}
