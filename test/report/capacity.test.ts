import { parseCapacityOptions, rateFromReport } from '../../tools/capacity/options';
import { planCapacity, podStation, scaleRateToN, type PlanInput } from '../../tools/capacity/plan';
import { p99ResponseTime } from '../../tools/capacity/queueing';
import { renderPlan } from '../../tools/capacity/render';

const base: PlanInput = {
  rps: 200,
  n: 10_000_000,
  ratePerCore: 10,
  p99Ms: null,
  podCpu: 1,
  nodeCpus: 4,
  allocatable: 0.85,
  hpaTarget: 0.7,
  headroom: 0,
  minPods: 2,
  splitMinN: 5_000_000,
};

describe('planCapacity: pods and nodes', () => {
  test('when there is no latency goal, then pods = ceil(rps / (rate × podCpu × hpaTarget))', () => {
    const plan = planCapacity(base);
    // 200 / (10 × 1 × 0.7) = 28.57 -> 29
    expect(plan.podsForCpu).toBe(29);
    expect(plan.pods).toBe(29);
    expect(plan.podsBoundBy).toBe('cpu');
  });

  test('when nodes have 4 vCPU at 85% allocatable, then 3 one-CPU pods fit per node', () => {
    const plan = planCapacity(base);
    expect(plan.podsPerNode).toBe(3);
    expect(plan.nodes).toBe(Math.ceil(29 / 3));
  });

  test('when headroom is asked for, then the plan covers rps × (1 + headroom)', () => {
    const plan = planCapacity({ ...base, headroom: 0.5 });
    expect(plan.rpsPlanned).toBeCloseTo(300, 10);
    expect(plan.podsForCpu).toBe(Math.ceil(300 / 7));
  });

  test('when the load is tiny, then the minimum pod count still holds', () => {
    const plan = planCapacity({ ...base, rps: 1 });
    expect(plan.pods).toBe(2);
    expect(plan.podsBoundBy).toBe('min-pods');
  });

  test('when the rate exactly fills the pods, then no extra pod is added by rounding', () => {
    expect(planCapacity({ ...base, rps: 70, hpaTarget: 0.7 }).podsForCpu).toBe(10);
  });

  test('when a pod is bigger than a node, then the plan says it does not fit', () => {
    const plan = planCapacity({ ...base, podCpu: 4, nodeCpus: 4, allocatable: 0.85 });
    expect(plan.podsPerNode).toBe(0);
    expect(plan.nodes).toBe(Infinity);
    expect(plan.warnings.join(' ')).toMatch(/does not fit/);
  });

  test('the utilisation at the target rate is rps over total pod capacity', () => {
    const plan = planCapacity(base);
    expect(plan.utilisation).toBeCloseTo(200 / (29 * 10), 12);
  });

  test('alternatives list other whole-CPU pod sizes that fit on the node', () => {
    const plan = planCapacity(base);
    expect(plan.alternatives.map((a) => a.podCpu)).toEqual([2, 3]);
  });

  test('when inputs are invalid, then planning refuses them', () => {
    expect(() => planCapacity({ ...base, rps: 0 })).toThrow(/rps/);
    expect(() => planCapacity({ ...base, hpaTarget: 1.5 })).toThrow(/hpaTarget/);
    expect(() => planCapacity({ ...base, allocatable: 0 })).toThrow(/allocatable/);
    expect(() => planCapacity({ ...base, minPods: 0 })).toThrow(/minPods/);
    expect(() => planCapacity({ ...base, n: 1.5 })).toThrow(/n must/);
  });
});

