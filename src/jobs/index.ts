/**
 * The jobs this service serves: one registration line each. A job is one folder under
 * src/jobs (docs/template.md); the core (src/core) never imports one.
 */
import { primeJob } from './prime/job';

export const JOBS = [primeJob] as const;
