import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { QUEUES } from '#jobs';
import { AlertDeliveryProcessor } from './alert-delivery.processor.js';
import { AlertDeliveryRepository } from './alert-delivery.repository.js';
import { AlertSocketsPublisher } from './alert-sockets.publisher.js';
import { apnsSenderProvider } from './apns-sender.provider.js';

/**
 * Alert delivery in the worker (issue 17): consumes the alert-delivery queue the watch evaluation
 * fills. Needs APP_CONFIG, the DataSource, REDIS_CLIENT and JobsModule.forRoot('consumer') from the
 * app; exports nothing.
 */
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.alertDelivery })],
  providers: [
    AlertDeliveryRepository,
    AlertSocketsPublisher,
    apnsSenderProvider,
    AlertDeliveryProcessor,
  ],
})
export class AlertsModule {}
