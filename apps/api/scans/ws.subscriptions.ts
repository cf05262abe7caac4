import { Injectable } from '@nestjs/common';
import type { WsClient } from './ws-client.js';
import type { TerminalFrame } from './ws-protocol.js';

/**
 * Which connections of this process follow which scan. Scan ids are stored lower-case, as the
 * database and the queue spell them.
 */
@Injectable()
export class WsSubscriptions {
  private readonly byScan = new Map<string, Set<WsClient>>();

  add(client: WsClient, scanId: string): void {
    let set = this.byScan.get(scanId);
    if (!set) this.byScan.set(scanId, (set = new Set()));
    set.add(client);
    client.subscriptions.add(scanId);
  }

  remove(client: WsClient, scanId: string): void {
    const set = this.byScan.get(scanId);
    set?.delete(client);
    if (set?.size === 0) this.byScan.delete(scanId);
    client.subscriptions.delete(scanId);
  }

  /** A closed connection follows nothing any more. */
  removeClient(client: WsClient): void {
    for (const scanId of [...client.subscriptions]) this.remove(client, scanId);
  }

  /** A copy: finishing a scan for one client changes the set while the caller walks it. */
  subscribersOf(scanId: string): WsClient[] {
    return [...(this.byScan.get(scanId) ?? [])];
  }

  /** Exactly one terminal frame per client and scan, then the subscription ends. */
  finish(client: WsClient, scanId: string, frame: TerminalFrame): void {
    this.remove(client, scanId);
    client.terminal(scanId, frame);
  }
}
