// Types of datafs.mjs for the tests that check what a killed executor leaves behind.

/** Removes the base directories (under `parent`, default the temporary directory) of executors that no longer run. */
export function removeLeftovers(parent?: string): Promise<string[]>;
