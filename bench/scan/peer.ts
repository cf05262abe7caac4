import { readFileSync } from 'node:fs';
import { MIN_HISTORY, type BarStore } from '#scan-engine';
import { RECURSION_WINDOW } from './floor.js';

// What a peer of the engine bench is (peers.ts lists them) and what every peer shares.

/** One symbol's window as plain arrays. */
export interface PeerInput {
  close: number[];
  high: number[];
  low: number[];
  volume: number[];
}

export interface Peer {
  name: string;
  /** Version actually loaded, for the report. */
  version: string;
  /** How it is called, one line for the report. */
  usage: string;
  run: (input: PeerInput, out: Float64Array, o: number) => void;
}

/** The window of symbol i as plain arrays, or null when the engine would skip it (< MIN_HISTORY bars). */
export function peerInput(store: BarStore, i: number): PeerInput | null {
  const first = store.offsets[i]!;
  const end = store.offsets[i + 1]!;
  if (end - first < MIN_HISTORY) return null;
  const from = Math.max(first, end - RECURSION_WINDOW);
  const take = (a: Float64Array) => Array.from(a.subarray(from, end));
  return {
    close: take(store.close),
    high: take(store.high),
    low: take(store.low),
    volume: take(store.volume),
  };
}

/** The last value of a series. */
export const lastOf = (a: ArrayLike<number>) => a[a.length - 1]!;
/** Close × volume per bar, USD. */
export const dollarVolume = (x: PeerInput) => x.close.map((c, k) => c * x.volume[k]!);
/** The installed version (read from node_modules: some packages do not export their package.json). */
export const packageVersion = (name: string): string => {
  try {
    const file = new URL(`../../../node_modules/${name}/package.json`, import.meta.url); // dist/bench/scan/ → root
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};
