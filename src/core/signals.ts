/**
 * Which signals stop the process, in one place for the entry point (src/main.ts, before
 * anything else loads) and the server (runMain in server.ts). Nothing here imports anything.
 *
 * Every signal that would otherwise end the process at once drains instead, as SIGTERM does:
 * SIGHUP (the terminal went away, or a supervisor's reload), SIGQUIT (some runtimes' stop
 * signal) and SIGUSR2 (nodemon's restart) all mean "stop", and a drain is the way this
 * service stops without dropping requests. There is no configuration to reload.
 *
 * SIGUSR1 would open Node's inspector on 127.0.0.1:9229: anyone on the host (or in the pod)
 * could then run code in the process. A listener for it keeps Node from doing that (Node
 * starts the inspector on SIGUSR1 only while no JavaScript listener is installed); it is
 * logged and otherwise ignored. `node --inspect` still opens an inspector when asked.
 */
export const DRAIN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const;

/** The signal that is only logged. */
export const INSPECTOR_SIGNAL = 'SIGUSR1';
