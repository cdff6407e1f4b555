/** The bad-configuration runs of the real process that shutdown.test.ts leaves to the full tier (see support/bad-config.ts). */
import { describeInvalidConfiguration, describeUnusableValues } from './support/bad-config';

describeInvalidConfiguration([
  ['METRICS_PORT', { PORT: '0', METRICS_PORT: '65536' }, 'METRICS_PORT="65536"'],
  ['METRICS_PORT equal to PORT', { PORT: '3999', METRICS_PORT: '3999' }, 'METRICS_PORT="3999": METRICS_PORT must differ from PORT'],
]);

describeUnusableValues([
  ['INSTANCE_ID', '名前'],
  ['HOST', '127.0.0.1 extra'],
]);
