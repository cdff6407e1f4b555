/**
 * The engine's kernel is chosen, not fallen into: WebAssembly is required unless
 * ENGINE_KERNEL=any, and what runs is named in the start-up line and a metric.
 */
import request from 'supertest';
import { ConfigError, loadConfigFor } from '../../src/core/config';
import { KERNEL_KIND } from '../../src/prime';
import { engineKernel } from '../../src/jobs/engine-kernel';
import { JOBS } from '../../src/jobs';
import { createInProcessApp } from '../support/in-process-app';
import { valueOf } from '../support/scrape';

test('when WebAssembly is required and only the TypeScript kernel is there, then start-up is refused naming ENGINE_KERNEL', () => {
  expect(() => engineKernel('wasm', 'typescript')).toThrow(/ENGINE_KERNEL=wasm: the WebAssembly kernel is not built/);
  expect(engineKernel('any', 'typescript')).toBe('typescript');
  expect(engineKernel('wasm', 'wasm')).toBe('wasm');
});

test('when ENGINE_KERNEL is neither wasm nor any, then the configuration is invalid', () => {
  expect(() => loadConfigFor(JOBS, { ENGINE_KERNEL: 'typescript' })).toThrow(ConfigError);
});

test('when scraped, then engine_kernel_info names the kernel this process runs, once for both engine jobs', async () => {
  const svc = createInProcessApp({ POOL_SIZE: '1' });
  try {
    const metrics = (await request(svc.metricsApp).get('/metrics')).text;
    expect(valueOf(metrics, 'engine_kernel_info', { kernel: KERNEL_KIND })).toBe(1);
    expect(metrics.match(/^engine_kernel_info\{/gm)).toHaveLength(1);
  } finally {
    await svc.close();
  }
});
