import * as ti from 'technicalindicators';
import * as ts from 'trading-signals';
import { SLOT } from './floor.js';
import { dollarVolume, lastOf, packageVersion, type Peer } from './peer.js';

// The peers in JavaScript and TypeScript: technicalindicators and trading-signals.

// ---- technicalindicators (pure JavaScript, whole-series `calculate`) -------------------------

export function technicalIndicatorsPeer(): Peer {
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

export function tradingSignalsPeer(): Peer {
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