describe('planCapacity: the latency goal', () => {
  test('when one request takes longer than the goal on an idle pod, then no number of pods can meet it', () => {
    // 1 CPU: a request takes 1/10 s = 100 ms.
    const plan = planCapacity({ ...base, p99Ms: 80 });
    expect(plan.latency!.feasible).toBe(false);
    expect(plan.latency!.serviceTimeMs).toBeCloseTo(100, 10);
    expect(plan.latency!.advice.join(' ')).toMatch(/no number of pods/);
    expect(plan.pods).toBe(plan.podsForCpu);
  });

  test("when n is large enough to split, then a 2-CPU pod under load still runs one request per thread and cannot meet a goal below one request's time", () => {
    // The split needs two idle threads; under load each request is one task of 1/10 s.
    const plan = planCapacity({ ...base, p99Ms: 80, podCpu: 2 });
    expect(plan.splitWhenIdle).toBe(true);
    expect(plan.latency!.serviceTimeMs).toBeCloseTo(1000 / base.ratePerCore, 10);
    expect(plan.latency!.feasible).toBe(false);
    expect(plan.latency!.advice.join(' ')).toMatch(/lone request on an idle pod/);
    expect(plan.alternatives.every((a) => !a.meetsGoal)).toBe(true);
  });

  test('a 2-CPU pod is two servers of one request each, whether or not n reaches the split threshold', () => {
    for (const n of [1000, base.splitMinN, base.n]) {
      const { station, splitWhenIdle } = podStation({ ...base, podCpu: 2, n });
      expect(splitWhenIdle).toBe(n >= base.splitMinN);
      expect(station.servers).toBe(2);
      expect(station.serviceRate).toBeCloseTo(base.ratePerCore, 12);
    }
    expect(podStation({ ...base, podCpu: 1 }).splitWhenIdle).toBe(false);
  });

  test('when the goal is tight, then latency sets the pod count and every pod meets the goal at the target rate', () => {
    const plan = planCapacity({ ...base, p99Ms: 150 });
    expect(plan.podsBoundBy).toBe('latency');
    expect(plan.pods).toBeGreaterThan(plan.podsForCpu);
    expect(plan.latency!.predictedP99Ms).toBeLessThanOrEqual(150 + 1e-6);
    // One pod fewer would miss it.
    const { station } = podStation(base);
    expect(p99ResponseTime(station, base.rps / (plan.pods - 1)) * 1000).toBeGreaterThan(150);
    expect(plan.latency!.advice.join(' ')).toMatch(/HPA target/);
  });

  test('when the goal is loose, then CPU sets the pod count and no advice is given', () => {
    const plan = planCapacity({ ...base, p99Ms: 5000 });
    expect(plan.podsBoundBy).toBe('cpu');
    expect(plan.latency!.advice).toEqual([]);
  });
});

describe('rates and options', () => {
  test('a rate carried to a larger n falls about in proportion to p_n', () => {
    const r = scaleRateToN(10, 10_000_000, 20_000_000);
    expect(r).toBeLessThan(5.1);
    expect(r).toBeGreaterThan(4.3);
    expect(scaleRateToN(10, 1e6, 1e6)).toBe(10);
  });

  const report = { schema: 'does-it-scale/scale-report@1', n: 10_000_000, summary: { ratePerCore: { value: 12.5, source: 'pool' } } };

  test('when --from names a scale report, then its per-core rate and n are used', () => {
    const opts = parseCapacityOptions(['--rps', '100', '--from', 'r.json'], (f) => (f === 'r.json' ? report : null));
    expect(opts.input.ratePerCore).toBe(12.5);
    expect(opts.input.n).toBe(10_000_000);
    expect(opts.input.splitMinN).toBeGreaterThan(0);
  });

  test("when pods have one thread, then the report's one-worker rate is used (no split happens there)", () => {
    const both = { ...report, summary: { ...report.summary, ratePerCoreOneWorker: { value: 40, source: '1 worker' } } };
    const input = parseCapacityOptions(['--rps', '100'], () => both).input;
    expect(input.ratePerCoreOneThread).toBe(40);
    expect(planCapacity(input).ratePerCore).toBe(40);
    expect(planCapacity({ ...input, podCpu: 2 }).ratePerCore).toBe(12.5);
    expect(planCapacity(parseCapacityOptions(['--rps', '100'], () => report).input).ratePerCore).toBe(12.5);
  });

  test('when --n differs from the report, then the rate is carried to that n', () => {
    const opts = parseCapacityOptions(['--rps', '100', '--n', '2e7'], () => report);
    expect(opts.input.n).toBe(20_000_000);
    expect(opts.input.ratePerCore).toBeLessThan(12.5);
  });

  test('when no report exists and no rate is given, then the message says how to get one', () => {
    expect(() => parseCapacityOptions(['--rps', '100'], () => null)).toThrow(/scale-report/);
  });

  test('when both sources or no --rps are given, then the options are refused', () => {
    expect(() => parseCapacityOptions(['--rps', '1', '--rate-per-core', '3', '--from', 'x'], () => report)).toThrow(/either/);
    expect(() => parseCapacityOptions(['--rate-per-core', '3'], () => null)).toThrow(/--rps/);
    expect(() => parseCapacityOptions(['--rps', 'lots', '--rate-per-core', '3'], () => null)).toThrow(/number/);
  });

  test('when a file is not a scale report, then it is refused by name', () => {
    expect(() => rateFromReport({ hello: 1 }, 'x.json')).toThrow(/x.json is not a scale-report/);
  });

  test('the rendered plan shows the pods, the nodes and the latency verdict', () => {
    const opts = parseCapacityOptions(['--rps', '200', '--rate-per-core', '10', '--p99-ms', '80'], () => null);
    const text = renderPlan(planCapacity(opts.input), opts.rate);
    expect(text).toMatch(/pods for CPU\s+29/);
    expect(text).toMatch(/no number of pods can meet it/);
  });
});
