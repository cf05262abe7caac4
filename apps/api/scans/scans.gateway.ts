import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG, type AppConfig } from '#config';
import { wsConnections } from '#observability';
import { extractApiKey } from '../auth/api-key.guard.js';
import { ApiKeyService, type Principal } from '../auth/api-key.service.js';
import { problem, PROBLEM_CONTENT_TYPE, ProblemException } from '../http/problem.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { rateLimitKey } from '../rate-limit/rate-limit.module.js';
import { trackerOf } from '../rate-limit/rate-limit.guard.js';
import { RedisThrottlerStorage } from '../rate-limit/redis-throttler.storage.js';
import { ScanEventsService, type ScanEvent } from './scan-events.service.js';
import { CreateScanDto, type ScanDto } from './scans.dto.js';
import { ScansService } from './scans.service.js';
import { clientIp, INVALID } from './ws-protocol.js';
import { WsClient } from './ws-client.js';

type UpgradeRequest = IncomingMessage & { principal?: Principal; clientIp?: string };
type VerifyClient = (
  info: { req: IncomingMessage },
  done: (ok: boolean, code?: number, message?: string, headers?: Record<string, string>) => void,
) => void;
interface Refusal {
  code: number;
  message: string;
  /** Seconds; every 429 and 503 says when to try again (RELIABILITY: a usable Retry-After). */
  retryAfter?: number;
}

/** A refused upgrade answers problem+json like every HTTP error (ws's default body is text/html; found by the fuzz suite). */
const refuse = (done: Parameters<VerifyClient>[1], { code, message, retryAfter }: Refusal) =>
  done(false, code, JSON.stringify(problem(code, message)), {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    ...(retryAfter ? { 'Retry-After': String(retryAfter) } : {}),
  });

/**
 * `/v1/ws` (DESIGN §4). The key is checked before the upgrade completes (guards do not run on the
 * handshake: nestjs/nest#882), connects are limited per IP, and scan events come from BullMQ
 * QueueEvents so a client on any api process hears about any scan.
 */
