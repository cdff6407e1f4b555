/**
 * The core's public face: everything a job (src/jobs/<name>) may use, and the only module a
 * job imports from the core (test/unit/core-boundary.test.ts). What is not exported here is
 * the core's own business and may change without a job noticing.
 */
export { wholeNumber } from './config';
export { errorsOf, ServiceError, type ErrorCatalogue, type ErrorSpec } from './errors';
export { readWholeNumber, type WholeNumberParam, type WholeNumberProblem } from './http/params';
export {
  defineJob,
  splitBudget,
  workerModule,
  type ErrorReference,
  type Handler,
  type Handlers,
  type InfoMetric,
  type JobDefinition,
  type JobReference,
  type Plan,
  type PoolView,
  type TaskContext,
  type TaskRunner,
  type VariableReference,
  type WorkerModule,
} from './job';
