import { Piscina } from 'piscina';

/** What each thread of the pool receives at start: the artifact's text and where it came from. */
export interface BatchWorkerData {
  artifact: string;
  source: string;
}

/**
 * Niceness added to the pool's threads (Linux; ignored where unsupported): when the cores are
 * busy, the event loop — single predictions, every other route, timers — gets the CPU before
 * batch inference, so a batch costs a batch request its own latency, not everyone's.
 */
const NICE_INCREMENT = 5;

/**
 * Classifies /v1/predict/batch texts on worker threads (Piscina: a maintained pool that queues
 * tasks, replaces a thread that dies and closes cleanly), so the event loop only parses and
 * serializes. One pool per loaded model: its threads hold that model, built from the same
 * artifact text as the main thread's, so results are the ones inline prediction gives.
 */
export class BatchPool {
  private readonly pool: Piscina<string[], string>;

  constructor(data: BatchWorkerData, threads: number) {
    this.pool = new Piscina({
      // Resolved beside this module: dist/apps/api/predict/batch.worker.js once built.
      filename: new URL('./batch.worker.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      // The threads hold a 3 MB model each; rebuilding it after an idle spell would cost a batch
      // its latency, so they live as long as the pool.
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: data,
      niceIncrement: NICE_INCREMENT,
      closeTimeout: 10_000,
    });
    // A thread that dies rejects its own task (see run); with no task the pool has no one to tell,
    // and an unhandled 'error' would end the process.
    this.pool.on('error', () => undefined);
  }

  get threads(): number {
    return this.pool.maxThreads;
  }

  /**
   * Starts every thread and waits until each has built its model: one tiny batch per thread, run
   * concurrently. Throws when the threads cannot load the model.
   */
  async warm(): Promise<void> {
    await Promise.all(Array.from({ length: this.threads }, () => this.pool.run(['warm-up'])));
  }

  /**
   * The predictions in input order, as the JSON text of their array (what the answer embeds as is).
   * Rejects when the thread running the batch dies.
   */
  run(texts: string[]): Promise<string> {
    return this.pool.run(texts);
  }

  /** Finishes the batches already queued, then stops the threads. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** The live threads (tests end one to see the pool recover). */
  get workers(): readonly { terminate(): Promise<number> }[] {
    return this.pool.threads;
  }
}
