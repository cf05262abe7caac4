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
import { activeSpan, SpanKind, Traced } from '#tracing';
import { AlertSockets } from '../alerts-relay/alert-sockets.js';
import type { Principal } from '../auth/api-key.service.js';
import { problem, PROBLEM_CONTENT_TYPE, ProblemException } from '../http/problem.js';
import { bodyValidator } from '../http/schema-validation.js';
import { createValidationPipe } from '../http/validation.pipe.js';
import { CreateScanDto, type ScanDto } from './scans.dto.js';
import { CREATE_SCAN_BODY } from './scans.schema.js';
import { ScansService } from './scans.service.js';
import { WsAdmission, type Refusal } from './ws.admission.js';
import { WsRelay } from './ws.relay.js';
import { MAX_PENDING_PER_SCAN, withId, WsSubscriptions } from './ws.subscriptions.js';
import { INVALID, type ClientMessage, type TerminalFrame } from './ws-protocol.js';
import { WsClient } from './ws-client.js';

/** What admission leaves on the upgrade request for handleConnection. */
type UpgradeRequest = IncomingMessage & {
  principal?: Principal;
  clientIp?: string;
  credential?: string;
};

/** The close code of a socket whose credential was revoked (4000–4999: the application's own). */
export const CLOSE_REVOKED = 4401;
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
  /** The credential each socket opened with, re-checked on every frame and every sweep. */
  private readonly credentials = new WeakMap<WsClient, string>();
  /** A `scan` message's request is checked as POST /v1/scans's body: by its schema, then words. */
  private readonly scanRequestValid = bodyValidator(CREATE_SCAN_BODY);
  private readonly validation = createValidationPipe();
  private pingTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly admission: WsAdmission,
    private readonly subscriptions: WsSubscriptions,
    private readonly relay: WsRelay,
    private readonly scans: ScansService,
    private readonly alertSockets: AlertSockets,
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
          req.credential = decision.credential;
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
    // A silent socket sends no frame to check its credential on: every half cache TTL (at least a
    // second), each socket's credential is checked through the key cache, so a revoked one is
    // closed within about the TTL.
    this.sweepTimer = setInterval(
      () => void this.closeRevoked(),
      Math.max(1000, this.config.auth.cacheTtlMs / 2),
    );
    this.sweepTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pingTimer);
    clearInterval(this.sweepTimer);
  }

  /** Closes the sockets whose credential no longer works; true when `only` is still fine. */
  private async closeRevoked(only?: WsClient): Promise<boolean> {
    const clients = only ? [only] : [...this.clients.values()];
    let fine = true;
    for (const client of clients) {
      const credential = this.credentials.get(client);
      const valid =
        credential === undefined || (await this.admission.stillValid(credential).catch(() => true));
      if (!valid) {
        client.closeWith(CLOSE_REVOKED, 'credential revoked');
        fine = false;
      }
    }
    return fine;
  }

  /**
   * The client of `socket` if this frame may be handled: within the socket's frame rate (else an
   * error answer, echoing the frame's id, and nothing else) and with a credential that still works
   * (a revoked one's socket is closed).
   */
  private async authorized(socket: WebSocket, id?: string): Promise<WsClient | undefined> {
    const client = this.clients.get(socket);
    if (!client) return undefined;
    if (!client.allowFrame()) {
      client.send(withId({ type: 'error', message: tooManyFrames(this.config) }, id));
      return undefined;
    }
    return (await this.closeRevoked(client)) ? client : undefined;
  }

  handleConnection(socket: WebSocket, req: UpgradeRequest): void {
    const client = new WsClient(
      socket,
      req.principal!,
      req.clientIp ?? 'unknown',
      this.config.ws.framesPerSecond,
    );
    this.clients.set(socket, client);
    if (req.credential) this.credentials.set(client, req.credential);
    this.alertSockets.add(client);
    this.admission.opened(client.ip);
    wsConnections.inc();
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (!client) return;
    this.clients.delete(socket);
    this.subscriptions.removeClient(client);
    this.alertSockets.remove(client);
    client.close();
    this.admission.closed(client.ip);
    wsConnections.dec();
  }

  @SubscribeMessage(INVALID)
  async onInvalid(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: ClientMessage,
  ): Promise<void> {
    (await this.authorized(socket, data.id))?.send(
      withId({ type: 'error', message: String(data['reason']) }, data.id),
    );
  }

  @SubscribeMessage('subscribe')
  async onSubscribe(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: ClientMessage,
  ): Promise<void> {
    const client = await this.authorized(socket, data.id);
    if (!client) return;
    const error = (message: string) => client.send(withId({ type: 'error', message }, data.id));
    if (typeof data['scanId'] !== 'string') return error('subscribe needs a string scanId');
    const scanId = data['scanId'].toLowerCase();
    // The ownership check comes first: a socket is never subscribed, not even for the time a query
    // takes, to a scan its credential may not see (its frames carry a partial ranking).
    let visible: boolean;
    try {
      visible = await this.scans.canSee(scanId, client.principal);
    } catch (failure) {
      this.logger.warn({ err: failure }, 'WebSocket subscribe failed');
      return error(
        `could not subscribe to ${scanId.slice(0, 40)} right now; subscribe again shortly`,
      );
    }
    if (!visible) return error(`no scan ${scanId.slice(0, 40)} for this API key`);
    const answer = this.subscriptions.add(client, scanId, data.id);
    if (!answer) return error(tooManyWaiting(scanId));
    try {
      await this.relay.follow(client, scanId, answer);
    } catch (failure) {
      // The state could not be read: the subscription stays, the terminal frame comes by relay.
      this.logger.warn({ err: failure }, 'WebSocket subscribe state check failed');
    }
  }

  @SubscribeMessage('unsubscribe')
  async onUnsubscribe(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: ClientMessage,
  ): Promise<void> {
    const client = await this.authorized(socket, data.id);
    if (!client) return;
    if (typeof data['scanId'] === 'string')
      this.subscriptions.remove(client, data['scanId'].toLowerCase());
    else
      client.send(withId({ type: 'error', message: 'unsubscribe needs a string scanId' }, data.id));
  }

  // A frame has no HTTP request whose span it could join: the scan it starts is a trace of its own.
  @SubscribeMessage('scan')
  @Traced('ws scan', SpanKind.SERVER)
  async onScan(
    @ConnectedSocket() socket: WebSocket,
    @MessageBody() data: ClientMessage,
  ): Promise<void> {
    const client = await this.authorized(socket, data.id);
    if (!client) return;
    const { id } = data;
    // Set once the frame spent a scans-create unit: a refusal after that gives it back.
    let admitted = false;
    try {
      await this.admission.admitScan(client.principal, client.ip);
      admitted = true;
      const request = data['request'] ?? {};
      // Ajv (compiled once) decides; class-validator words a refusal, or takes what Ajv is
      // stricter on (a null field), as for the HTTP route.
      const dto = this.scanRequestValid(request)
        ? (request as CreateScanDto)
        : ((await this.validation.transform(request, {
            type: 'body',
            metatype: CreateScanDto,
          })) as CreateScanDto);
      const { scan } = await this.scans.create(dto, client.principal, randomUUID());
      activeSpan()?.setAttributes({ 'scan.id': scan.id, 'scan.cached': scan.cached });
      // The frame's own log line, as an HTTP request has one (with the trace's id when tracing).
      this.logger.log({ scanId: scan.id, status: scan.status }, 'WebSocket scan accepted');
      client.accepted(withId({ type: 'accepted', scan }, id));
      if (scan.status === 'completed' || scan.status === 'failed')
        // The same Scan as `accepted` (not a fresh read): both say the same `cached`.
        client.terminal(scan.id, withId(outcomeOf(scan), id));
      else await this.follow(client, scan.id, id);
      // After subscribing: nothing but microtasks may run between the enqueue and `follow`.
      await this.admission.settleScan(client.principal, client.ip, scan);
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
      client.send(withId({ type: 'error', message: detail }, id));
    }
  }

  /**
   * Follows a scan the client just started or joined. Subscribing now misses nothing: follow()
   * reads the stored state after subscribing. A failed state check leaves the subscription in
   * place: the terminal frame still comes by relay.
   */
  private async follow(client: WsClient, scanId: string, id: string | undefined): Promise<void> {
    const answer = this.subscriptions.add(client, scanId, id);
    if (!answer) return client.send(withId({ type: 'error', message: tooManyWaiting(scanId) }, id));
    await this.relay
      .follow(client, scanId, answer)
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'WebSocket scan state check failed'),
      );
  }
}

const tooManyFrames = (config: AppConfig) =>
  `too many frames: at most ${config.ws.framesPerSecond} per second (bursts of ${2 * config.ws.framesPerSecond}); this one was not handled`;

const tooManyWaiting = (scanId: string) =>
  `${MAX_PENDING_PER_SCAN} frames of this socket already wait for the end of scan ${scanId.slice(0, 40)}; one answer each comes when it ends`;

/** The terminal frame of a finished scan. */
const outcomeOf = (scan: ScanDto): TerminalFrame =>
  scan.status === 'completed'
    ? { type: 'completed', scan }
    : { type: 'failed', scanId: scan.id, error: scan.error ?? 'scan failed' };
