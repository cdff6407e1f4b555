/**
 * The worker side of ../count-split: the handler a job that splits counts adds to its
 * `handlers`. Apart from the planning side on purpose: worker threads load this, and it
 * takes only types from the core, so a thread's start does not load the core's runtime
 * (zod, Express's neighbours: about 0.3 s of a thread start under tsx, measured).
 */
import type { TaskContext } from '../core';
import { countPrimesPart, type CountPartial } from '../prime';

export const countPartHandlers = {
  /** Part `part` of `parts` of pi(x) (plain data: combineCountParts adds the parts up). */
  countPart: (task: { readonly x: number; readonly part: number; readonly parts: number }, context: TaskContext): CountPartial =>
    countPrimesPart(task.x, task.part, task.parts, context),
};

export type CountPartHandlers = typeof countPartHandlers;
