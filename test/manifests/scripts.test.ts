/**
 * The k8s-* scripts' essential scenarios, run by the real kubectl against a simulated API
 * server (see lib/k8s-scripts.ts). The rest, and the check that every kubectl line of
 * scripts/k8s ran, are in scripts.full.test.ts (npm run test-full).
 */
import { essentialScriptTests } from './lib/k8s-scripts';

essentialScriptTests();
