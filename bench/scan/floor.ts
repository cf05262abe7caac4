/**
 * The floor of the engine bench: one tight, hand-written pass per symbol over the same Float64Array
 * columns, computing every indicator value the engine's snapshot holds at the last bar, with no
 * allocation, no function call per bar, no state object and no scoring or ranking. It is the least
 * work that produces those values with the engine's conventions (TA-Lib seeding at the start of the
 * same 600-bar recursion window, docs/scan.md), so engine ÷ floor is the price of everything else
 * the engine does: its state array between two loops, the separate trailing-window loops, the
 * six subscores, the filters, the ranking and the Analysis objects of the hits.
 */
import { MIN_HISTORY, type BarStore } from '#scan-engine';

/** Bars the recursive indicators run over (the engine's RECURSION_WINDOW, docs/scan.md). */
export const RECURSION_WINDOW = 600;

/**
 * Output slots per symbol. The first CORE_SLOTS are the set every implementation computes (floor
 * and peers); the rest only the floor (and the engine) computes.
 */
export const SLOT = {
  close: 0,
  sma20: 1,
  sma50: 2,
  sma200: 3,
  macd: 4,
  macdSignal: 5,
  macdHist: 6,
  rsi14: 7,
  atr14: 8,
  adx14: 9,
  bbUpper: 10,
  bbMiddle: 11,
  bbLower: 12,
  roc20: 13,
  roc60: 14,
  roc120: 15,
  high252: 16,
  avgDollarVolume20: 17,
  ema20: 18,
  plusDI14: 19,
  minusDI14: 20,
  avgVolume20Prior: 21,
  upDownVolume20: 22,
  channelHigh20: 23,
  channelLow20: 24,
  atr14Prior: 25,
} as const;
export const CORE_SLOTS = 18;
export const SLOTS = 26;

const K20 = 2 / 21;
const K12 = 2 / 13;
const K26 = 2 / 27;
const K9 = 2 / 10;
const DECAY = 13 / 14;
const GAIN_K = 1 / 14;
const HALF_GAIN_K = GAIN_K / 2;
const DX_K = 100 / 14;
const isZero = (x: number) => x > -1e-14 && x < 1e-14;

/**
 * Symbol i at its last bar into out[o .. o + SLOTS); false (nothing written) when it has fewer
 * than MIN_HISTORY bars, like the engine.
 */
