/** The gateway's Mapping for each job's route (Emissary), as YAML documents for k8s/base/gateway.yaml. */
import type { AnyJob } from '../../src/core/job';

/** '/prime/:n' -> '/prime/': the fixed part of a job's route, which its Mapping matches. */
export function routePrefix(path: string): string {
  const parameter = path.indexOf('/:');
  return parameter < 0 ? path : path.slice(0, parameter + 1);
}

export function gatewayMappings(jobs: readonly AnyJob[]): string {
  return jobs
    .map(
      (job) => `---
apiVersion: getambassador.io/v3alpha1
kind: Mapping
metadata:
  name: does-it-scale-${job.name}
spec:
  hostname: "*"
  prefix: ${routePrefix(job.path)}
  # The default rewrite is "/", which would turn ${routePrefix(job.path)}7 into /7.
  rewrite: ${routePrefix(job.path)}
  service: does-it-scale:3000
  resolver: does-it-scale-endpoints
  load_balancer:
    policy: least_request
  timeout_ms: 130000
  idle_timeout_ms: 135000
  connect_timeout_ms: 3000
  cluster_idle_timeout_ms: 30000
`,
    )
    .join('');
}
