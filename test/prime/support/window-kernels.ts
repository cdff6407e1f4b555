/** The gap sieve's window both ways, TypeScript and WebAssembly, for window-sieve*.test.ts. */
import { instantiateKernel, layoutKernelMemory, WASM_KERNEL } from '../../../src/prime/kernel';
import { buildPiTable, type PiTable } from '../../../src/prime/pi-table';
import { sieveWindow, type Window, type WindowKernel } from '../../../src/prime/window-sieve';

/** An instance holding a copy of the table, as the kept counting tables hold theirs. */
function kernelFor(t: PiTable): WindowKernel {
  const mem = layoutKernelMemory({ pi: 4 * t.cells.length });
  const wasm = instantiateKernel(WASM_KERNEL!, mem.end);
  new Uint32Array(wasm.memory.buffer, mem.at.pi, t.cells.length).set(t.cells);
  return { wasm, pi: mem.at.pi, scratch: mem.end };
}

/**
 * A pi table up to `limit` and `bothWays(lo, hi)`: the window [lo, hi) by the TypeScript
 * crossing-off and by the kernel's; `withWasm` is `describe`, or `describe.skip` when the
 * kernel is not built.
 */
export function windowsBothWays(limit: number): {
  bothWays: (lo: number, hi: number) => [Window, Window];
  withWasm: jest.Describe;
} {
  const table = buildPiTable(limit);
  const kernel = WASM_KERNEL ? kernelFor(table) : undefined;
  return {
    bothWays: (lo, hi) => [sieveWindow(table, lo, hi), sieveWindow(table, lo, hi, kernel)],
    withWasm: kernel ? describe : describe.skip,
  };
}

/** Same base and the same bits. */
export function sameBits(a: Window, b: Window): boolean {
  return a.base === b.base && Buffer.from(a.words.buffer).equals(Buffer.from(b.words.buffer));
}
