/**
 * The peers of the engine bench: four indicator libraries computing the core indicator set (SLOT
 * 0 .. CORE_SLOTS-1 of floor.ts) for one symbol, each the way its documentation uses it, over the
 * same bars the engine reads (the last RECURSION_WINDOW bars of the symbol, so their recursive
 * values converge to the engine's; whole histories would make every peer about twice as slow).
 *
 * Inputs are plain number arrays, converted once per symbol before timing (talib and tulind
 * reject or misread typed arrays; the JavaScript libraries take arrays): the conversion is not
 * counted, which favours the peers.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { MIN_HISTORY, type BarStore } from '#scan-engine';
import { RECURSION_WINDOW, SLOT } from './floor.js';

/** One symbol's window as plain arrays. */
export interface PeerInput {
  close: number[];
  high: number[];
  low: number[];
  volume: number[];
}

export interface Peer {
  name: string;
  /** Version actually loaded, for the report. */
  version: string;
  /** How it is called, one line for the report. */
  usage: string;
  run: (input: PeerInput, out: Float64Array, o: number) => void;
}

/** The window of symbol i as plain arrays, or null when the engine would skip it (< MIN_HISTORY bars). */
export function peerInput(store: BarStore, i: number): PeerInput | null {
  const first = store.offsets[i]!;
  const end = store.offsets[i + 1]!;
  if (end - first < MIN_HISTORY) return null;
  const from = Math.max(first, end - RECURSION_WINDOW);
  const take = (a: Float64Array) => Array.from(a.subarray(from, end));
  return {
    close: take(store.close),
    high: take(store.high),
    low: take(store.low),
    volume: take(store.volume),
  };
}

const lastOf = (a: ArrayLike<number>) => a[a.length - 1]!;
const dollarVolume = (x: PeerInput) => x.close.map((c, k) => c * x.volume[k]!);
const require = createRequire(import.meta.url);
/** The installed version (read from node_modules: some packages do not export their package.json). */
const packageVersion = (name: string): string => {
  try {
    const file = new URL(`../../../node_modules/${name}/package.json`, import.meta.url); // dist/bench/scan/ → root
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};

// ---- talib (node-talib 1.1.x: TA-Lib's C sources through N-API) -----------------------------

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}
interface Talib {
  execute(args: Record<string, unknown>): TalibResult;
}

