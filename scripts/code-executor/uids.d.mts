// Types of uids.mjs for its tests.

export const UID_RANGE_SIZE: number;

/** Claims a free range of sandbox uids for this executor (claims in `dir`, default /run/assistants-edge-code). */
export function claimUidRange(options?: { dir?: string }): { first: number; size: number; release(): void };
