/**
 * Where the API suite sends its requests. API_BASE_URL unset: the app in-process
 * (supertest's request(app)). Set: any running server — a process, a container, a
 * gateway, a cluster — e.g. `API_BASE_URL=http://127.0.0.1:8080 npx jest test/api`.
 * Metrics live on their own listener: in-process, its app; remote, API_METRICS_URL (the
 * full scrape URL) when the tier can reach it (a gateway never forwards it).
 */
import type { Express } from 'express';
import request from 'supertest';
import { createInProcessApp } from './in-process-app';

export interface ApiTarget {
  /** What to pass to supertest's request(). */
  readonly target: Express | string;
  /** Human description for test titles and messages. */
  readonly description: string;
  readonly remote: boolean;
  /** What to pass to supertest's request() for the metrics listener, and its path; undefined when unreachable. */
  readonly metrics: { readonly target: Express | string; readonly path: string } | undefined;
  close(): Promise<void>;
}

export function apiTarget(): ApiTarget {
  const base = process.env.API_BASE_URL?.trim();
  if (base) {
    const url = base.replace(/\/+$/, '');
    const scrape = process.env.API_METRICS_URL?.trim() ? new URL(process.env.API_METRICS_URL.trim()) : undefined;
    const metrics = scrape ? { target: scrape.origin, path: scrape.pathname } : undefined;
    return { target: url, description: url, remote: true, metrics, close: async () => {} };
  }
  const inProcess = createInProcessApp();
  return {
    target: inProcess.app,
    description: 'in-process app',
    remote: false,
    metrics: { target: inProcess.metricsApp, path: '/metrics' },
    close: () => inProcess.close(),
  };
}

/** Whether apiTarget() will have a metrics listener to scrape (known before it is built). */
export function metricsReachable(): boolean {
  return !process.env.API_BASE_URL?.trim() || Boolean(process.env.API_METRICS_URL?.trim());
}

/**
 * One API-suite file's target: built before its tests, closed after them. `get` sends a GET
 * there; `api()` is the target itself (its metrics listener, whether it is remote).
 */
export function useApiTarget(): { readonly get: (path: string) => request.Test; readonly api: () => ApiTarget } {
  let api: ApiTarget | undefined;
  beforeAll(() => {
    api = apiTarget();
  });
  afterAll(async () => {
    await api?.close();
  });
  const current = () => {
    if (!api) throw new Error('the API target is built in beforeAll: use it inside a test');
    return api;
  };
  return { get: (path) => request(current().target).get(path), api: current };
}

/** A random whole number in [lo, hi): different on every run, so no cache (ours, a gateway's) has seen it. */
export function freshValue(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo));
}
