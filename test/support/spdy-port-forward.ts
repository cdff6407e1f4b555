/**
 * The server side of kubectl's port-forward protocol (portforward.k8s.io over SPDY/3.1), for
 * the simulated API server (kube-api-sim.ts). Per local connection kubectl opens two streams
 * with SYN_STREAM, headers streamtype (error | data), port and requestid; the server answers
 * each with SYN_REPLY, then DATA frames carry the bytes. The data stream is piped to the TCP
 * address that plays the pod's port (on 127.0.0.1).
 *
 * Only the frames kubectl's SPDY library (moby/spdystream) exchanges are handled: SYN_STREAM,
 * SYN_REPLY, DATA, RST_STREAM, PING, GOAWAY; SETTINGS and WINDOW_UPDATE are read and ignored
 * (spdystream does no flow control). Header blocks are zlib with the SPDY/3 dictionary, one
 * compression context per direction for the whole connection, as the protocol requires; the
 * dictionary is read from spdy-transport, whose HTTP-only stream layer cannot carry
 * port-forward streams (it requires :method and :path).
 */
import net, { type Socket } from 'node:net';
import zlib from 'node:zlib';

// spdy-transport has no typed entry for its dictionary module: a plain require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SPDY3_DICTIONARY: Buffer = require('spdy-transport/lib/spdy-transport/protocol/spdy/dictionary')[3];

const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 1;

/** Compresses or decompresses with one zlib context kept across calls (SYNC_FLUSH per block). */
function zlibContext(stream: zlib.Inflate | zlib.Deflate): (input: Buffer) => Promise<Buffer> {
  let queue: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
  return (input) => {
    queue = queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const chunks: Buffer[] = [];
          const onData = (c: Buffer) => chunks.push(c);
          stream.on('data', onData);
          stream.once('error', reject);
          stream.write(input);
          stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            stream.off('data', onData);
            stream.off('error', reject);
            resolve(Buffer.concat(chunks));
          });
        }),
    );
    return queue;
  };
}

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  }
  return Buffer.concat(parts);
}

function decodeHeaders(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  const count = block.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < count; i++) {
    const kl = block.readUInt32BE(at);
    const key = block.subarray(at + 4, at + 4 + kl).toString();
    at += 4 + kl;
    const vl = block.readUInt32BE(at);
    // Several values of one name are NUL-separated; the port-forward headers have one each.
    out[key.toLowerCase()] = block.subarray(at + 4, at + 4 + vl).toString();
    at += 4 + vl;
  }
  return out;
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | 3, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([head, body]);
}

function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export type PortTarget = { host: '127.0.0.1'; port: number } | undefined;

/** Serves one upgraded connection; `to(port)` names where the pod's port is played. */
export function serveSpdyPortForward(socket: Socket, to: (port: number) => PortTarget, onUpstream: (s: Socket) => void): void {
  const inflate = zlibContext(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }));
  const deflate = zlibContext(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }));
  const upstreams = new Map<number, Socket>();
  let buffered = Buffer.alloc(0);
  let work = Promise.resolve();

  const send = (frame: Buffer) => {
    if (!socket.destroyed) socket.write(frame);
  };

  async function onSynStream(body: Buffer, flags: number): Promise<void> {
    const streamId = body.readUInt32BE(0) & 0x7fffffff;
    const headers = decodeHeaders(await inflate(body.subarray(10)));
    const reply = Buffer.concat([Buffer.from([0, 0, 0, 0]), await deflate(encodeHeaders({}))]);
    reply.writeUInt32BE(streamId, 0);
    send(controlFrame(SYN_REPLY, 0, reply));
    const port = Number(headers.port);
    const target = to(port);
    if (headers.streamtype === 'error') {
      if (!target)
        send(
          dataFrame(
            streamId,
            FLAG_FIN,
            Buffer.from(`an error occurred forwarding ${port} -> ${port}: nothing listens on port ${port} of the pod`),
          ),
        );
      return;
    }
    if (headers.streamtype !== 'data' || !target) {
      send(dataFrame(streamId, FLAG_FIN, Buffer.alloc(0)));
      return;
    }
    const upstream = net.connect(target.port, target.host);
    onUpstream(upstream);
    upstreams.set(streamId, upstream);
    upstream.on('data', (chunk: Buffer) => send(dataFrame(streamId, 0, chunk)));
    upstream.on('end', () => send(dataFrame(streamId, FLAG_FIN, Buffer.alloc(0))));
    upstream.on('error', () => upstreams.delete(streamId));
    upstream.on('close', () => upstreams.delete(streamId));
    if (flags & FLAG_FIN) upstream.end();
  }

  function onFrame(frame: Buffer): Promise<void> | void {
    const control = (frame[0] & 0x80) !== 0;
    const flags = frame[4];
    const body = frame.subarray(8);
    if (!control) {
      const streamId = frame.readUInt32BE(0) & 0x7fffffff;
      const upstream = upstreams.get(streamId);
      if (upstream) {
        if (body.length > 0) upstream.write(body);
        if (flags & FLAG_FIN) upstream.end();
      }
      return;
    }
    const type = frame.readUInt16BE(2);
    if (type === SYN_STREAM) return onSynStream(body, flags);
    if (type === RST_STREAM) {
      const streamId = body.readUInt32BE(0) & 0x7fffffff;
      upstreams.get(streamId)?.destroy();
      return;
    }
    if (type === PING) return void send(controlFrame(PING, 0, body));
    if (type === GOAWAY) return void socket.end();
    // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do for port-forward.
  }

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 8) {
      const length = buffered.readUInt32BE(4) & 0xffffff;
      if (buffered.length < 8 + length) break;
      const frame = buffered.subarray(0, 8 + length);
      buffered = buffered.subarray(8 + length);
      work = work
        .then(() => onFrame(frame))
        .catch(() => {
          socket.destroy();
        });
    }
  });
  socket.on('close', () => {
    for (const u of upstreams.values()) u.destroy();
  });
}
