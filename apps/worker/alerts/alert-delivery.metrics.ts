import { Counter } from 'prom-client';

/** Alerts by what became of their push (bounded: the push states). */
export const alertPushStates = new Counter({
  name: 'alert_push_states_total',
  help: 'Alerts by the final state of their push: sent, no-token, capped, rejected, failed, no-config',
  labelNames: ['state'] as const,
});

/** Alerts published to the api processes for their installation's WebSockets. */
export const alertsPublished = new Counter({
  name: 'alerts_published_total',
  help: 'Alerts published on the alerts channel for WebSocket delivery',
});
