import { SENTIMENT_LABELS, type SentimentLabel } from './labels.js';
import type { TextClassifier } from './metrics.js';

// The lexicon baselines are devDependencies (used when training and evaluating, never by the
// api), so they are imported on demand: the production image, which prunes dev dependencies, can
// still load this library.

/** VADER's compound score with the thresholds its authors recommend: ≥ 0.05 positive, ≤ −0.05 negative. */
export async function vaderBaseline(): Promise<TextClassifier> {
  const { SentimentIntensityAnalyzer: analyzer } = await import('vader-sentiment');
  return {
    name: 'VADER (vader-sentiment)',
    classify: (texts) =>
      texts.map((t): SentimentLabel => {
        const { compound } = analyzer.polarity_scores(t);
        return compound >= 0.05 ? 'bullish' : compound <= -0.05 ? 'bearish' : 'neutral';
      }),
  };
}

/** The AFINN-165 word list (package `sentiment`): a positive total score is bullish, negative bearish. */
export async function afinnBaseline(): Promise<TextClassifier> {
  const { default: Sentiment } = await import('sentiment');
  const analyzer = new Sentiment();
  return {
    name: 'AFINN (sentiment)',
    classify: (texts) =>
      texts.map((t): SentimentLabel => {
        const { score } = analyzer.analyze(t);
        return score > 0 ? 'bullish' : score < 0 ? 'bearish' : 'neutral';
      }),
  };
}

/** Always the most frequent class of the training split (`classCounts` in label order). */
export function majorityBaseline(classCounts: number[]): TextClassifier {
  let best = 0;
  for (let c = 1; c < classCounts.length; c++) if (classCounts[c] > classCounts[best]) best = c;
  const label = SENTIMENT_LABELS[best];
  return { name: `majority class (${label})`, classify: (texts) => texts.map(() => label) };
}

/** The baselines of the report, in its order; the lexicon ones need the dev dependencies installed. */
export async function loadBaselines(classCounts: number[]): Promise<TextClassifier[]> {
  try {
    return [await vaderBaseline(), await afinnBaseline(), majorityBaseline(classCounts)];
  } catch (error) {
    throw new Error(
      `the baselines need the dev dependencies vader-sentiment and sentiment (npm install): ${String(error)}`,
    );
  }
}
