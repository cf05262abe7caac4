/** What bench:predict prepares before measuring: request bodies, and an api with its model loaded. */
import type { Server } from '../kit/processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bodies encoded once, before any measurement: the generator must stay cheap. */
export function encodeBodies(texts: string[], batchSize: number) {
  const singleBodies = texts.map((text) => Buffer.from(JSON.stringify({ text })));
  const batchBodies = Array.from({ length: Math.ceil(texts.length / batchSize) }, (_, k) =>
    Buffer.from(
      JSON.stringify({
        texts: Array.from(
          { length: batchSize },
          (_, j) => texts[(k * batchSize + j) % texts.length]!,
        ),
      }),
    ),
  );
  return { singleBodies, batchBodies };
}

/** Waits (60 s at most) until GET /v1/model/info says the model is loaded. */
export async function waitForModel(server: Server, key: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${server.url}/v1/model/info`, { headers: { 'X-API-Key': key } }).catch(
      () => null,
    );
    if (res?.ok && ((await res.json()) as { loaded?: boolean }).loaded === true) return;
    await sleep(200);
  }
  throw new Error(`the api did not load its model within 60 s:\n${server.output()}`);
}
