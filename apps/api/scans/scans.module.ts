import { Module } from '@nestjs/common';
import { ScanQueueModule } from '#jobs';
import { ScanBudgetInterceptor } from './scan-budget.interceptor.js';
import { ScanCache } from './scan-cache.js';
import { ScanEventsService } from './scan-events.service.js';
import { AlertsRelayModule } from '../alerts-relay/alerts-relay.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TradingCalendarModule } from '../calendar/trading-calendar.module.js';
import { RateLimitStorageModule } from '../rate-limit/rate-limit-storage.module.js';
import { ScansController } from './scans.controller.js';
import { ScansGateway } from './scans.gateway.js';
import { ScansRepository } from './scans.repository.js';
import { ScansService } from './scans.service.js';
import { WsAdmission } from './ws.admission.js';
import { WsRelay } from './ws.relay.js';
import { WsSubscriptions } from './ws.subscriptions.js';

/**
 * POST/GET /v1/scans and the WebSocket at /v1/ws. The api registers the scan producer only; the
 * worker owns the processor.
 */
@Module({
  imports: [
    AlertsRelayModule,
    AuthModule,
    RateLimitStorageModule,
    ScanQueueModule,
    TradingCalendarModule,
  ],
  controllers: [ScansController],
  providers: [
    ScansService,
    ScansRepository,
    ScanCache,
    ScanBudgetInterceptor,
    ScanEventsService,
    ScansGateway,
    WsAdmission,
    WsSubscriptions,
    WsRelay,
  ],
  exports: [ScansService],
})
export class ScansModule {}