export function floorSymbol(store: BarStore, i: number, out: Float64Array, o: number): boolean {
  const { close, high, low, volume } = store;
  const first = store.offsets[i]!;
  const last = store.offsets[i + 1]! - 1;
  if (last - first + 1 < MIN_HISTORY) return false;
  const start = Math.max(first, last - RECURSION_WINDOW + 1);
  // Window starts (all inside the recursion window, which is longer than the longest of them).
  const w252 = Math.max(first, last - 251);
  const w200 = last - 199;
  const w50 = last - 49;
  const w20 = last - 19;
  const wPrior = last - 20;
  const atrRow = last - 20;
  const ref = close[last]!; // shift for a one-pass variance without cancellation

  let ema = 0,
    fast = 0,
    slow = 0,
    signal = 0,
    emaSum = 0,
    fastSum = 0,
    slowSum = 0,
    signalSum = 0;
  let gain = 0,
    loss = 0,
    atr = NaN,
    trSum = 0,
    atrPrior = NaN;
  let pdm = 0,
    mdm = 0,
    dmtr = 0,
    adx = NaN,
    dxSum = 0;
  let pc = close[start]!,
    ph = high[start]!,
    pl = low[start]!;
  let top = -Infinity,
    s200 = 0,
    s50 = 0,
    s20 = 0,
    d20 = 0,
    q20 = 0,
    dollars = 0,
    volPrior = 0,
    chanHi = -Infinity,
    chanLo = Infinity,
    net = 0,
    total = 0;

  emaSum = slowSum = pc; // bar 0 of the window opens both sums; it has no change or true range
  // Warm-up: the first 34 bars of the window, TA-Lib's seeding operation for operation.
  const warmEnd = Math.min(last, start + 33);
  for (let k = start + 1; k <= warmEnd; k++) {
    const c = close[k]!,
      h = high[k]!,
      l = low[k]!;
    const j = k - start;
    if (j < 20) {
      emaSum += c;
      if (j === 19) ema = emaSum / 20;
    } else ema = (c - ema) * K20 + ema;
    if (j < 25) {
      slowSum += c;
      if (j >= 14) fastSum += c;
    } else if (j === 25) {
      slow = (slowSum + c) / 26;
      fast = (fastSum + c) / 12;
    } else {
      slow = (c - slow) * K26 + slow;
      fast = (c - fast) * K12 + fast;
    }
    if (j >= 25) {
      signalSum += fast - slow;
      if (j === 33) signal = signalSum / 9;
    }
    const diff = c - pc;
    let tr = h - l;
    if (Math.abs(pc - h) > tr) tr = Math.abs(pc - h);
    if (Math.abs(pc - l) > tr) tr = Math.abs(pc - l);
    const upMove = h - ph,
      downMove = pl - l;
    const dmUp = upMove > 0 && upMove > downMove ? upMove : 0;
    const dmDown = downMove > 0 && upMove < downMove ? downMove : 0;
    if (j <= 14) {
      if (diff < 0) loss -= diff;
      else gain += diff;
      trSum += tr;
      if (j === 14) {
        loss /= 14;
        gain /= 14;
        atr = trSum / 14;
      }
    } else {
      gain = (gain * 13 + (diff > 0 ? diff : 0)) / 14;
      loss = (loss * 13 - (diff < 0 ? diff : 0)) / 14;
      atr = (atr * 13 + tr) / 14;
    }
    if (j < 14) {
      pdm += dmUp;
      mdm += dmDown;
      dmtr += tr;
    } else {
      pdm = pdm - pdm / 14 + dmUp;
      mdm = mdm - mdm / 14 + dmDown;
      dmtr = dmtr - dmtr / 14 + tr;
      let dx = NaN;
      if (!isZero(dmtr)) {
        const mdi = 100 * (mdm / dmtr),
          pdi = 100 * (pdm / dmtr);
        if (!isZero(mdi + pdi)) dx = 100 * (Math.abs(mdi - pdi) / (mdi + pdi));
      }
      if (j < 27) {
        if (dx === dx) dxSum += dx;
      } else if (j === 27) adx = (dx === dx ? dxSum + dx : dxSum) / 14;
      else if (dx === dx) adx = (adx * 13 + dx) / 14;
    }
    pc = c;
    ph = h;
    pl = l;
  }
  // The recursions without divisions or data-dependent branches (the engine's hot loop), split at
  // atrRow to record the ATR there without a per-bar test.
  for (let part = 0; part < 2; part++) {
    const to = part === 0 ? atrRow : last;
    for (let k = part === 0 ? warmEnd + 1 : Math.max(warmEnd, atrRow) + 1; k <= to; k++) {
      const c = close[k]!,
        h = high[k]!,
        l = low[k]!;
      ema += (c - ema) * K20;
      slow += (c - slow) * K26;
      fast += (c - fast) * K12;
      signal += (fast - slow - signal) * K9;
      const diff = c - pc;
      const ad = Math.abs(diff);
      gain = gain * DECAY + (diff + ad) * HALF_GAIN_K;
      loss = loss * DECAY + (ad - diff) * HALF_GAIN_K;
      const tr = (Math.abs(h - pc) + Math.abs(l - pc) + (h - l)) * 0.5;
      atr = atr * DECAY + tr * GAIN_K;
      const upMove = h - ph,
        downMove = pl - l;
      const up = (upMove + Math.abs(upMove)) * 0.5,
        down = (downMove + Math.abs(downMove)) * 0.5;
      pdm = pdm * DECAY + up * +(up > down);
      mdm = mdm * DECAY + down * +(down > up);
      dmtr = dmtr * DECAY + tr;
      const dmSum = pdm + mdm;
      if (dmSum > 0) adx = adx * DECAY + (Math.abs(pdm - mdm) * DX_K) / dmSum;
      pc = c;
      ph = h;
      pl = l;
    }
    if (part === 0) atrPrior = atr;
  }
  // Every trailing window in one loop over the last 252 bars, nested by length: each test flips
  // once per symbol, so it is always predicted.
  for (let k = w252; k <= last; k++) {
    const h = high[k]!;
    if (h > top) top = h;
    if (k < w200) continue;
    const c = close[k]!;
    s200 += c;
    if (k < w50) continue;
    s50 += c;
    if (k < wPrior) continue;
    const v = volume[k]!;
    if (k < last) {
      volPrior += v;
      if (h > chanHi) chanHi = h;
      const l = low[k]!;
      if (l < chanLo) chanLo = l;
    }
    if (k < w20) continue;
    const p = close[k - 1]!;
    s20 += c;
    d20 += c - ref;
    q20 += (c - ref) * (c - ref);
    dollars += c * v;
    total += v;
    net += v * (+(c > p) - +(c < p));
  }

  const mid = s20 / 20;
  const shift = d20 / 20;
  const band = 2 * Math.sqrt(Math.max(0, q20 / 20 - shift * shift));
  const roc = (p: number) => {
    const past = close[last - p]!;
    return past !== 0 ? (ref / past - 1) * 100 : 0;
  };
  out[o + SLOT.close] = ref;
  out[o + SLOT.sma20] = mid;
  out[o + SLOT.sma50] = s50 / 50;
  out[o + SLOT.sma200] = s200 / 200;
  out[o + SLOT.macd] = fast - slow;
  out[o + SLOT.macdSignal] = signal;
  out[o + SLOT.macdHist] = fast - slow - signal;
  out[o + SLOT.rsi14] = isZero(gain + loss) ? 0 : 100 * (gain / (gain + loss));
  out[o + SLOT.atr14] = atr;
  out[o + SLOT.adx14] = adx;
  out[o + SLOT.bbUpper] = mid + band;
  out[o + SLOT.bbMiddle] = mid;
  out[o + SLOT.bbLower] = mid - band;
  out[o + SLOT.roc20] = roc(20);
  out[o + SLOT.roc60] = roc(60);
  out[o + SLOT.roc120] = roc(120);
  out[o + SLOT.high252] = top;
  out[o + SLOT.avgDollarVolume20] = dollars / 20;
  out[o + SLOT.ema20] = ema;
  out[o + SLOT.plusDI14] = isZero(dmtr) ? 0 : 100 * (pdm / dmtr);
  out[o + SLOT.minusDI14] = isZero(dmtr) ? 0 : 100 * (mdm / dmtr);
  out[o + SLOT.avgVolume20Prior] = volPrior / 20;
  out[o + SLOT.upDownVolume20] = total > 0 ? net / total : 0;
  out[o + SLOT.channelHigh20] = chanHi;
  out[o + SLOT.channelLow20] = chanLo;
  out[o + SLOT.atr14Prior] = atrPrior;
  return true;
}

/** The floor over a set of symbols; out holds SLOTS values per position in `indexes`. */
export function floorScan(store: BarStore, indexes: Int32Array, out: Float64Array): number {
  let analyzed = 0;
  for (let p = 0; p < indexes.length; p++)
    if (floorSymbol(store, indexes[p]!, out, p * SLOTS)) analyzed++;
  return analyzed;
}
