/**
 * The jobs' rows of the README (variables, error codes) and of .env.example, from each job's
 * `env`, `errors` and `reference`.
 */
import { z } from 'zod';
import type { AnyJob } from '../../src/core/job';

/** The default a variable's zod field gives when it is unset, as text ('' when it has none). */
function defaultOf(job: AnyJob, name: string): string {
  const parsed = z.safeParse(job.env[name], undefined);
  return parsed.success && parsed.data !== undefined ? `${parsed.data as string | number | boolean}` : '';
}

function variablesOf(job: AnyJob) {
  return Object.keys(job.env).map((name) => {
    const reference = job.reference.variables[name];
    if (!reference) throw new Error(`job ${job.name}: reference.variables has no entry for ${name}`);
    return { name, reference, value: defaultOf(job, name) };
  });
}

/** The README's table of the jobs' variables. */
export function readmeVariables(jobs: readonly AnyJob[]): string {
  const rows = jobs.flatMap((job) =>
    variablesOf(job).map(({ name, reference, value }) => {
      const shown = reference.shownDefault ?? (value === '' ? 'unset' : `\`${value}\``);
      return `| \`${name}\` | \`${job.path}\` | ${shown} | ${reference.readme} |`;
    }),
  );
  return ["The jobs' own variables:", '', '| variable | job | default | what |', '|---|---|---|---|', ...rows, ''].join('\n');
}

/** The README's table of the jobs' error codes. */
export function readmeErrors(jobs: readonly AnyJob[]): string {
  const rows = jobs.flatMap((job) =>
    Object.entries(job.errors).map(([code, spec]) => {
      const reference = job.reference.errors[code];
      if (!reference) throw new Error(`job ${job.name}: reference.errors has no entry for ${code}`);
      return `| \`${code}\` | ${spec.status} | \`${job.path}\` | ${reference.when} | ${reference.extra ?? ''} |`;
    }),
  );
  return ["The jobs' own codes:", '', '| code | status | job | when | extra members |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}

/** .env.example's lines for the jobs' variables: each with its comment and its default. */
export function envExample(jobs: readonly AnyJob[]): string {
  return jobs
    .flatMap((job) => [
      `# --- ${job.path} (job ${job.name})`,
      ...variablesOf(job).flatMap(({ name, reference, value }) => [...reference.example.map((line) => `# ${line}`), `${name}=${value}`]),
    ])
    .map((line) => `${line}\n`)
    .join('');
}
