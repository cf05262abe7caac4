/**
 * Open-loop traffic (bench:load through Nginx, bench:predict straight to the api): every endpoint
 * has a fixed rate, and request k of an endpoint leaves at t0 + (offset + k) / rate whether or not earlier requests were answered.
 * Latency counts from that scheduled time, so a server that stalls cannot hide the stall by slowing
 * the client down (no coordinated omission): time spent waiting for a free socket, or by the
 * generator's own late timer, is part of the figure, and the send lag is reported apart.
 *
 * Sends are evenly spaced (a random phase per endpoint keeps endpoints from firing together):
 * "fixed rates" that make offered = target exactly, at the price of smoother traffic than real
 * clients' Poisson-like arrivals.
 *
 * Latencies are kept raw (one record per request) and sorted afterwards: exact percentiles, and at
 * the few hundred thousand requests of a run far cheaper than any histogram library would be worth
 * (hdr-histogram-js is only a transitive dependency of autocannon here, not one of ours).
 */
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '#random';
import { percentiles, type Percentiles } from './stats.js';
import { RequestTimeout, send, type Call, type Target } from './http-client.js';

export interface Endpoint {
  /** Row label, e.g. "GET /v1/items/{symbol}". */
  name: string;
  /** Requests per second at scale 1. */
  rate: number;
  /** From the send to the last byte; past it the request is destroyed and counted as a timeout. */
  timeoutMs: number;
  /** The k-th request of this endpoint (k counts across phases). */
  next: (k: number) => Call;
  /** For a 2xx: is the (decompressed) body what the app expects? Absent: the status is enough. */
  check?: (status: number, body: string) => string | null;
}

export type Outcome = 'ok' | 'status' | 'network' | 'timeout' | 'body';

/** One request. Times are performance.now() ms. */
export interface Rec {
  endpoint: number;
  scheduled: number;
  sent: number;
  /** 0 while in flight. */
  done: number;
  outcome: Outcome;
  /** HTTP status, 0 without an answer. */
  status: number;
  /** Status code, error code or what the body check said. */
  detail: string;
}

export class OpenLoop {
  readonly records: Rec[] = [];
  private readonly counts: number[];
  private readonly phase: number[];
  private inFlight = 0;
  private idle: (() => void) | null = null;

  /**
   * @param spinMs how long before a send the generator stops sleeping on a timer and polls the
   *   clock instead (setImmediate). Node's timers fire on a millisecond clock, so a timer sleep
   *   alone sends up to ~1 ms late, and that lateness is in every latency measured from the
   *   scheduled time; polling the last millisecond costs up to spinMs × rate of a core. 0: timers only.
   */
  constructor(
    private readonly target: Target,
    readonly endpoints: Endpoint[],
    seed = 1,
    private readonly spinMs = 0,
  ) {
    this.counts = endpoints.map(() => 0);
    // A seeded phase per endpoint: the same timetable on every run.
    const random = mulberry32(seed);
    this.phase = endpoints.map(() => random());
  }

