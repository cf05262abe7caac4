import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpException, Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG, type AppConfig } from '#config';
import { wsConnections } from '#observability';
import type { Principal } from '../auth/api-key.service.js';
import { problem, PROBLEM_CONTENT_TYPE, ProblemException } from '../http/problem.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { CreateScanDto } from './scans.dto.js';
import { ScansService } from './scans.service.js';
import { WsAdmission, type Refusal } from './ws.admission.js';
import { WsRelay } from './ws.relay.js';
import { WsSubscriptions } from './ws.subscriptions.js';
import { INVALID } from './ws-protocol.js';
import { WsClient } from './ws-client.js';

/** What admission leaves on the upgrade request for handleConnection. */
type UpgradeRequest = IncomingMessage & { principal?: Principal; clientIp?: string };
type VerifyClient = (
  info: { req: IncomingMessage },
  done: (ok: boolean, code?: number, message?: string, headers?: Record<string, string>) => void,
) => void;

/** A refused upgrade answers problem+json like every HTTP error (ws's default body is text/html; found by the fuzz suite). */
const refuse = (done: Parameters<VerifyClient>[1], { code, message, retryAfter }: Refusal) =>
  done(false, code, JSON.stringify(problem(code, message)), {
    'Content-Type': PROBLEM_CONTENT_TYPE,
    ...(retryAfter ? { 'Retry-After': String(retryAfter) } : {}),
  });

/**
 * `/v1/ws` (DESIGN §4): the connections of this process and their client frames. Who may connect
 * and start scans is WsAdmission's call, who follows which scan WsSubscriptions', and the frames a
 * scan's events become WsRelay's.
 */
@WebSocketGateway({ path: '/v1/ws', maxPayload: 64 * 1024 })
export class ScansGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown
{
  private readonly logger = new Logger(ScansGateway.name);
  private readonly clients = new Map<WebSocket, WsClient>();
  private readonly validation = createValidationPipe();
  private pingTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admission: WsAdmission,
    private readonly subscriptions: WsSubscriptions,
    private readonly relay: WsRelay,
    private readonly scans: ScansService,
  ) {}

  afterInit(server: WebSocketServer): void {
    // ws consults options.verifyClient on every upgrade: refusing here answers a plain HTTP error
    // before any WebSocket exists.
    (server.options as { verifyClient?: VerifyClient }).verifyClient = (info, done) => {
      const req = info.req as UpgradeRequest;
      this.admission.admitUpgrade(req).then(
        (decision) => {
          if ('refusal' in decision) return refuse(done, decision.refusal);
          req.principal = decision.principal;
          req.clientIp = decision.ip;
          done(true);
        },
        (error: unknown) => {
          this.logger.warn({ err: error }, 'WebSocket admission failed');
          refuse(done, {
            code: 503,
            message: 'A backing service is temporarily unavailable; retry shortly',
            retryAfter: 5,
          });
        },
      );
    };
    this.pingTimer = setInterval(() => {
      for (const client of this.clients.values()) client.heartbeat();
    }, this.config.ws.pingIntervalMs);
    this.pingTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pingTimer);
  }

  handleConnection(socket: WebSocket, req: UpgradeRequest): void {
    const client = new WsClient(socket, req.principal!, req.clientIp ?? 'unknown');
    this.clients.set(socket, client);
    this.admission.opened(client.ip);
    wsConnections.inc();
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client) return;
    this.clients.delete(socket);
    this.subscriptions.removeClient(client);
    client.close();
    this.admission.closed(client.ip);
    wsConnections.dec();
  }

  @SubscribeMessage(INVALID)
  onInvalid(@ConnectedSocket() socket: WebSocket, @MessageBody() data: { reason: string }): void {
    this.clients.get(socket)?.send({ type: 'error', message: data.reason });
  }

  @SubscribeMessage('subscribe')
  async onSubscribe(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: { scanId?: unknown },
  ): Promise<void> {
    const client = this.clients.get(socket);
    if (!client) return;
    if (typeof data.scanId !== 'string')
      return client.send({ type: 'error', message: 'subscribe needs a string scanId' });
    try {
      await this.relay.follow(client, data.scanId, true);
    } catch (error) {
      // The ownership check could not run (database busy or away): no subscription without it.
      this.subscriptions.remove(client, data.scanId.toLowerCase());
      this.logger.warn({ err: error }, 'WebSocket subscribe failed');
      client.send({
        type: 'error',
        message: `could not subscribe to ${data.scanId.slice(0, 40)} right now; subscribe again shortly`,
      });
    }
  }

  @SubscribeMessage('unsubscribe')
  onUnsubscribe(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: { scanId?: unknown },
  ): void {
    const client = this.clients.get(socket);
    if (client && typeof data.scanId === 'string')
      this.subscriptions.remove(client, data.scanId.toLowerCase());
  }

  @SubscribeMessage('scan')
  async onScan(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: { request?: unknown },
  ): Promise<void> {
    const client = this.clients.get(socket);
    if (!client) return;
    // Set once the frame spent a scans-create unit: a refusal after that gives it back.
    let admitted = false;
    try {
      await this.admission.admitScan(client.principal, client.ip);
      admitted = true;
      const dto = (await this.validation.transform(data.request ?? {}, {
        type: 'body',
        metatype: CreateScanDto,
      })) as CreateScanDto;
      const answer = await this.scans.create(dto, client.principal, randomUUID());
      client.send({ type: 'accepted', scan: answer.scan });
      // Subscribing now misses nothing: follow() reads the stored state after subscribing. A failed
      // state check leaves the subscription in place: the terminal frame still comes by relay.
      await this.relay
        .follow(client, answer.scan.id, false)
        .catch((error: unknown) =>
          this.logger.warn({ err: error }, 'WebSocket scan state check failed'),
        );
      // After subscribing: nothing but microtasks may run between the enqueue and `follow`.
      await this.admission.settleScan(client.principal, client.ip, answer.scan);
    } catch (error) {
      if (admitted && error instanceof HttpException)
        await this.admission
          .settleScan(client.principal, client.ip, { status: error.getStatus() })
          .catch(() => {});
      const detail =
        error instanceof ProblemException
          ? (error.getResponse() as { detail: string }).detail
          : 'scan could not be started';
      if (!(error instanceof ProblemException))
        this.logger.warn({ err: error }, 'WebSocket scan failed');
      client.send({ type: 'error', message: detail });
    }
  }
}
