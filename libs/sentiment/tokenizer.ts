// Tokenizer for short finance texts (headlines, tweets). It keeps what carries sentiment in this
// domain — direction words, signed percentages, negations, emoji — and folds what only identifies
// (tickers, links, exact numbers, user handles) into placeholder tokens so that the model learns
// "<cashtag> beats estimates" rather than "$AAPL beats estimates".

/** Placeholder tokens; `<` and `>` never survive in word tokens, so these cannot collide with words. */
export const TOKENS = {
  cashtag: '<cashtag>',
  url: '<url>',
  user: '<user>',
  number: '<num>',
  money: '<money>',
  percent: '<pct>',
  percentUp: '<pct+>',
  percentDown: '<pct->',
} as const;

/** Prefix for tokens in the scope of a negation ("not_good"). */
export const NEGATION_PREFIX = 'not_';

// How many tokens after a negation word are marked; a clause break ends the scope earlier.
const NEGATION_SCOPE = 3;

const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'neither',
  'nor',
  'none',
  'nothing',
  'nobody',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'hasnt',
  'havent',
  'hadnt',
]);

/*
 * One alternation, tried left to right at each position (the order matters: a URL before a word,
 * money before a cashtag, a signed percentage before a plain number).
 *  1 url · 2 money ($1.6 billion, $235, $0.02) · 3 cashtag ($AAPL, $BRK.B) · 4 @user · 5 signed or
 *  plain percentage · 6 number with any letters glued to it (1,234.5, 2019, 5G, 3rd) · 7 word (with
 *  inner apostrophes, dots of abbreviations such as u.s., hyphens) · 8 #hashtag · 9 emoji sequence ·
 *  10 clause punctuation (ends a negation scope).
 */
const TOKEN_RE = new RegExp(
  [
    String.raw`(https?:\/\/\S+|www\.\S+)`,
    String.raw`(\$\d[\d,]*(?:\.\d+)?(?:\s?(?:[kmb]n?|million|billion|trillion)\b)?)`,
    String.raw`(\$[a-z][a-z0-9]{0,5}(?:\.[a-z])?)\b`,
    String.raw`(@\w+)`,
    String.raw`([+\-]?\d[\d,]*(?:\.\d+)?\s?%)`,
    String.raw`(\d[\d,]*(?:\.\d+)?[\p{L}\d]*)`,
    String.raw`(\p{L}[\p{L}\p{M}\d]*(?:['’.\-&][\p{L}\p{M}\d]+)*)`,
    String.raw`(#\w+)`,
    String.raw`((?:\p{Extended_Pictographic}|\p{Regional_Indicator}{2})(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*)`,
    String.raw`([.!?;:,()"\u2026])`,
  ].join('|'),
  'gu',
);

/**
 * Splits a text into normalized tokens: lower case; `$AAPL` → `<cashtag>`; links → `<url>`;
 * `@handle` → `<user>`; `$1.6 billion` → `<money>`; `+5%`/`up 5%` keep their direction as
 * `<pct+>`/`<pct->` (`<pct>` when unsigned); other numbers → `<num>`; emoji are kept as tokens;
 * up to three words after a negator (not, no, never, without, …n't) get the `not_` prefix.
 * Punctuation is dropped after it has ended a negation scope.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let negation = 0;
  const lower = text.toLowerCase();
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(lower); m !== null; m = TOKEN_RE.exec(lower)) {
    let token: string;
    if (m[1] !== undefined) token = TOKENS.url;
    else if (m[2] !== undefined) token = TOKENS.money;
    else if (m[3] !== undefined) token = TOKENS.cashtag;
    else if (m[4] !== undefined) token = TOKENS.user;
    else if (m[5] !== undefined) {
      const sign = m[5][0];
      token = sign === '+' ? TOKENS.percentUp : sign === '-' ? TOKENS.percentDown : TOKENS.percent;
    } else if (m[6] !== undefined) token = TOKENS.number;
    else if (m[7] !== undefined) token = normalizeWord(m[7]);
    else if (m[8] !== undefined) token = m[8];
    else if (m[9] !== undefined) token = m[9].replace(/\uFE0F/gu, '');
    else {
      negation = 0; // clause punctuation
      continue;
    }
    if (negation > 0) {
      out.push(NEGATION_PREFIX + token);
      negation--;
    } else {
      out.push(token);
    }
    if (NEGATORS.has(token)) negation = NEGATION_SCOPE;
  }
  return out;
}

/** Straight apostrophes, `n't` contractions joined ("don't" → "dont"), possessive `'s` dropped. */
function normalizeWord(word: string): string {
  let w = word.includes('’') ? word.replace(/’/g, "'") : word;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (w.endsWith("n't")) w = w.slice(0, -3) + 'nt';
  if (w === 'cant' || w === "can't") return 'cant';
  return w;
}

/**
 * The text the character n-grams are taken from: lower case, with links and handles removed and
 * cashtags and numbers folded to one symbol each, so that the n-grams describe the wording only.
 */
export function normalizeForCharacters(text: string): string {
  return text
    .toLowerCase()
    .replace(/https?:\/\/\S+|www\.\S+/g, ' ')
    .replace(/@\w+/g, ' ')
    .replace(/\$[a-z][a-z0-9]{0,5}(?:\.[a-z])?\b/g, '$')
    .replace(/\d[\d,]*(?:\.\d+)?/g, '0')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A light suffix-stripping stemmer (a subset of Porter's step 1 plus a final -e) so that
 * "downgrade", "downgrades", "downgraded" and "downgrading" share one feature. Placeholders and
 * emoji pass through; the negation prefix is kept.
 */
export function stem(token: string): string {
  if (token.startsWith(NEGATION_PREFIX))
    return NEGATION_PREFIX + stem(token.slice(NEGATION_PREFIX.length));
  const first = token.charCodeAt(0);
  if (first < 0x61 || first > 0x7a) return token; // not a word starting with a-z
  let w = token;
  if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  let stripped = false;
  if (w.length > 5 && w.endsWith('ing')) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.length > 4 && w.endsWith('ed')) {
    w = w.slice(0, -2);
    stripped = true;
  }
  if (
    stripped &&
    w.length > 2 &&
    w[w.length - 1] === w[w.length - 2] &&
    !'lsz'.includes(w[w.length - 1])
  )
    w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}