  /**
   * Sends every endpoint at `scale` × its rate from `startAt` for `seconds`; resolves once the last
   * request of the window has been sent (answers may still be on their way). Consecutive calls with
   * `startAt` = the previous window's end make one gapless timetable.
   */
  run(
    scale: number,
    seconds: number,
    startAt = performance.now(),
  ): Promise<{ from: number; to: number }> {
    const to = startAt + seconds * 1000;
    const intervals = this.endpoints.map((e) => 1000 / (e.rate * scale));
    const due = intervals.map((iv, j) => startAt + this.phase[j]! * iv);
    return new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        let soonest = Infinity;
        for (let j = 0; j < due.length; j++) {
          // Catch up on every send that is due: a late timer must not thin out the timetable.
          while (due[j]! <= now && due[j]! < to) {
            this.fire(j, due[j]!, now);
            due[j]! += intervals[j]!;
          }
          if (due[j]! < to) soonest = Math.min(soonest, due[j]!);
        }
        if (soonest === Infinity) resolve({ from: startAt, to });
        else this.sleepUntil(soonest, tick);
      };
      this.sleepUntil(startAt, tick);
    });
  }

  private sleepUntil(at: number, tick: () => void): void {
    const wait = at - performance.now();
    if (wait > this.spinMs) setTimeout(tick, wait - this.spinMs);
    else setImmediate(tick);
  }

  /** Resolves when every request sent so far has its outcome (each is bounded by its timeout). */
  drain(): Promise<void> {
    return this.inFlight === 0
      ? Promise.resolve()
      : new Promise((resolve) => (this.idle = resolve));
  }

  close(): void {
    this.target.agent.destroy();
  }

  private fire(j: number, scheduled: number, now: number): void {
    const endpoint = this.endpoints[j]!;
    const call = endpoint.next(this.counts[j]!++);
    const rec: Rec = {
      endpoint: j,
      scheduled,
      sent: now,
      done: 0,
      outcome: 'ok',
      status: 0,
      detail: '',
    };
    this.records.push(rec);
    this.inFlight++;
    const finish = (outcome: Outcome, detail: string) => {
      rec.done = performance.now();
      rec.outcome = outcome;
      rec.detail = detail;
      if (--this.inFlight === 0 && this.idle) {
        const idle = this.idle;
        this.idle = null;
        idle();
      }
    };
    // Bodies are read to the end (the socket goes back to the pool), but kept only when checked.
    send(this.target, call, endpoint.timeoutMs, endpoint.check !== undefined).then(
      ({ status, body }) => {
        rec.status = status;
        if (status < 200 || status >= 300) return finish('status', String(status));
        let wrong: string | null;
        try {
          wrong = endpoint.check?.(status, body) ?? null;
        } catch (error) {
          wrong = `unreadable body: ${(error as Error).message}`;
        }
        finish(wrong === null ? 'ok' : 'body', wrong ?? String(status));
      },
      (e: NodeJS.ErrnoException) =>
        finish(e instanceof RequestTimeout ? 'timeout' : 'network', e.code ?? e.message),
    );
  }
}

export interface WindowStats {
  name: string;
  /** Scheduled sends per second in the window (= scale × rate, evenly spaced). */
  offered: number;
  /** Successful answers received per second during the window: what the system delivered. */
  achieved: number;
  sent: number;
  ok: number;
  /** Scheduled send → last byte, successful requests scheduled in the window, ms. */
  latency: Percentiles;
  errors: {
    status: Record<string, number>;
    network: Record<string, number>;
    timeout: number;
    body: Record<string, number>;
  };
  errorCount: number;
  /** Actual send − scheduled send, ms: how far the generator itself fell behind. */
  sendLag: Percentiles;
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

/**
 * Figures for the requests of `endpoints` (indexes; all when null) scheduled in [from, to).
 * Achieved counts answers that arrived inside the window, so a backlog shows as a shortfall.
 */
export function windowStats(
  records: Rec[],
  name: string,
  endpoints: number[] | null,
  from: number,
  to: number,
): WindowStats {
  const pick = endpoints === null ? null : new Set(endpoints);
  const lat: number[] = [];
  const lag: number[] = [];
  const errors: WindowStats['errors'] = { status: {}, network: {}, timeout: 0, body: {} };
  let sent = 0;
  let okInWindow = 0;
  let ok = 0;
  for (const r of records) {
    if (pick && !pick.has(r.endpoint)) continue;
    if (r.outcome === 'ok' && r.done >= from && r.done < to) okInWindow++;
    if (r.scheduled < from || r.scheduled >= to) continue;
    sent++;
    lag.push(r.sent - r.scheduled);
    if (r.done === 0) bump(errors.network, 'unanswered');
    else if (r.outcome === 'ok') {
      ok++;
      lat.push(r.done - r.scheduled);
    } else if (r.outcome === 'timeout') errors.timeout++;
    else bump(errors[r.outcome], r.detail);
  }
  const seconds = (to - from) / 1000;
  return {
    name,
    offered: sent / seconds,
    achieved: okInWindow / seconds,
    sent,
    ok,
    latency: percentiles(lat),
    errors,
    errorCount: sent - ok,
    sendLag: percentiles(lag),
  };
}
