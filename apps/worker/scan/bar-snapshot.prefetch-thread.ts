// The body of the prefetch thread (bar-snapshot.prefetch.ts starts it): reads and hashes one
// snapshot file, and hands the bytes back on their SharedArrayBuffer (shared, not copied).
import { parentPort, workerData } from 'node:worker_threads';
import { readShared } from './bar-snapshot.read.js';

const { path } = workerData as { path: string };
parentPort!.postMessage(await readShared(path));
