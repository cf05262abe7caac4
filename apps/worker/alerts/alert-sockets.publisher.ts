import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { alertsChannel, REDIS_CLIENT, type AlertsMessage } from '#redis';
import type { AlertDeliveryRepository, ClaimedAlert } from './alert-delivery.repository.js';

/**
 * The WebSocket half of alert delivery: claims the alerts not yet published (ws_published_at) and
 * publishes them, one message per installation, on the alerts channel every api process listens
 * to. Claimed first, so a retried job publishes nothing twice; a publish that fails after the
 * claim loses only the live frame — GET /v1/alerts still lists the alert (the socket is an
 * accelerator, as for scans).
 */
@Injectable()
export class AlertSocketsPublisher {
  private readonly channel: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = alertsChannel(config.queuePrefix);
  }

  /** Returns how many alerts were published (claimed now). */
  async publish(
    store: Pick<AlertDeliveryRepository, 'claimForSockets'>,
    alertIds: readonly string[],
  ): Promise<number> {
    const claimed = await store.claimForSockets(alertIds);
    const byInstallation = new Map<string, ClaimedAlert[]>();
    for (const alert of claimed) {
      const list = byInstallation.get(alert.installationId) ?? [];
      list.push(alert);
      byInstallation.set(alert.installationId, list);
    }
    for (const [installationId, alerts] of byInstallation) {
      const message: AlertsMessage = {
        installationId,
        alerts: alerts.map(({ installationId: _, ...view }) => view),
      };
      await this.redis.publish(this.channel, JSON.stringify(message));
    }
    return claimed.length;
  }
}