@WebSocketGateway({ path: '/v1/ws', maxPayload: 64 * 1024 })
export class ScansGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown {
  private readonly logger = new Logger(ScansGateway.name);
  private readonly clients = new Map<WebSocket, WsClient>();
  private readonly subscribers = new Map<string, Set<WsClient>>();
  private readonly openPerIp = new Map<string, number>();
  private readonly validation = createValidationPipe();
  private pingTimer: NodeJS.Timeout | undefined;
  private stopEvents: (() => void) | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly limits: RedisThrottlerStorage,
    private readonly scans: ScansService,
    private readonly events: ScanEventsService,
  ) {}

  afterInit(server: WebSocketServer): void {
    // ws consults options.verifyClient on every upgrade: refusing here answers a plain HTTP error
    // before any WebSocket exists.
    (server.options as { verifyClient?: VerifyClient }).verifyClient = (info, done) => {
      this.admit(info.req as UpgradeRequest).then(
        (refusal) => (refusal ? refuse(done, refusal) : done(true)),
        (error: unknown) => {
          this.logger.warn({ err: error }, 'WebSocket admission failed');
          refuse(done, { code: 503, message: 'A backing service is temporarily unavailable; retry shortly', retryAfter: 5 });
        },
      );
    };
    this.stopEvents = this.events.onEvent((event) =>
      this.relay(event).catch((error: unknown) => this.logger.warn({ err: error, scanId: event.scanId }, 'scan event not relayed')),
    );
    this.pingTimer = setInterval(() => {
      for (const client of this.clients.values()) client.heartbeat();
    }, this.config.ws.pingIntervalMs);
    this.pingTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pingTimer);
    this.stopEvents?.();
  }

  private async admit(req: UpgradeRequest): Promise<Refusal | null> {
    const ip = clientIp(req, this.config.api.trustProxy === 'loopback');
    if ((this.openPerIp.get(ip) ?? 0) >= this.config.ws.maxConnectionsPerIp)
      return { code: 429, message: 'Too many open WebSocket connections from this address', retryAfter: 5 };
    const window = this.config.rateLimits.windowSeconds * 1000;
    const connects = await this.limits.increment(rateLimitKey('wsConnect', `ip:${ip}`), window, this.config.rateLimits.perWindow.wsConnect);
    if (connects.isBlocked)
      return { code: 429, message: 'WebSocket connect rate limit exceeded; retry later', retryAfter: Math.max(1, connects.timeToBlockExpire) };
    const key = extractApiKey(req.headers, req.url);
    const principal = key ? await this.keys.authenticate(key) : null;
    if (!principal) return { code: 401, message: 'Missing or invalid API key: send it in the X-API-Key header' };
    req.principal = principal;
    req.clientIp = ip;
    return null;
  }

  handleConnection(socket: WebSocket, req: UpgradeRequest): void {
    const client = new WsClient(socket, req.principal!, req.clientIp ?? 'unknown');
    this.clients.set(socket, client);
    this.openPerIp.set(client.ip, (this.openPerIp.get(client.ip) ?? 0) + 1);
    wsConnections.inc();
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client) return;
    this.clients.delete(socket);
    for (const scanId of [...client.subscriptions]) this.unsubscribe(client, scanId);
    client.close();
    const open = (this.openPerIp.get(client.ip) ?? 1) - 1;
    if (open <= 0) this.openPerIp.delete(client.ip);
    else this.openPerIp.set(client.ip, open);
    wsConnections.dec();
  }

  @SubscribeMessage(INVALID)
  onInvalid(@ConnectedSocket() socket: WebSocket, @MessageBody() data: { reason: string }): void {
    this.clients.get(socket)?.send({ type: 'error', message: data.reason });
  }

  @SubscribeMessage('subscribe')
  async onSubscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() data: { scanId?: unknown }): Promise<void> {
    const client = this.clients.get(socket);
    if (!client) return;
    if (typeof data.scanId !== 'string') return client.send({ type: 'error', message: 'subscribe needs a string scanId' });
    try {
      await this.follow(client, data.scanId, true);
    } catch (error) {
      // The ownership check could not run (database busy or away): no subscription without it.
      this.unsubscribe(client, data.scanId.toLowerCase());
      this.logger.warn({ err: error }, 'WebSocket subscribe failed');
      client.send({ type: 'error', message: `could not subscribe to ${data.scanId.slice(0, 40)} right now; subscribe again shortly` });
    }
  }

  @SubscribeMessage('unsubscribe')
  onUnsubscribe(@ConnectedSocket() socket: WebSocket, @MessageBody() data: { scanId?: unknown }): void {
    const client = this.clients.get(socket);
    if (client && typeof data.scanId === 'string') this.unsubscribe(client, data.scanId.toLowerCase());
  }

  @SubscribeMessage('scan')
  async onScan(@ConnectedSocket() socket: WebSocket, @MessageBody() data: { request?: unknown }): Promise<void> {
    const client = this.clients.get(socket);
    if (!client) return;
    try {
      if (!client.principal.scopes.includes('scan') && !client.principal.scopes.includes('admin')) {
        throw new ProblemException(403, 'This API key lacks the "scan" scope');
      }
      const window = this.config.rateLimits.windowSeconds * 1000;
      const budget = await this.limits.increment(
        rateLimitKey('scansCreate', trackerOf(client.principal, client.ip)),
        window,
        this.config.rateLimits.perWindow.scansCreate,
      );
      if (budget.isBlocked) throw new ProblemException(429, `Rate limit exceeded; retry in ${budget.timeToBlockExpire} s`);
      const dto = (await this.validation.transform(data.request ?? {}, { type: 'body', metatype: CreateScanDto })) as CreateScanDto;
      const runId = randomUUID();
      this.subscribe(client, runId);
      const answer = await this.scans.create(dto, client.principal, randomUUID(), 0, runId).finally(() => {
        // Cached, stored or shared in flight: the run has another id, followed below.
        this.unsubscribe(client, runId);
      });
      client.send({ type: 'accepted', scan: answer.scan });
      // A failed state check leaves the subscription in place: the terminal frame still comes by relay.
      await this.follow(client, answer.scan.id, false).catch((error: unknown) => this.logger.warn({ err: error }, 'WebSocket scan state check failed'));
    } catch (error) {
      const detail = error instanceof ProblemException ? (error.getResponse() as { detail: string }).detail : 'scan could not be started';
      if (!(error instanceof ProblemException)) this.logger.warn({ err: error }, 'WebSocket scan failed');
      client.send({ type: 'error', message: detail });
    }
  }

  private subscribe(client: WsClient, scanId: string): void {
    let set = this.subscribers.get(scanId);
    if (!set) this.subscribers.set(scanId, (set = new Set()));
    set.add(client);
    client.subscriptions.add(scanId);
  }

  private unsubscribe(client: WsClient, scanId: string): void {
    const set = this.subscribers.get(scanId);
    set?.delete(client);
    if (set?.size === 0) this.subscribers.delete(scanId);
    client.subscriptions.delete(scanId);
  }

  /** Subscribes, then checks the stored state, so a scan finishing in between is never missed. */
  private async follow(client: WsClient, scanId: string, checkVisibility: boolean): Promise<void> {
    const id = scanId.toLowerCase();
    this.subscribe(client, id);
    const scan = checkVisibility ? await this.scans.findVisible(id, client.principal) : await this.scans.load(id);
    if (!scan) {
      this.unsubscribe(client, id);
      return client.send({ type: 'error', message: `no scan ${scanId.slice(0, 40)} for this API key` });
    }
    if (scan.status === 'completed') this.finish(client, id, { type: 'completed', scan });
    else if (scan.status === 'failed') this.finish(client, id, { type: 'failed', scanId: id, error: scan.error ?? 'scan failed' });
    else if (scan.status === 'running') client.progress(id, { type: 'progress', scanId: id, ...scan.progress, partial: [] });
  }

  private async relay(event: ScanEvent): Promise<void> {
    const set = this.subscribers.get(event.scanId);
    if (!set || set.size === 0) return;
    if (event.kind === 'progress') {
      for (const client of set) client.progress(event.scanId, { type: 'progress', scanId: event.scanId, ...event.progress });
      return;
    }
    let frame: Record<string, unknown>;
    if (event.kind === 'failed') frame = { type: 'failed', scanId: event.scanId, error: event.error };
    else {
      const scan = await this.loadPatiently(event.scanId);
      // Never silence: without the stored scan the client is told where to read it.
      frame = scan
        ? { type: 'completed', scan }
        : { type: 'error', message: `scan ${event.scanId} completed; read it with GET /v1/scans/${event.scanId}` };
    }
    for (const client of [...set]) this.finish(client, event.scanId, frame);
  }

  /**
   * The finished scan for its terminal frame, retried for ~10 s: a busy or briefly unreachable
   * database must not cost every subscriber on this process its completed frame.
   */
  private async loadPatiently(scanId: string): Promise<ScanDto | null> {
    for (const delay of [0, 250, 1000, 3000, 6000]) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      try {
        return await this.scans.load(scanId);
      } catch (error) {
        this.logger.warn({ err: error, scanId }, 'loading a finished scan failed; retrying');
      }
    }
    return null;
  }

  /** Exactly one terminal frame per client and scan, then the subscription ends. */
  private finish(client: WsClient, scanId: string, frame: Record<string, unknown>): void {
    this.unsubscribe(client, scanId);
    client.terminal(scanId, frame);
  }
}
