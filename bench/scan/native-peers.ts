import { createRequire } from 'node:module';
import { SLOT } from './floor.js';
import { dollarVolume, lastOf, packageVersion, type Peer } from './peer.js';

// The peers in C: TA-Lib and Tulip Indicators through their Node bindings (native modules, loaded
// with require; a build that failed makes loadPeers report the peer unavailable).

const require = createRequire(import.meta.url);

// ---- talib (node-talib 1.1.x: TA-Lib's C sources through N-API) -----------------------------

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}
interface Talib {
  execute(args: Record<string, unknown>): TalibResult;
}

export function talibPeer(): Peer {
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

export function tulindPeer(): Peer {
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
