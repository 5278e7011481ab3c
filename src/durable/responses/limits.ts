/** How often the watchdog looks at an unfinished response (as the runs' watchdog, src/durable/watchdog.ts). */
export const RESPONSE_WATCHDOG_MS = 10_000;

/** How often the watchdog starts again a response evicted before it began. */
export const MAX_RESPONSE_RESTARTS = 3;

/** How many model calls after hosted calls a response makes at most (a model looping on searches ends). */
export const MAX_HOSTED_TURNS = 8;
