// The recursive indicators (EMA 20, MACD 12/26/9, RSI 14, ATR 14, ADX 14) advanced bar by bar in
// one pass. Their state lives in a Float64Array so that it crosses function boundaries unboxed.

/** Slots of the recursive state. */
export const EMA = 0;
export const FAST = 1;
export const SLOW = 2;
export const SIGNAL = 3;
/** Wilder-smoothed average gain and loss of the RSI. */
export const GAIN = 4;
export const LOSS = 5;
export const ATR = 6;
/** Wilder sums of +DM, −DM and true range (TA-Lib's ADX keeps sums, not averages). */
export const PLUS_DM = 7;
export const MINUS_DM = 8;
export const DM_TR = 9;
export const ADX = 10;
export const PREV_CLOSE = 11;
export const PREV_HIGH = 12;
export const PREV_LOW = 13;
/** ATR at the row `atrRow` (NaN until then): computeIndicators records it between two advances. */
export const ATR_PRIOR = 14;
export const STATE_SLOTS = 15;

const EMA_PERIOD = 20;
const MACD_FAST = 12;
const MACD_SLOW = 26;
const MACD_SIGNAL = 9;
/** RSI, ATR and ADX all use Wilder's 14. */
const WILDER = 14;

/** Bars (0-based from the symbol's first) at which each recursion gets its first value. */
const SLOW_FIRST = MACD_SLOW - 1; // 25: slow EMA seeded with the mean of closes 0..25
const FAST_SEED_FROM = SLOW_FIRST - (MACD_FAST - 1); // 14: TA-Lib aligns the fast seed to end at bar 25
export const SIGNAL_FIRST = SLOW_FIRST + MACD_SIGNAL - 1; // 33
export const WILDER_FIRST = WILDER; // 14: RSI, ATR and the DIs
export const ADX_FIRST = 2 * WILDER - 1; // 27
/** Bars the warm-up pass covers: every recursion is seeded before bar 34. */
export const WARM_UP = SIGNAL_FIRST + 1;

const K_EMA = 2 / (EMA_PERIOD + 1);
const K_FAST = 2 / (MACD_FAST + 1);
const K_SLOW = 2 / (MACD_SLOW + 1);
const K_SIGNAL = 2 / (MACD_SIGNAL + 1);
const DECAY = (WILDER - 1) / WILDER;
const GAIN_K = 1 / WILDER;
/** (x + |x|) · GAIN_K / 2 = max(x, 0) · GAIN_K exactly: scaling by 2 is exact. */
const HALF_GAIN_K = GAIN_K / 2;
const DX_K = 100 / WILDER;

/** TA-Lib's TA_IS_ZERO (TA_EPSILON is 1e-14 in TA-Lib 0.6): below it a divisor counts as zero. */
export const isZero = (x: number): boolean => x > -1e-14 && x < 1e-14;

/** TA-Lib's TRUE_RANGE: the largest of today's range and the gaps from yesterday's close. */
function trueRange(h: number, l: number, prevClose: number): number {
  let tr = h - l;
  const up = Math.abs(prevClose - h);
  if (up > tr) tr = up;
  const down = Math.abs(prevClose - l);
  return down > tr ? down : tr;
}

/**
 * Rows first..end (end ≤ first + WARM_UP - 1), where the recursions are still summing their seeds:
 * TA-Lib's code, operation for operation. EMAs are seeded with the mean of their first N values
 * (the fast MACD EMA with the 12 closes ending where the slow one starts), RSI and ATR with the mean
 * of the first 14 changes and true ranges, the ADX with the mean of the first 14 DX.
 */
