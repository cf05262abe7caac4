import { Injectable } from '@nestjs/common';
import type { PendingAnswer, WsClient } from './ws-client.js';
import type { AnswerFrame, TerminalFrame } from './ws-protocol.js';

/**
 * Unanswered subscribe/scan frames one connection may hold for one scan. Each is answered with its
 * own terminal frame (DESIGN §9: every answer echoes its frame's id), so a client repeating
 * `subscribe` while a scan runs would otherwise queue as many copies of the final Scan as it likes.
 */
export const MAX_PENDING_PER_SCAN = 8;

/**
 * Which connections of this process follow which scan, and which of their frames wait for an
 * answer. Scan ids are stored lower-case, as the database and the queue spell them.
 */
@Injectable()
export class WsSubscriptions {
  private readonly byScan = new Map<string, Set<WsClient>>();

  /**
   * Follows the scan for the frame `id` came with; null when that connection already has
   * MAX_PENDING_PER_SCAN frames waiting for this scan's answer.
   */
  add(client: WsClient, scanId: string, id: string | undefined): PendingAnswer | null {
    let answers = client.subscriptions.get(scanId);
    if (answers && answers.size >= MAX_PENDING_PER_SCAN) return null;
    if (!answers) client.subscriptions.set(scanId, (answers = new Set()));
    let clients = this.byScan.get(scanId);
    if (!clients) this.byScan.set(scanId, (clients = new Set()));
    clients.add(client);
    const answer: PendingAnswer = { id };
    answers.add(answer);
    return answer;
  }

  /** Unsubscribe: the scan is no longer followed, and nothing waiting for it is answered. */
  remove(client: WsClient, scanId: string): void {
    const clients = this.byScan.get(scanId);
    clients?.delete(client);
    if (clients?.size === 0) this.byScan.delete(scanId);
    client.subscriptions.delete(scanId);
  }

  /** A closed connection follows nothing any more. */
  removeClient(client: WsClient): void {
    for (const scanId of [...client.subscriptions.keys()]) this.remove(client, scanId);
  }

  /** A copy: finishing a scan for one client changes the set while the caller walks it. */
  subscribersOf(scanId: string): WsClient[] {
    return [...(this.byScan.get(scanId) ?? [])];
  }

  /** Whether `answer` still waits (no terminal frame has answered it, no unsubscribe dropped it). */
  isPending(client: WsClient, scanId: string, answer: PendingAnswer): boolean {
    return client.subscriptions.get(scanId)?.has(answer) ?? false;
  }

  /** Forgets one waiting frame (its own answer went out otherwise); the last one ends the subscription. */
  drop(client: WsClient, scanId: string, answer: PendingAnswer): void {
    const answers = client.subscriptions.get(scanId);
    answers?.delete(answer);
    if (answers?.size === 0) this.remove(client, scanId);
  }

  /** Answers one waiting frame with `frame` (carrying its id), if it still waits. */
  answer(client: WsClient, scanId: string, answer: PendingAnswer, frame: TerminalFrame): void {
    if (!this.isPending(client, scanId, answer)) return;
    this.drop(client, scanId, answer);
    client.terminal(scanId, withId(frame, answer.id));
  }

  /** The scan ended: every frame of the client waiting for it is answered, and it is no longer followed. */
  finish(client: WsClient, scanId: string, frame: TerminalFrame): void {
    const answers = [...(client.subscriptions.get(scanId) ?? [])];
    this.remove(client, scanId);
    for (const answer of answers) client.terminal(scanId, withId(frame, answer.id));
  }
}

/** The frame as the answer to the client frame with `id` (none when that frame had none). */
export function withId<F extends AnswerFrame>(frame: F, id: string | undefined): F {
  if (id === undefined) return frame;
  // The id right after the type, where a reader of a long `completed` frame sees it.
  const { type, ...rest } = frame;
  return { type, id, ...rest } as F;
}
