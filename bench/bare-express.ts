/**
 * The yardstick for bench/http.ts: a bare Express 5 app with one JSON route and nothing
 * else (no pool, no validation, no metrics, no logging). Started as a child process on
 * 127.0.0.1:PORT (0 = free port) and logs its URL the way the service does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const app = express();
app.get('/bare/:n', (req, res) => {
  res.json({ n: Number(req.params.n), prime: 2 });
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = http.createServer(app);
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
