/** The capacity plan as text a person reads (pure). */
import type { Plan } from './plan';
import type { RateSource } from './options';

const f = (v: number, digits = 3) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '∞');
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

export function renderPlan(plan: Plan, rate: RateSource): string {
  const i = plan.input;
  const lines = [
    `Capacity plan for ${f(i.rps)} req/s of GET /prime/${i.n}${i.headroom > 0 ? ` (+${pct(i.headroom)} headroom = ${f(plan.rpsPlanned)} req/s)` : ''}`,
    '',
    `  per-core rate        ${f(plan.ratePerCore)} req/s at n=${i.n}` +
      (rate.measuredAtN !== i.n ? ` (carried from n=${rate.measuredAtN}; cost taken ∝ p_n)` : ''),
    `                       from ${plan.podThreads === 1 && rate.oneThread ? rate.oneThread.description : rate.description}`,
    `  pod                  ${i.podCpu} CPU request, ${plan.podThreads} worker thread(s), one thread per request under load${plan.splitWhenIdle ? ' (a lone request on an idle pod is split across them)' : ''}`,
    `  pod capacity         ${f(plan.podCapacityRps)} req/s at 100% CPU; ${f(plan.podCapacityRps * i.hpaTarget)} req/s at the HPA target ${pct(i.hpaTarget)}`,
    `  pods for CPU         ${plan.podsForCpu}   = ceil(${f(plan.rpsPlanned)} / (${f(plan.podCapacityRps)} x ${i.hpaTarget}))`,
  ];
  if (plan.latency) {
    const l = plan.latency;
    lines.push(
      `  service time         ${f(l.serviceTimeMs)} ms per request on one thread (p99 goal ${f(l.goalMs)} ms)`,
      l.feasible
        ? `  pods for p99 goal    ${l.pods}   (goal holds up to ${pct(l.maxUtilisation)} CPU per pod; queueing model in docs/scaling.md)`
        : `  pods for p99 goal    none can meet it`,
    );
  }
  lines.push(
    `  pods                 ${plan.pods}   (bound by ${plan.podsBoundBy === 'min-pods' ? `--min-pods ${i.minPods}` : plan.podsBoundBy})`,
    `  nodes                ${Number.isFinite(plan.nodes) ? plan.nodes : 'none fit'}   (${i.nodeCpus} vCPU x ${pct(i.allocatable)} allocatable = ${plan.podsPerNode} pod(s) per node)`,
    `  at the target rate   pods run at ${pct(plan.utilisation)} CPU` +
      (plan.latency ? `, predicted p99 ${f(plan.latency.predictedP99Ms)} ms` : ''),
  );
  if (plan.alternatives.length) {
    lines.push('', '  other pod sizes on this node type:');
    for (const a of plan.alternatives) {
      const goal = plan.latency ? (a.meetsGoal ? `, p99 ≈ ${f(a.predictedP99Ms!)} ms` : ', cannot meet the p99 goal') : '';
      lines.push(`    --pod-cpu ${a.podCpu}`.padEnd(23) + `${a.pods} pods on ${Number.isFinite(a.nodes) ? a.nodes : '–'} nodes${goal}`);
    }
  }
  const advice = [...(plan.latency?.advice ?? []), ...plan.warnings];
  if (advice.length) lines.push('', ...advice.map((a) => `! ${a}`));
  lines.push(
    '',
    'Assumes requests spread evenly over pods, Poisson arrivals, and CPU as the only bottleneck. The rate comes from',
    'one machine; re-measure on your node type (`npm run scale-report`) before relying on it.',
  );
  return lines.join('\n');
}
