/**
 * The optional WebAssembly kernel (wasm/kernel.as.ts, built by `npm run build-wasm` into
 * the generated module wasm/kernel-binary.ts). The compiled module is immutable and made
 * once at load; every sieving run gets its own instance and memory, and the counting code
 * keeps one instance per thread (prime-count.ts, countTables), so nothing is shared between
 * threads. When the binary was not built, or WebAssembly is unavailable,
 * WASM_KERNEL is null and the engine uses the TypeScript kernel (same answers, slower).
 */

// Minimal typings: the project's TypeScript libs (ES2023, no DOM) do not declare WebAssembly.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** A compiled WebAssembly module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export interface WasmKernelExports {
  readonly memory: WasmMemory;
  crossAll(seg: number, size: number, pPtr: number, statePtr: number, clsPtr: number, count: number): void;
  popcount(ptr: number, words64: number): number;
  andPatterns4(
    seg: number,
    size: number,
    tab0: number,
    period0: number,
    off0: number,
    tab1: number,
    period1: number,
    off1: number,
    tab2: number,
    period2: number,
    off2: number,
    tab3: number,
    period3: number,
    off3: number,
  ): void;
  easyLeaves(xp: number, primes: number, lFrom: number, lTo: number, pi: number, masks: number, minus: number): number;
  leavesSetup(
    x: number,
    y: number,
    a: number,
    kEnd: number,
    segWords: number,
    lm: number,
    primes: number,
    pi: number,
    masks: number,
    presieve: number,
    xp: number,
    composite: number,
    hardHi: number,
    below: number,
    weight: number,
    words: number,
    counters: number,
  ): void;
  /** An i64 result: a BigInt in JavaScript. */
  leavesSum(): bigint;
  leavesSegment(low: number): number;
  leavesChunk(low: number, kFrom: number, kTo: number, kTop: number): void;
  windowSieve(words: number, bits: number, base: number, hi: number, pi: number, piBytes: number): void;
  p2Start(x: number, lo: number, pLo: number, pHi: number, b: number, pi: number, masks: number): void;
  p2Segment(seg: number, segStart: number, segBytes: number, base: number): number;
  p2Result(): number;
  p2Counted(): number;
  lpfMuBuild(lm: number, y: number, primes: number, a: number, mu: number): void;
  /** An i64 result: a BigInt in JavaScript. */
  ordinaryLeavesSum(x: number, y: number, lm: number, phi: number): bigint;
}

function loadModule(): WasmModule | null {
  if (!wasmApi) return null;
  try {
    // a plain require of a module that may not exist yet (it is generated, not committed)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KERNEL_WASM_BASE64 } = require('./wasm/kernel-binary') as { KERNEL_WASM_BASE64: string };
    return new wasmApi.Module(Buffer.from(KERNEL_WASM_BASE64, 'base64'));
  } catch {
    return null;
  }
}

/** The compiled kernel, or null when it is not available. */
export const WASM_KERNEL: WasmModule | null = loadModule();

/** Which kernel the public functions use: 'wasm' or 'typescript'. */
export const KERNEL_KIND: 'wasm' | 'typescript' = WASM_KERNEL ? 'wasm' : 'typescript';

/** The first 64 KiB of an instance's memory are the kernel's own (stack, static data). */
const KERNEL_RESERVED_BYTES = 65536;

/**
 * Byte offsets for consecutive regions of the given sizes in an instance's memory, after its
 * reserved first 64 KiB, each 8-byte aligned; `end` is the memory they need.
 */
export function layoutKernelMemory<K extends string>(bytes: Readonly<Record<K, number>>): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let end = KERNEL_RESERVED_BYTES;
  for (const key of Object.keys(bytes) as K[]) {
    at[key] = end;
    end += Math.ceil(bytes[key] / 8) * 8;
  }
  return { at, end };
}

/** Grows an instance's memory to at least `bytes` (growing detaches earlier views of it). */
export function ensureMemory(wasm: WasmKernelExports, bytes: number): void {
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
}

/** A fresh instance with at least `bytes` of memory. */
export function instantiateKernel(module: WasmModule, bytes: number): WasmKernelExports {
  const k = new wasmApi!.Instance(module, {}).exports as WasmKernelExports;
  ensureMemory(k, bytes);
  return k;
}
