// Plain-JS entry of the range worker thread: Node cannot start a worker from a .ts file,
// so register tsx's CommonJS hook and load the TypeScript worker through it.
require('tsx/cjs');
require('./range-worker.ts');
