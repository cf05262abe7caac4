import type { IndicatorSnapshot } from './indicators.js';
import { WEIGHTS, type ScoreCard } from './scoring.js';
import type { Subscores } from './scan.types.js';

/** How many reasons the line names before the ATR, which it always ends with (it sizes the stop). */
const REASONS = 3;
const ORDER: readonly (keyof Subscores)[] = [
  'trend',
  'momentum',
  'volume',
  'volatility',
  'oscillator',
  'breakout',
];

const signed = (x: number, decimals = 1) => `${x > 0 ? '+' : ''}${x.toFixed(decimals)}`;

function trendReason(s: IndicatorSnapshot, card: ScoreCard): string {
  const up = card.trend >= 0;
  const names = (['SMA20', 'SMA50', 'SMA200'] as const).filter((_, k) => {
    const sma = k === 0 ? s.sma20 : k === 1 ? s.sma50 : s.sma200;
    return up ? s.close > sma : s.close < sma;
  });
  const list =
    names.length === 3 ? `${names[0]}, ${names[1]} and ${names[2]}` : names.join(' and ');
  const adx = s.adx14 >= 25 ? ` (ADX ${Math.round(s.adx14)})` : '';
  const head = up ? 'Uptrend' : 'Downtrend';
  return list ? `${head}${adx}: close ${up ? 'above' : 'below'} ${list}` : `${head}${adx}`;
}

function momentumReason(s: IndicatorSnapshot): string {
  const macd =
    s.macdHist > 0
      ? 'MACD histogram positive'
      : s.macdHist < 0
        ? 'MACD histogram negative'
        : 'MACD histogram flat';
  return `${macd}, 20-day change ${signed(s.roc20)}%`;
}

function volumeReason(s: IndicatorSnapshot, card: ScoreCard): string {
  const spike =
    s.volumeSpike >= 1.5
      ? `volume ${s.volumeSpike.toFixed(1)}× average on ${s.close >= s.prevClose ? 'an up' : 'a down'} day`
      : '';
  const balance = card.volume >= 0 ? 'volume favors buyers' : 'volume favors sellers';
  return spike || balance;
}

function volatilityReason(s: IndicatorSnapshot): string {
  const change = s.atr14Prior > 0 ? (s.atr14 / s.atr14Prior - 1) * 100 : 0;
  return `volatility ${change <= 0 ? 'contracting' : 'expanding'} (ATR ${signed(change, 0)}% in 20 days)`;
}

function oscillatorReason(s: IndicatorSnapshot): string {
  const rsi = Math.round(s.rsi14);
  return rsi >= 70 ? `RSI ${rsi} (overbought)` : rsi <= 30 ? `RSI ${rsi} (oversold)` : `RSI ${rsi}`;
}

function breakoutReason(s: IndicatorSnapshot): string {
  if (s.close > s.channelHigh20) return 'breaking out above the 20-day high';
  if (s.close < s.channelLow20) return 'breaking down below the 20-day low';
  if (s.dist52wHigh > -1) return 'at the 52-week high';
  return `${Math.abs(s.dist52wHigh).toFixed(1)}% below the 52-week high`;
}

/**
 * One short line naming the strongest reasons for the rating: the three subscores that move it
 * most (weight × |subscore|, ties in the fixed order trend … breakout), then the ATR, e.g.
 * "Uptrend: close above SMA50 and SMA200; RSI 63; MACD histogram positive, 20-day change +4.1%; ATR 1.4% of price".
 */
export function rationale(s: IndicatorSnapshot, card: ScoreCard): string {
  const ranked = ORDER.slice().sort(
    (a, b) =>
      WEIGHTS[b] * Math.abs(card[b]) - WEIGHTS[a] * Math.abs(card[a]) ||
      ORDER.indexOf(a) - ORDER.indexOf(b),
  );
  const parts: string[] = [];
  for (const key of ranked.slice(0, REASONS)) {
    if (key === 'trend') parts.push(trendReason(s, card));
    else if (key === 'momentum') parts.push(momentumReason(s));
    else if (key === 'volume') parts.push(volumeReason(s, card));
    else if (key === 'volatility') parts.push(volatilityReason(s));
    else if (key === 'oscillator') parts.push(oscillatorReason(s));
    else parts.push(breakoutReason(s));
  }
  parts.push(`ATR ${s.atrPct.toFixed(1)}% of price`);
  const line = parts.join('; ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}
