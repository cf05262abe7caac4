import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';

/** GET /v1/alerts: what an installation's watches recorded. Delivery is the worker's. */
@Module({
  controllers: [AlertsController],
  providers: [AlertsService],
})
export class AlertsModule {}
