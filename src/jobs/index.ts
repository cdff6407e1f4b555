/**
 * The jobs this service serves: one registration line each. A job is one folder under
 * src/jobs (docs/template.md); the core (src/core) never imports one.
 */
import { piJob } from './pi/job';
import { primeJob } from './prime/job';

export const JOBS = [primeJob, piJob] as const;