function talibPeer(): Peer {
  const talib = require('talib') as Talib;
  // Windowed functions are asked for the last bar only (startIdx = endIdx): TA-Lib then computes
  // just that value. Recursive ones need the whole window to reach the same (converged) value.
  const at = (name: string, input: Record<string, unknown>, last: number, key = 'outReal') => {
    const r = talib.execute({ name, startIdx: last, endIdx: last, ...input });
    return r.result[key]![0]!;
  };
  const whole = (name: string, input: Record<string, unknown>, last: number) =>
    talib.execute({ name, startIdx: 0, endIdx: last, ...input });
  return {
    name: 'talib',
    version: packageVersion('talib'),
    usage:
      '`talib.execute({name, startIdx, endIdx, …})` per indicator; windowed ones (SMA, BBANDS, ROC, MAX) for the last bar only, recursive ones (MACD, RSI, ATR, ADX) over the window',
    run(x, out, o) {
      const last = x.close.length - 1;
      const inReal = x.close;
      const hlc = { high: x.high, low: x.low, close: x.close, optInTimePeriod: 14 };
      out[o + SLOT.close] = inReal[last]!;
      out[o + SLOT.sma20] = at('SMA', { inReal, optInTimePeriod: 20 }, last);
      out[o + SLOT.sma50] = at('SMA', { inReal, optInTimePeriod: 50 }, last);
      out[o + SLOT.sma200] = at('SMA', { inReal, optInTimePeriod: 200 }, last);
      const macd = whole(
        'MACD',
        { inReal, optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
        last,
      ).result;
      out[o + SLOT.macd] = lastOf(macd['outMACD']!);
      out[o + SLOT.macdSignal] = lastOf(macd['outMACDSignal']!);
      out[o + SLOT.macdHist] = lastOf(macd['outMACDHist']!);
      out[o + SLOT.rsi14] = lastOf(
        whole('RSI', { inReal, optInTimePeriod: 14 }, last).result['outReal']!,
      );
      out[o + SLOT.atr14] = lastOf(whole('ATR', hlc, last).result['outReal']!);
      out[o + SLOT.adx14] = lastOf(whole('ADX', hlc, last).result['outReal']!);
      const bb = talib.execute({
        name: 'BBANDS',
        startIdx: last,
        endIdx: last,
        inReal,
        optInTimePeriod: 20,
        optInNbDevUp: 2,
        optInNbDevDn: 2,
        optInMAType: 0,
      }).result;
      out[o + SLOT.bbUpper] = bb['outRealUpperBand']![0]!;
      out[o + SLOT.bbMiddle] = bb['outRealMiddleBand']![0]!;
      out[o + SLOT.bbLower] = bb['outRealLowerBand']![0]!;
      out[o + SLOT.roc20] = at('ROC', { inReal, optInTimePeriod: 20 }, last);
      out[o + SLOT.roc60] = at('ROC', { inReal, optInTimePeriod: 60 }, last);
      out[o + SLOT.roc120] = at('ROC', { inReal, optInTimePeriod: 120 }, last);
      out[o + SLOT.high252] = at(
        'MAX',
        { inReal: x.high, optInTimePeriod: Math.min(252, last + 1) },
        last,
      );
      out[o + SLOT.avgDollarVolume20] = at(
        'SMA',
        { inReal: dollarVolume(x), optInTimePeriod: 20 },
        last,
      );
    },
  };
}

// ---- tulind (Tulip Indicators' C library through nan) ----------------------------------------

type TulipCallback = (error: Error | null, outputs: number[][]) => void;
interface Tulind {
  version: string;
  indicators: Record<
    string,
    { indicator(inputs: number[][], options: number[], callback: TulipCallback): void }
  >;
}

function tulindPeer(): Peer {
  const tulind = require('tulind') as Tulind;
  const ind = tulind.indicators;
  // The callback runs synchronously inside indicator(): the C function has finished by then.
  const call = (name: string, inputs: number[][], options: number[]): number[][] => {
    let result: number[][] | undefined;
    ind[name]!.indicator(inputs, options, (error, outputs) => {
      if (error) throw error;
      result = outputs;
    });
    return result!;
  };
  const last1 = (name: string, inputs: number[][], options: number[]) =>
    lastOf(call(name, inputs, options)[0]!);
  return {
    name: 'tulind',
    version: `${packageVersion('tulind')} (Tulip Indicators ${tulind.version})`,
    usage:
      '`tulind.indicators.<name>.indicator(inputs, options, callback)` per indicator, whole window (Tulip has no start index); ROC × 100 (Tulip returns a fraction)',
    run(x, out, o) {
      const c = [x.close];
      const hlc = [x.high, x.low, x.close];
      const n = x.close.length;
      out[o + SLOT.close] = x.close[n - 1]!;
      out[o + SLOT.sma20] = last1('sma', c, [20]);
      out[o + SLOT.sma50] = last1('sma', c, [50]);
      out[o + SLOT.sma200] = last1('sma', c, [200]);
      const [macd, signal, hist] = call('macd', c, [12, 26, 9]);
      out[o + SLOT.macd] = lastOf(macd!);
      out[o + SLOT.macdSignal] = lastOf(signal!);
      out[o + SLOT.macdHist] = lastOf(hist!);
      out[o + SLOT.rsi14] = last1('rsi', c, [14]);
      out[o + SLOT.atr14] = last1('atr', hlc, [14]);
      out[o + SLOT.adx14] = last1('adx', hlc, [14]);
      const [lower, middle, upper] = call('bbands', c, [20, 2]);
      out[o + SLOT.bbUpper] = lastOf(upper!);
      out[o + SLOT.bbMiddle] = lastOf(middle!);
      out[o + SLOT.bbLower] = lastOf(lower!);
      out[o + SLOT.roc20] = 100 * last1('roc', c, [20]);
      out[o + SLOT.roc60] = 100 * last1('roc', c, [60]);
      out[o + SLOT.roc120] = 100 * last1('roc', c, [120]);
      out[o + SLOT.high252] = last1('max', [x.high], [Math.min(252, n)]);
      out[o + SLOT.avgDollarVolume20] = last1('sma', [dollarVolume(x)], [20]);
    },
  };
}

// ---- technicalindicators (pure JavaScript, whole-series `calculate`) -------------------------

function technicalIndicatorsPeer(): Peer {
  return {
    name: 'technicalindicators',
    version: packageVersion('technicalindicators'),
    usage:
      '`<Indicator>.calculate({…})` per indicator over the window (its API returns whole series); RSI comes rounded to 2 decimals by the library',
    run(x, out, o) {
      const values = x.close;
      const hlc = { high: x.high, low: x.low, close: x.close, period: 14 };
      const n = values.length;
      out[o + SLOT.close] = values[n - 1]!;
      out[o + SLOT.sma20] = lastOf(ti.SMA.calculate({ period: 20, values }));
      out[o + SLOT.sma50] = lastOf(ti.SMA.calculate({ period: 50, values }));
      out[o + SLOT.sma200] = lastOf(ti.SMA.calculate({ period: 200, values }));
      const macd = lastOf(
        ti.MACD.calculate({
          values,
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        }) as unknown as ArrayLike<number>,
      ) as unknown as { MACD: number; signal: number; histogram: number };
      out[o + SLOT.macd] = macd.MACD;
      out[o + SLOT.macdSignal] = macd.signal;
      out[o + SLOT.macdHist] = macd.histogram;
      out[o + SLOT.rsi14] = lastOf(ti.RSI.calculate({ period: 14, values }));
      out[o + SLOT.atr14] = lastOf(ti.ATR.calculate(hlc));
      const adx = lastOf(ti.ADX.calculate(hlc) as unknown as ArrayLike<number>) as unknown as {
        adx: number;
      };
      out[o + SLOT.adx14] = adx.adx;
      const bb = lastOf(
        ti.BollingerBands.calculate({
          period: 20,
          values,
          stdDev: 2,
        }) as unknown as ArrayLike<number>,
      ) as unknown as {
        upper: number;
        middle: number;
        lower: number;
      };
      out[o + SLOT.bbUpper] = bb.upper;
      out[o + SLOT.bbMiddle] = bb.middle;
      out[o + SLOT.bbLower] = bb.lower;
      out[o + SLOT.roc20] = lastOf(ti.ROC.calculate({ period: 20, values }));
      out[o + SLOT.roc60] = lastOf(ti.ROC.calculate({ period: 60, values }));
      out[o + SLOT.roc120] = lastOf(ti.ROC.calculate({ period: 120, values }));
      out[o + SLOT.high252] = lastOf(
        ti.Highest.calculate({ period: Math.min(252, n), values: x.high }),
      );
      out[o + SLOT.avgDollarVolume20] = lastOf(
        ti.SMA.calculate({ period: 20, values: dollarVolume(x) }),
      );
    },
  };
}

// ---- trading-signals (pure TypeScript, streaming: one update per bar) ------------------------

function tradingSignalsPeer(): Peer {
  return {
    name: 'trading-signals',
    version: packageVersion('trading-signals'),
    usage:
      'one indicator object each (`new SMA(20)`, `new MACD(new EMA(12), new EMA(26), new EMA(9))`, `new RSI(14)`, …), `add()` per bar over the window, `getResult()` at the end; 52-week high by `getMaximum`; ROC × 100 (it returns a fraction)',
    run(x, out, o) {
      const sma20 = new ts.SMA(20),
        sma50 = new ts.SMA(50),
        sma200 = new ts.SMA(200);
      const macd = new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9));
      const rsi = new ts.RSI(14);
      const atr = new ts.ATR(14);
      const adx = new ts.ADX(14);
      const bb = new ts.BollingerBands(20, 2);
      const roc20 = new ts.ROC(20),
        roc60 = new ts.ROC(60),
        roc120 = new ts.ROC(120);
      const dollars = new ts.SMA(20);
      const n = x.close.length;
      for (let k = 0; k < n; k++) {
        const c = x.close[k]!;
        const candle = { high: x.high[k]!, low: x.low[k]!, close: c };
        sma20.add(c);
        sma50.add(c);
        sma200.add(c);
        macd.add(c);
        rsi.add(c);
        atr.add(candle);
        adx.add(candle);
        bb.add(c);
        roc20.add(c);
        roc60.add(c);
        roc120.add(c);
        dollars.add(c * x.volume[k]!);
      }
      const m = macd.getResultOrThrow();
      const b = bb.getResultOrThrow();
      out[o + SLOT.close] = x.close[n - 1]!;
      out[o + SLOT.sma20] = sma20.getResultOrThrow();
      out[o + SLOT.sma50] = sma50.getResultOrThrow();
      out[o + SLOT.sma200] = sma200.getResultOrThrow();
      out[o + SLOT.macd] = m.macd;
      out[o + SLOT.macdSignal] = m.signal;
      out[o + SLOT.macdHist] = m.histogram;
      out[o + SLOT.rsi14] = rsi.getResultOrThrow();
      out[o + SLOT.atr14] = atr.getResultOrThrow();
      out[o + SLOT.adx14] = adx.getResultOrThrow();
      out[o + SLOT.bbUpper] = b.upper;
      out[o + SLOT.bbMiddle] = b.middle;
      out[o + SLOT.bbLower] = b.lower;
      out[o + SLOT.roc20] = 100 * roc20.getResultOrThrow();
      out[o + SLOT.roc60] = 100 * roc60.getResultOrThrow();
      out[o + SLOT.roc120] = 100 * roc120.getResultOrThrow();
      out[o + SLOT.high252] = ts.getMaximum(x.high.slice(-252));
      out[o + SLOT.avgDollarVolume20] = dollars.getResultOrThrow();
    },
  };
}

/** Every peer that loads here; a peer that does not (a native module that failed to build) is reported with the reason. */
export function loadPeers(): { peers: Peer[]; unavailable: { name: string; reason: string }[] } {
  const peers: Peer[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  const makers: [string, () => Peer][] = [
    ['talib', talibPeer],
    ['tulind', tulindPeer],
    ['technicalindicators', technicalIndicatorsPeer],
    ['trading-signals', tradingSignalsPeer],
  ];
  for (const [name, make] of makers) {
    try {
      peers.push(make());
    } catch (error) {
      unavailable.push({ name, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  return { peers, unavailable };
}
