/**
 * Loaded with `node --import dist/bench/http/cpu-profile.preload.js` into a server under test when a
 * bench wants to know where its CPU goes. Driven over the IPC channel: 'bench:profile:start' starts
 * the V8 sampling profiler, 'bench:profile:stop' stops it, writes the profile to $BENCH_CPU_PROFILE
 * and answers 'bench:profile:written' — so start-up and warm-up stay out of the profile.
 *
 * In-process because `--cpu-prof` only writes on a normal exit, and Nest's shutdown hooks end the
 * api by re-raising the signal. Not signals either: Nest's enableShutdownHooks() treats SIGUSR2
 * (and most others) as "shut down", and SIGUSR1 is Node's inspector switch.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const out = process.env.BENCH_CPU_PROFILE;
if (out && process.send) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 }); // µs: enough samples in a few seconds
  process.on('message', (message: unknown) => {
    void (async () => {
      if (message === 'bench:profile:start') await session.post('Profiler.start');
      if (message === 'bench:profile:stop') {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(out, JSON.stringify(profile));
        process.send?.('bench:profile:written');
      }
    })();
  });
  // The channel must not keep the server alive once it is asked to stop.
  process.channel?.unref();
}
