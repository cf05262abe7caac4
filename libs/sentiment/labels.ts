/**
 * The three classes, in the order of the corpus' numeric labels (0 = bearish, 1 = bullish,
 * 2 = neutral), which is also the order of the model's outputs.
 */
export const SENTIMENT_LABELS = ['bearish', 'bullish', 'neutral'] as const;

export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** A text and its class, as read from a `text,label` CSV. */
export interface LabelledText {
  text: string;
  label: SentimentLabel;
}

const ALIASES: Record<string, SentimentLabel> = {
  '0': 'bearish',
  '1': 'bullish',
  '2': 'neutral',
  bearish: 'bearish',
  bullish: 'bullish',
  neutral: 'neutral',
  negative: 'bearish',
  positive: 'bullish',
};

/** Reads a label as the corpus writes it (0/1/2) or by name (bearish/bullish/neutral, negative/positive). */
export function parseLabel(value: string): SentimentLabel | undefined {
  return ALIASES[value.trim().toLowerCase()];
}

export function labelIndex(label: SentimentLabel): number {
  return SENTIMENT_LABELS.indexOf(label);
}