export function warmUp(
  close: Float64Array,
  high: Float64Array,
  low: Float64Array,
  first: number,
  end: number,
  atrRow: number,
  st: Float64Array,
): void {
  st.fill(NaN);
  let emaSum = 0,
    fastSum = 0,
    slowSum = 0,
    signalSum = 0,
    trSum = 0,
    dxSum = 0;
  let gain = 0,
    loss = 0,
    plusDM = 0,
    minusDM = 0,
    dmTR = 0;
  let prevClose = close[first]!,
    prevHigh = high[first]!,
    prevLow = low[first]!;
  for (let k = first; k <= end; k++) {
    const j = k - first;
    const c = close[k]!;
    if (j < EMA_PERIOD) {
      emaSum += c;
      if (j === EMA_PERIOD - 1) st[EMA] = emaSum / EMA_PERIOD;
    } else st[EMA] = (c - st[EMA]!) * K_EMA + st[EMA]!;
    if (j < SLOW_FIRST) {
      slowSum += c;
      if (j >= FAST_SEED_FROM) fastSum += c;
    } else if (j === SLOW_FIRST) {
      st[SLOW] = (slowSum + c) / MACD_SLOW;
      st[FAST] = (fastSum + c) / MACD_FAST;
    } else {
      st[SLOW] = (c - st[SLOW]!) * K_SLOW + st[SLOW]!;
      st[FAST] = (c - st[FAST]!) * K_FAST + st[FAST]!;
    }
    if (j >= SLOW_FIRST) {
      signalSum += st[FAST]! - st[SLOW]!;
      if (j === SIGNAL_FIRST) st[SIGNAL] = signalSum / MACD_SIGNAL;
    }
    if (j === 0) continue;

    const h = high[k]!,
      l = low[k]!;
    const diff = c - prevClose;
    const tr = trueRange(h, l, prevClose);
    const upMove = h - prevHigh,
      downMove = prevLow - l;
    const dmUp = upMove > 0 && upMove > downMove ? upMove : 0;
    const dmDown = downMove > 0 && upMove < downMove ? downMove : 0;
    prevClose = c;
    prevHigh = h;
    prevLow = l;
    if (j <= WILDER) {
      if (diff < 0) loss -= diff;
      else gain += diff;
      trSum += tr;
      if (j === WILDER) {
        loss /= WILDER;
        gain /= WILDER;
        st[ATR] = trSum / WILDER;
      }
    } else {
      gain = (gain * (WILDER - 1) + (diff > 0 ? diff : 0)) / WILDER;
      loss = (loss * (WILDER - 1) - (diff < 0 ? diff : 0)) / WILDER;
      st[ATR] = (st[ATR]! * (WILDER - 1) + tr) / WILDER;
    }
    if (k === atrRow) st[ATR_PRIOR] = st[ATR]!;
    if (j < WILDER) {
      // TA-Lib sums the first 13 directional movements and true ranges, then smooths from bar 14.
      plusDM += dmUp;
      minusDM += dmDown;
      dmTR += tr;
      continue;
    }
    plusDM = plusDM - plusDM / WILDER + dmUp;
    minusDM = minusDM - minusDM / WILDER + dmDown;
    dmTR = dmTR - dmTR / WILDER + tr;
    let dx = NaN;
    if (!isZero(dmTR)) {
      const minusDI = 100 * (minusDM / dmTR);
      const plusDI = 100 * (plusDM / dmTR);
      if (!isZero(minusDI + plusDI)) dx = 100 * (Math.abs(minusDI - plusDI) / (minusDI + plusDI));
    }
    if (j < ADX_FIRST) {
      if (dx === dx) dxSum += dx;
    } else if (j === ADX_FIRST) st[ADX] = (dx === dx ? dxSum + dx : dxSum) / WILDER;
    else if (dx === dx) st[ADX] = (st[ADX]! * (WILDER - 1) + dx) / WILDER;
  }
  st[GAIN] = gain;
  st[LOSS] = loss;
  st[PLUS_DM] = plusDM;
  st[MINUS_DM] = minusDM;
  st[DM_TR] = dmTR;
  st[PREV_CLOSE] = prevClose;
  st[PREV_HIGH] = prevHigh;
  st[PREV_LOW] = prevLow;
}

/**
 * Rows from..to after the warm-up: every recursion advanced once per bar, the hot loop of a scan.
 * Three changes from TA-Lib's code keep it fast, all far below the 1e-9 the golden tests demand:
 * Wilder's divisions by 14 become multiplications; DX comes from the smoothed DMs directly (the
 * common TR cancels), leaving one division per bar; and no choice branches on the data, since
 * those branches are unpredictable and mispredicting them doubled the loop's time: max(x, 0) is
 * (x + |x|) / 2 (exact), the true range is (|h − prevClose| + |l − prevClose| + h − l) / 2 (the
 * same as TA-Lib's max of three, within an ulp), and +DM/−DM multiply by a 0/1 comparison (exact).
 * The ADX update is skipped, as in TA-Lib, when there is no directional movement to divide by.
 */
export function advance(
  close: Float64Array,
  high: Float64Array,
  low: Float64Array,
  from: number,
  to: number,
  st: Float64Array,
): void {
  let ema = st[EMA]!,
    fast = st[FAST]!,
    slow = st[SLOW]!,
    signal = st[SIGNAL]!;
  let gain = st[GAIN]!,
    loss = st[LOSS]!,
    atr = st[ATR]!,
    adx = st[ADX]!;
  let plusDM = st[PLUS_DM]!,
    minusDM = st[MINUS_DM]!,
    dmTR = st[DM_TR]!;
  let prevClose = st[PREV_CLOSE]!,
    prevHigh = st[PREV_HIGH]!,
    prevLow = st[PREV_LOW]!;
  for (let k = from; k <= to; k++) {
    const c = close[k]!,
      h = high[k]!,
      l = low[k]!;
    ema += (c - ema) * K_EMA;
    slow += (c - slow) * K_SLOW;
    fast += (c - fast) * K_FAST;
    signal += (fast - slow - signal) * K_SIGNAL;
    const diff = c - prevClose;
    const absDiff = Math.abs(diff);
    gain = gain * DECAY + (diff + absDiff) * HALF_GAIN_K;
    loss = loss * DECAY + (absDiff - diff) * HALF_GAIN_K;
    const tr = (Math.abs(h - prevClose) + Math.abs(l - prevClose) + (h - l)) * 0.5;
    atr = atr * DECAY + tr * GAIN_K;
    // +DM when the up move is positive and the larger one; −DM likewise; neither on a tie.
    const upMove = h - prevHigh,
      downMove = prevLow - l;
    const up = (upMove + Math.abs(upMove)) * 0.5,
      down = (downMove + Math.abs(downMove)) * 0.5;
    plusDM = plusDM * DECAY + up * +(up > down);
    minusDM = minusDM * DECAY + down * +(down > up);
    dmTR = dmTR * DECAY + tr;
    const dmSum = plusDM + minusDM;
    if (dmSum > 0) adx = adx * DECAY + (Math.abs(plusDM - minusDM) * DX_K) / dmSum;
    prevClose = c;
    prevHigh = h;
    prevLow = l;
  }
  st[EMA] = ema;
  st[FAST] = fast;
  st[SLOW] = slow;
  st[SIGNAL] = signal;
  st[GAIN] = gain;
  st[LOSS] = loss;
  st[ATR] = atr;
  st[ADX] = adx;
  st[PLUS_DM] = plusDM;
  st[MINUS_DM] = minusDM;
  st[DM_TR] = dmTR;
  st[PREV_CLOSE] = prevClose;
  st[PREV_HIGH] = prevHigh;
  st[PREV_LOW] = prevLow;
}
