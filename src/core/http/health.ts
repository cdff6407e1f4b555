/**
 * Probes. Both answer on the main thread without touching the pool, so they respond
 * even when every worker is busy. Liveness says "the process works"; readiness says
 * "send me traffic" and turns false while starting and while draining.
 */
import type { IRouter } from 'express';
import { coreError } from '../errors';
import { sendProblem } from './problem';

export interface Lifecycle {
  /** True once the pool is up and until shutdown starts. */
  ready: boolean;
  /** True once shutdown has started. */
  draining: boolean;
}

/** Adds the probes to `router` (the app itself: a nested router costs a layer per request). */
export function addHealthRoutes(router: IRouter, lifecycle: Lifecycle, instanceId: string): void {
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok', instance: instanceId });
  });
  router.get('/readyz', (req, res) => {
    if (!lifecycle.ready || lifecycle.draining) {
      sendProblem(req, res, coreError('NOT_READY', lifecycle.draining ? 'shutting down' : 'starting'));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ready', instance: instanceId });
  });
}
