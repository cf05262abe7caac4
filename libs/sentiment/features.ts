import { normalizeForCharacters, stem, tokenize } from './tokenizer.js';

/** How a text becomes a sparse vector; stored in the artifact so inference rebuilds the same features. */
export interface FeatureOptions {
  /** log2 of the number of hash buckets (18 → 262,144). */
  bits: number;
  /** Word n-gram lengths, inclusive (1..2 = unigrams and bigrams). */
  wordNgrams: [number, number];
  /** Character n-gram lengths, inclusive (3..5). */
  charNgrams: [number, number];
  /** Weight of the word block against the character block (each block is L2-normalized first). */
  wordWeight: number;
  /** Sublinear term frequency: 1 + ln(count) instead of the count. */
  sublinearTf: boolean;
  /** Weight of a third block of stemmed word n-grams (0 leaves it out). */
  stemWeight: number;
}

/** The settings the shipped model uses (chosen by cross-validation on the training split). */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  bits: 18,
  wordNgrams: [1, 2],
  charNgrams: [3, 5],
  wordWeight: 2,
  stemWeight: 2,
  sublinearTf: true,
};

/** A sparse feature vector: unique bucket indices and their values (not sorted). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Longer texts are cut to this many characters (UTF-16 units) before featurization. */
export const MAX_TEXT_CHARS = 10_000;

// Namespace seeds keep a word "ion" and the character trigram "ion" in different buckets.
const SEED_WORD = 0x811c9dc5 | 0;
const SEED_BIGRAM = 0x27d4eb2f;
const SEED_CHAR = 0x165667b1;
const SEED_STEM = 0x9e3779b1 | 0;
const SEED_STEM_BIGRAM = 0x85ebca77 | 0;
const FNV_PRIME = 0x01000193;

/** Murmur3's 32-bit finalizer: spreads FNV's weak low bits before the bucket mask is applied. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0; // int32: stays a small integer in V8 (no boxing); the sign bit is the feature's sign
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Open-addressing map from bucket index to value, sized per text so that a short text works in a
 * table that stays in L1 cache (a dense 2^18 scratch array costs a cache miss per n-gram).
 */
class BucketTable {
  readonly keys: Int32Array;
  readonly values: Float64Array;
  /** Slots in use, in insertion order (so iteration and clearing cost only what was used). */
  readonly used: Int32Array;
  size = 0;
  private mask = 0;

  constructor(capacity: number) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float64Array(capacity);
    this.used = new Int32Array(capacity);
  }

  /** Prepares for at most `entries` distinct keys (the table keeps its load factor ≤ 1/2). */
  reset(entries: number): void {
    for (let t = 0; t < this.size; t++) {
      const slot = this.used[t];
      this.keys[slot] = -1;
      this.values[slot] = 0;
    }
    this.size = 0;
    let capacity = 64;
    while (capacity < 2 * entries) capacity *= 2;
    this.mask = Math.min(capacity, this.keys.length) - 1;
  }

  add(key: number, delta: number): void {
    let slot = key & this.mask;
    for (;;) {
      const k = this.keys[slot];
      if (k === key) break;
      if (k === -1) {
        this.keys[slot] = key;
        this.used[this.size++] = slot;
        break;
      }
      slot = (slot + 1) & this.mask;
    }
    this.values[slot] += delta;
  }
}

/**
 * Signed feature hashing (Weinberger et al., 2009) of word n-grams and character n-grams. The
 * bucket is the low `bits` of a hash and the sign its top bit, so collisions cancel on average
 * instead of piling up. Each block (words, stems, characters) is TF-scaled and L2-normalized, then
 * weighted, summed and normalized again. Not re-entrant: it reuses scratch buffers, which a single
 * JavaScript thread makes safe and which keeps the allocation per text to the returned vector.
 */
export class HashingVectorizer {
  readonly options: FeatureOptions;
  readonly dimension: number;
  private readonly mask: number;
  private readonly block: BucketTable;
  private readonly out: BucketTable;
  private readonly codes: Int32Array;

  constructor(options: FeatureOptions = DEFAULT_FEATURE_OPTIONS) {
    if (!Number.isInteger(options.bits) || options.bits < 8 || options.bits > 24)
      throw new Error('bits must be 8..24');
    const [w0, w1] = options.wordNgrams;
    const [c0, c1] = options.charNgrams;
    if (!(w0 >= 1 && w1 >= w0 && w1 <= 3 && c0 >= 1 && c1 >= c0 && c1 <= 6))
      throw new Error('bad n-gram ranges');
    this.options = options;
    this.dimension = 1 << options.bits;
    this.mask = this.dimension - 1;
    // Every position starts at most one n-gram of each length per block, which bounds the number
    // of distinct buckets a text can touch.
    const capacity =
      2 ** Math.ceil(Math.log2(2 * this.maxEntries(MAX_TEXT_CHARS + 2, MAX_TEXT_CHARS)));
    this.block = new BucketTable(capacity);
    this.out = new BucketTable(capacity);
    this.codes = new Int32Array(MAX_TEXT_CHARS + 2);
  }

