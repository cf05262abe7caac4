import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

const served = new AsyncLocalStorage<IncomingMessage>();

/**
 * Runs the rest of a request's handling with `req` as the request being served: every log line
 * written meanwhile names it (the root logger's mixin reads it back with {@link servedRequest}).
 * This replaces a pino child logger per request, whose bindings were serialized and redacted when
 * it was made — on every request, whether or not a line was ever written (~5 % of the api's CPU
 * under load at LOG_LEVEL=warn). A mixin's fields go through the same serializers and redaction
 * as a child's bindings, but only for the lines actually written.
 */
export function serveWithin(req: IncomingMessage, handle: () => void): void {
  served.run(req, handle);
}

/** The request whose handling is running, if any. */
export const servedRequest = (): IncomingMessage | undefined => served.getStore();
