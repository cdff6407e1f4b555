// Plain-JS entry of the split benchmark's worker thread: Node cannot start a worker from a
// .ts file, so register tsx's CommonJS hook and load the TypeScript handler through it.
require('tsx/cjs');
require('./prime-split-part.ts');
