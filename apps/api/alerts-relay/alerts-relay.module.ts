import { Module } from '@nestjs/common';
import { AlertSockets } from './alert-sockets.js';
import { AlertsRelay } from './alerts-relay.service.js';

/**
 * The api's half of alert delivery over WebSockets (issue 17): the sockets by installation, and
 * the subscription to the alerts channel the worker publishes on. The gateway registers its
 * connections with AlertSockets.
 */
@Module({
  providers: [AlertSockets, AlertsRelay],
  exports: [AlertSockets],
})
export class AlertsRelayModule {}
