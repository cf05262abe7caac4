// Supervisor event listener (supervisord.conf [eventlistener:stdout]): copies every line the
// programs write to supervisord's own stdout, which inside a container is the container's log.
// The program log files keep rotating as usual. Plain Node, no dependencies.
// Protocol: http://supervisord.org/events.html — READY, then a header line with `len:N`, then N
// bytes (a `processname:… channel:…` line and the data), answered with RESULT 2\nOK.
import { openSync, writeSync } from 'node:fs';

// Our stdout is the protocol channel; supervisord's stdout is reachable through /proc when it is a
// pipe, a terminal or a file (as in a container), not when it is a socket. Append: never truncate.
const target = openSync(`/proc/${process.ppid}/fd/1`, 'a');
let buffer = Buffer.alloc(0);
let expected = -1;

const ready = () => process.stdout.write('READY\n');

process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    if (expected < 0) {
      const eol = buffer.indexOf(10);
      if (eol < 0) return;
      const header = buffer.subarray(0, eol).toString();
      buffer = buffer.subarray(eol + 1);
      expected = Number(/(?:^| )len:(\d+)/.exec(header)?.[1] ?? 0);
    }
    if (buffer.length < expected) return;
    const payload = buffer.subarray(0, expected);
    buffer = buffer.subarray(expected);
    expected = -1;
    const eol = payload.indexOf(10);
    if (eol >= 0 && eol + 1 < payload.length) writeSync(target, payload.subarray(eol + 1));
    process.stdout.write('RESULT 2\nOK');
    ready();
  }
});
ready();
