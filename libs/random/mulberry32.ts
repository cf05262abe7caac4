/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit state PRNG, small, fast and well mixed; the
 * same seed gives the same stream, which is what the synthetic universes, the engine's fixtures, the
 * sentiment model's training order and the benches' load mixes need. Floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
