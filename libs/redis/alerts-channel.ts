/**
 * The Redis pub/sub channel on which the worker's alert delivery hands alerts to every api process
 * (issue 17); each process sends them to its sockets of the alert's installation as `alert` frames.
 * Pub/sub channels are not keys: the queue prefix keeps deployments sharing a Redis apart.
 */
export const alertsChannel = (queuePrefix: string): string => `${queuePrefix}:alerts`;

/** One alert as GET /v1/alerts shows it (the `Alert` schema), and so as the `alert` frame carries it. */
export interface AlertView {
  id: string;
  watchId: string;
  watchName: string;
  dataVersion: number;
  kind: 'entered' | 'exited' | 'signalChanged';
  symbol: string;
  before: { symbol: string; rank: number; signal: string; techRating: number } | null;
  after: { symbol: string; rank: number; signal: string; techRating: number } | null;
  createdAt: string;
}

/** A message on the channel: the alerts of one installation. */
export interface AlertsMessage {
  installationId: string;
  alerts: AlertView[];
}

/** The message of a channel, or null when it is not one (never trusted blindly: Redis is shared). */
export function parseAlertsMessage(text: string): AlertsMessage | null {
  try {
    const message = JSON.parse(text) as Partial<AlertsMessage>;
    if (typeof message.installationId !== 'string' || !Array.isArray(message.alerts)) return null;
    return message as AlertsMessage;
  } catch {
    return null;
  }
}
