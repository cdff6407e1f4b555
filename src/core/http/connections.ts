/**
 * What one connection may hold, and which requests are open.
 *
 * Node's HTTP parser hands every request of one read (64 KiB: about 1,700 pipelined GETs) to
 * the app at once, keeps each answer in memory until the client has read the ones before,
 * and pauses reading only after that read (_http_server.js, parserOnIncoming: `_paused`). A
 * client that pipelined without reading made the process run and hold thousands of requests
 * per connection, and starved every other client meanwhile. Here the bytes of each
 * connection pass a gate before Node's parser sees them: the parser gets at most as many
 * request heads as the connection may still have unanswered (MAX_UNANSWERED_PER_CONNECTION).
 * A client with a whole request beyond that (it pipelines without waiting for its answers)
 * has its connection closed, with what it sent beyond the bound never parsed; a request only
 * begun waits, and the socket stops reading until answers have gone out.
 *
 * The gate takes Node's own 'data' and 'end' listeners (`socketOnData`, `socketOnEnd`) off
 * the socket and calls them itself; adding a 'data' listener is Node's own way to make its
 * HTTP server read a socket through JavaScript instead of consuming it natively
 * (_http_server.js, generateSocketListenerWrapper -> unconsume). Where those listeners are
 * not found (another Node version), connections are served ungated and the bound still
 * holds: the request past it closes its connection.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

/** Requests one API connection may have unanswered: ample for real pipelining clients (HTTP/1.1 pipelining is rare). */
export const MAX_UNANSWERED_PER_CONNECTION = 32;
/** The same on the metrics listener: a Prometheus scrape never pipelines. */
export const MAX_UNANSWERED_PER_METRICS_CONNECTION = 2;

const HEAD_END = Buffer.from('\r\n\r\n');

/** Whether `chunks` hold more than `heads` whole request heads. */
function moreHeadsThan(chunks: readonly Buffer[], heads: number): boolean {
  let found = 0;
  for (const chunk of chunks) {
    for (let at = chunk.indexOf(HEAD_END); at >= 0; at = chunk.indexOf(HEAD_END, at + HEAD_END.length)) {
      if (++found > heads) return true;
    }
  }
  return false;
}

/** Where the first `heads` request heads of `chunk` end (the whole chunk when it has fewer). */
function endOfHeads(chunk: Buffer, heads: number): number {
  let at = 0;
  for (let found = 0; found < heads; found++) {
    const next = chunk.indexOf(HEAD_END, at);
    if (next < 0) return chunk.length;
    at = next + HEAD_END.length;
  }
  return at;
}

/** Node's HTTP state on a socket this module reads (_http_server.js). */
interface NodeHttpSocket extends Socket {
  /** Node paused parsing until queued answers are written; its data listener must not run then. */
  _paused?: boolean;
  /** Node's parser; null once freed (the socket closed or was upgraded). */
  parser?: unknown;
}

type Listener = (...args: never[]) => void;

function nodeListener(socket: Socket, event: string, name: string): Listener | undefined {
  return (socket.listeners(event) as Listener[]).find((listener) => listener.name === name);
}

export class ConnectionGuard {
  readonly #unanswered = new WeakMap<Socket, number>();
  readonly #feeders = new WeakMap<Socket, () => void>();
  readonly #open = new Set<http.ServerResponse>();

  /** `onCut` is told about each connection closed for going over the bound (once per connection). */
  constructor(
    readonly maxUnanswered: number,
    private readonly onCut: (socket: Socket, maxUnanswered: number) => void,
  ) {}

  /** Serves `server`'s requests with `app` behind the gate and the bound. */
  install(server: http.Server, app: http.RequestListener): void {
    server.on('request', this.#serve(app));
    // Registered after Node's own connection listener, so its parser listeners exist.
    server.on('connection', (socket: Socket) => this.#gate(socket));
  }

  #serve(app: http.RequestListener): http.RequestListener {
    return (req, res) => {
      const { socket } = req;
      if (socket.destroyed) return; // cut earlier in the same read: nobody to answer
      const count = (this.#unanswered.get(socket) ?? 0) + 1;
      if (count > this.maxUnanswered) {
        // Only when the gate miscounted (a body holding a blank line) or is not installed.
        this.#cut(socket);
        return;
      }
      this.#unanswered.set(socket, count);
      this.#open.add(res);
      res.once('close', () => {
        this.#open.delete(res);
        this.#unanswered.set(socket, (this.#unanswered.get(socket) ?? 1) - 1);
        this.#feeders.get(socket)?.();
      });
      app(req, res);
    };
  }

  #cut(socket: Socket): void {
    this.onCut(socket, this.maxUnanswered);
    socket.destroy();
  }

  #gate(socket: NodeHttpSocket): void {
    const parse = nodeListener(socket, 'data', 'bound socketOnData') as ((chunk: Buffer) => void) | undefined;
    const ended = nodeListener(socket, 'end', 'bound socketOnEnd');
    if (!parse || !ended) return;
    const pending: Buffer[] = [];
    let endSeen = false;
    const feed = () => {
      while (pending.length > 0) {
        if (socket.destroyed || !socket.parser) return;
        const room = this.maxUnanswered - (this.#unanswered.get(socket) ?? 0);
        // More whole requests than it may have unanswered: the client pipelines without waiting for its answers.
        if (moreHeadsThan(pending, room)) return this.#cut(socket);
        if (socket._paused) return; // Node waits for queued answers to be written; it resumes the socket after
        if (room <= 0) {
          socket.pause(); // a request only begun: wait for answers to go out
          return;
        }
        const chunk = pending[0];
        const cut = endOfHeads(chunk, room);
        if (cut === chunk.length) pending.shift();
        else pending[0] = chunk.subarray(cut);
        parse(chunk.subarray(0, cut));
      }
      if (endSeen) {
        endSeen = false;
        ended(); // the client's FIN, after every request it sent before it
      } else if (!socket._paused) socket.resume();
    };
    this.#feeders.set(socket, feed);
    socket.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      feed();
    });
    socket.removeListener('data', parse);
    socket.removeListener('end', ended);
    socket.on('end', () => {
      endSeen = true;
      feed();
    });
    // Node resumes a socket it paused once its queued answers are written.
    socket.on('resume', feed);
  }

  /** Resolves when every request open now has been answered or dropped (later ones are not waited for). */
  settled(): Promise<void> {
    return Promise.all([...this.#open].map((res) => new Promise((resolve) => res.once('close', resolve)))).then(() => {});
  }
}
