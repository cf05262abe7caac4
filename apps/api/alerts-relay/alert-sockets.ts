import { Injectable } from '@nestjs/common';
import type { AlertView } from '#redis';
import type { WsClient } from '../scans/ws-client.js';

/**
 * The open sockets of this process by installation: only a socket opened with an installation
 * token receives alerts, and only its own installation's (an API key has no watches).
 */
@Injectable()
export class AlertSockets {
  private readonly byInstallation = new Map<string, Set<WsClient>>();

  /** Called by the gateway for every new connection. */
  add(client: WsClient): void {
    if (!client.principal.installation) return;
    const id = client.principal.keyId;
    const set = this.byInstallation.get(id) ?? new Set<WsClient>();
    set.add(client);
    this.byInstallation.set(id, set);
  }

  /** Called by the gateway when a connection closes. */
  remove(client: WsClient): void {
    const id = client.principal.keyId;
    const set = this.byInstallation.get(id);
    if (!set?.delete(client)) return;
    if (set.size === 0) this.byInstallation.delete(id);
  }

  /** Sends each alert as an `alert` frame to the installation's sockets; returns how many sockets. */
  deliver(installationId: string, alerts: readonly AlertView[]): number {
    const clients = this.byInstallation.get(installationId);
    if (!clients) return 0;
    for (const client of clients) for (const alert of alerts) client.send({ type: 'alert', alert });
    return clients.size;
  }

  /** How many sockets follow alerts (for tests and logs). */
  get size(): number {
    let n = 0;
    for (const set of this.byInstallation.values()) n += set.size;
    return n;
  }
}
