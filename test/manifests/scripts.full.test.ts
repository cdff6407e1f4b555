/**
 * Every k8s-* script scenario (lib/k8s-scripts.ts), then the check that every kubectl line of
 * scripts/k8s was run by the real kubectl in one of them. The essential scenarios run in
 * npm test too (scripts.test.ts); they are here again because the call sites are counted per
 * test file.
 */
import { essentialScriptTests, remainingScriptTests } from './lib/k8s-scripts';

essentialScriptTests();
remainingScriptTests();
