/**
 * Where the API suite sends its requests. API_BASE_URL unset: the app in-process
 * (supertest's request(app)). Set: any running server — a process, a container, a
 * gateway, a cluster — e.g. `API_BASE_URL=http://127.0.0.1:8080 npx jest test/api`.
 */
import type { Express } from 'express';
import { createInProcessApp } from './in-process-app';

export interface ApiTarget {
  /** What to pass to supertest's request(). */
  readonly target: Express | string;
  /** Human description for test titles and messages. */
  readonly description: string;
  readonly remote: boolean;
  close(): Promise<void>;
}

export function apiTarget(): ApiTarget {
  const base = process.env.API_BASE_URL?.trim();
  if (base) {
    const url = base.replace(/\/+$/, '');
    return { target: url, description: url, remote: true, close: async () => {} };
  }
  const inProcess = createInProcessApp();
  return { target: inProcess.app, description: 'in-process app', remote: false, close: () => inProcess.close() };
}
