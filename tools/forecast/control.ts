/** The two autoscalers the simulation calls: the pure sync and scan of forecast-ctl's hpa.ts and cluster-autoscaler.ts. */
export { hpaSync } from './hpa';
export { caScan } from './cluster-autoscaler';
