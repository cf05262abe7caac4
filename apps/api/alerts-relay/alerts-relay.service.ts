import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { alertsChannel, parseAlertsMessage } from '#redis';
import { AlertSockets } from './alert-sockets.js';

/**
 * Alerts from the worker's delivery (Redis pub/sub, so every api process hears every alert) to
 * this process's sockets of the alert's installation. A subscribing connection can do nothing
 * else, so it is its own: it reconnects forever and resubscribes by itself (ioredis), and a
 * message published while it is away is lost — the alert is still in GET /v1/alerts.
 */
@Injectable()
export class AlertsRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AlertsRelay.name);
  private subscriber: Redis | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sockets: AlertSockets,
  ) {}

  onModuleInit(): void {
    const channel = alertsChannel(this.config.queuePrefix);
    const subscriber = new Redis(this.config.redisUrl, {
      connectionName: 'market-scanner-alerts',
      ...(this.config.redisTlsCa ? { tls: { ca: this.config.redisTlsCa } } : {}),
      // Waits for Redis instead of failing: there is no request to answer in the meantime.
      maxRetriesPerRequest: null,
      retryStrategy: (attempt) => Math.min(attempt * 200, 1000),
    });
    subscriber.on('error', () => {}); // health reports Redis; a log per reconnect would be noise
    subscriber.on('message', (_channel: string, text: string) => {
      const message = parseAlertsMessage(text);
      if (!message) return this.logger.warn({ channel }, 'malformed alerts message ignored');
      this.sockets.deliver(message.installationId, message.alerts);
    });
    subscriber
      .subscribe(channel)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'alerts channel not subscribed'));
    this.subscriber = subscriber;
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
  }
}
