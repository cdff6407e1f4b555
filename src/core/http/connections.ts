/**
 * What one connection may hold, and which requests are open. Node's HTTP parser hands every
 * request of a received chunk (64 KiB: about 1,700 pipelined GETs) to the app at once, and
 * keeps their answers in memory until the client reads the ones before; Node pauses reading
 * only after that chunk (_http_server.js, parserOnIncoming: `socket._paused`). A client that
 * pipelines without reading therefore made the process run and hold thousands of answers
 * per connection. Here a connection may have a bounded number of requests unanswered (not
 * yet flushed to it); the one past the bound closes the connection, and the requests Node
 * still parses from that chunk are dropped without running.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

/** Requests one API connection may have unanswered: ample for real pipelining clients (HTTP/1.1 pipelining is rare). */
export const MAX_UNANSWERED_PER_CONNECTION = 32;
/** The same on the metrics listener: a Prometheus scrape never pipelines. */
export const MAX_UNANSWERED_PER_METRICS_CONNECTION = 2;

/**
 * Closes `socket`. On close Node aborts every request it parsed there with an ECONNRESET
 * error each (_http_server.js, abortIncoming): thousands per cut connection, and capturing
 * their stack traces was most of a flood's cost. Nobody reads those errors (the dropped
 * requests never reached the app), so they are made without a stack.
 */
function cut(socket: Socket): void {
  let limit: number | undefined;
  socket.prependOnceListener('close', () => {
    limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
  });
  socket.once('close', () => {
    if (limit !== undefined) Error.stackTraceLimit = limit;
  });
  socket.destroy();
}

export class ConnectionGuard {
  readonly #unanswered = new WeakMap<Socket, number>();
  readonly #open = new Set<http.ServerResponse>();

  /** `onCut` is told about each connection closed for going over the bound (once per connection). */
  constructor(
    readonly maxUnanswered: number,
    private readonly onCut: (req: http.IncomingMessage, maxUnanswered: number) => void,
  ) {}

  /** `app` behind the bound, as the server's request listener. */
  serve(app: http.RequestListener): http.RequestListener {
    return (req, res) => {
      const { socket } = req;
      if (socket.destroyed) return; // cut earlier in the same chunk: nobody to answer
      const count = (this.#unanswered.get(socket) ?? 0) + 1;
      if (count > this.maxUnanswered) {
        this.onCut(req, this.maxUnanswered);
        cut(socket);
        return;
      }
      this.#unanswered.set(socket, count);
      this.#open.add(res);
      res.once('close', () => {
        this.#open.delete(res);
        this.#unanswered.set(socket, (this.#unanswered.get(socket) ?? 1) - 1);
      });
      app(req, res);
    };
  }

  /** Resolves when every request open now has been answered or dropped (later ones are not waited for). */
  settled(): Promise<void> {
    return Promise.all([...this.#open].map((res) => new Promise((resolve) => res.once('close', resolve)))).then(() => {});
  }
}
