/**
 * The peers of the engine bench: four indicator libraries computing the core indicator set (SLOT
 * 0 .. CORE_SLOTS-1 of floor.ts) for one symbol, each the way its documentation uses it, over the
 * same bars the engine reads (the last RECURSION_WINDOW bars of the symbol, so their recursive
 * values converge to the engine's; whole histories would make every peer about twice as slow).
 *
 * Inputs are plain number arrays, converted once per symbol before timing (talib and tulind
 * reject or misread typed arrays; the JavaScript libraries take arrays): the conversion is not
 * counted, which favours the peers.
 */
import { technicalIndicatorsPeer, tradingSignalsPeer } from './js-peers.js';
import { talibPeer, tulindPeer } from './native-peers.js';
import type { Peer } from './peer.js';

/** Every peer that loads here; a peer that does not (a native module that failed to build) is reported with the reason. */
export function loadPeers(): { peers: Peer[]; unavailable: { name: string; reason: string }[] } {
  const peers: Peer[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  const makers: [string, () => Peer][] = [
    ['talib', talibPeer],
    ['tulind', tulindPeer],
    ['technicalindicators', technicalIndicatorsPeer],
    ['trading-signals', tradingSignalsPeer],
  ];
  for (const [name, make] of makers) {
    try {
      peers.push(make());
    } catch (error) {
      unavailable.push({ name, reason: (error as Error).message.split('\n')[0]! });
    }
  }
  return { peers, unavailable };
}
