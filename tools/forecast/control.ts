/** The two autoscalers the simulation calls: pure functions of forecast-ctl's hpa.ts and cluster-autoscaler.ts. */
import type { CaScan } from './model';

export { hpaSync } from './hpa';

export const caScan: CaScan = () => {
  throw new Error('the cluster-autoscaler scan (tools/forecast/cluster-autoscaler.ts) is not merged into this branch yet');
};
