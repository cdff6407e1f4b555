// Plain-JS entry of the worker threads of on-threads.ts: Node cannot start a worker from a .ts
// file, so register tsx's CommonJS hook and load the called modules through it.
require('tsx/cjs');
const { parentPort } = require('node:worker_threads');

parentPort.on('message', async ({ module, fn, args }) => {
  try {
    const value = await require(module)[fn](...args);
    parentPort.postMessage({ ok: true, value });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: err instanceof Error ? err.stack || err.message : String(err) });
  }
});
