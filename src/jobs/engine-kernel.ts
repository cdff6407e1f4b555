/**
 * Which kernel the prime engine sieves with, made visible: both jobs that run the engine
 * name it in their `job configured` start-up line and in the gauge engine_kernel_info{kernel}.
 * The WebAssembly kernel is the product; the TypeScript one is its fallback, which a process
 * runs only when ENGINE_KERNEL=any says so (the prime job refuses to start otherwise).
 */
import type { InfoMetric } from '../core';
import { KERNEL_KIND } from '../prime';

export const ENGINE_KERNEL_INFO: InfoMetric = {
  name: 'engine_kernel_info',
  help: "Always 1; label kernel names the prime engine's sieve kernel in this process: wasm, or typescript (the slower fallback)",
  labels: { kernel: KERNEL_KIND },
};

export const ENGINE_KERNEL_CHOICES = ['wasm', 'any'] as const;

/** What the kernel in use is, checked against ENGINE_KERNEL; throws when WebAssembly is required and missing. */
export function engineKernel(
  required: (typeof ENGINE_KERNEL_CHOICES)[number],
  kind: 'wasm' | 'typescript' = KERNEL_KIND,
): 'wasm' | 'typescript' {
  if (required === 'wasm' && kind !== 'wasm') {
    throw new Error(
      'ENGINE_KERNEL=wasm: the WebAssembly kernel is not built (npm run build-wasm), so the engine would run its slower TypeScript fallback; build it, or set ENGINE_KERNEL=any to run the fallback on purpose',
    );
  }
  return kind;
}