  private maxEntries(chars: number, tokens: number): number {
    const { wordNgrams: w, charNgrams: c, stemWeight } = this.options;
    return (c[1] - c[0] + 1) * chars + (w[1] - w[0] + 1) * tokens * (stemWeight > 0 ? 2 : 1) + 1;
  }

  transform(input: string): SparseVector {
    const { wordWeight, stemWeight } = this.options;
    const text = input.length > MAX_TEXT_CHARS ? input.slice(0, MAX_TEXT_CHARS) : input;
    const tokens = tokenize(text);
    // The character text, space-padded, as codes in a typed array: reading a concatenated string
    // char by char is markedly slower in V8 than reading this flat copy.
    const normalized = normalizeForCharacters(text);
    const codes = this.codes;
    const nChars = normalized.length + 2;
    codes[0] = 32;
    for (let i = 0; i < normalized.length; i++) codes[i + 1] = normalized.charCodeAt(i);
    codes[nChars - 1] = 32;
    this.out.reset(this.maxEntries(nChars, tokens.length));

    const hashes = new Int32Array(tokens.length);
    this.block.reset(this.maxEntries(0, tokens.length));
    for (let i = 0; i < tokens.length; i++) hashes[i] = hashString(tokens[i], SEED_WORD);
    this.addWordNgrams(hashes, SEED_BIGRAM);
    this.flush(wordWeight);
    if (stemWeight > 0) {
      this.block.reset(this.maxEntries(0, tokens.length));
      for (let i = 0; i < tokens.length; i++) hashes[i] = hashString(stem(tokens[i]), SEED_STEM);
      this.addWordNgrams(hashes, SEED_STEM_BIGRAM);
      this.flush(stemWeight);
    }

    this.block.reset(this.maxEntries(nChars, 0));
    const [cmin, cmax] = this.options.charNgrams;
    for (let i = 0; i + cmin <= nChars; i++) {
      let h = SEED_CHAR;
      for (let k = 0; k < cmax && i + k < nChars; k++) {
        h = Math.imul(h ^ codes[i + k], FNV_PRIME);
        if (k + 1 >= cmin) this.add(fmix(h ^ (k << 24)));
      }
    }
    this.flush(1);
    return this.collect();
  }

  private addWordNgrams(hashes: Int32Array, ngramSeed: number): void {
    const [nmin, nmax] = this.options.wordNgrams;
    for (let n = nmin; n <= nmax; n++) {
      for (let i = 0; i + n <= hashes.length; i++) {
        let h = n === 1 ? hashes[i] : ngramSeed + n;
        if (n > 1) for (let k = 0; k < n; k++) h = Math.imul(h ^ hashes[i + k], FNV_PRIME);
        this.add(fmix(h));
      }
    }
  }

  private add(hash: number): void {
    this.block.add(hash & this.mask, hash < 0 ? -1 : 1);
  }

  /** TF-scales and L2-normalizes the current block and adds it, times `weight`, to the output. */
  private flush(weight: number): void {
    const { keys, values, used } = this.block;
    const n = this.block.size;
    const sublinear = this.options.sublinearTf;
    let norm = 0;
    for (let t = 0; t < n; t++) {
      const slot = used[t];
      let v = values[slot];
      if (v === 0) continue; // signed collisions cancelled out
      if (sublinear) v = v > 0 ? 1 + Math.log(v) : -1 - Math.log(-v);
      values[slot] = v;
      norm += v * v;
    }
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (let t = 0; t < n; t++) {
      const slot = used[t];
      if (values[slot] !== 0) this.out.add(keys[slot], values[slot] * scale);
    }
  }

  private collect(): SparseVector {
    const { keys, values, used } = this.out;
    const n = this.out.size;
    let count = 0;
    let norm = 0;
    for (let t = 0; t < n; t++) {
      const v = values[used[t]];
      if (v !== 0) {
        count++;
        norm += v * v;
      }
    }
    // The blocks are normalized separately; the whole vector is normalized again so that every
    // text has unit length whatever the block weights.
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const indices = new Int32Array(count);
    const out = new Float32Array(count);
    for (let t = 0, k = 0; t < n; t++) {
      const slot = used[t];
      const v = values[slot];
      if (v === 0) continue;
      indices[k] = keys[slot];
      out[k++] = v * inv;
    }
    return { indices, values: out };
  }
}
