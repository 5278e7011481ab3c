/**
 * Bounds on what one run writes, kept well under the platform's limits: production D1 caps a row at
 * 2 MB and a Durable Object's SQLite a row (and a value) at 2 MB too. A message, a step or an event
 * that outgrew them used to fail the write half way and leave a message `in_progress` forever.
 * docs/run-lifecycle.md ("Limits") says what happens when each is reached.
 */

/**
 * One assistant message's text, in bytes as stored (storedLength) (about 128k tokens, today's largest output limits).
 * A longer answer is cut here: the message ends `incomplete` (`max_tokens`) and the run
 * `incomplete` (`max_completion_tokens`), as when the model stops at its token limit.
 */
export const MAX_MESSAGE_TEXT_BYTES = 512 * 1024;

/**
 * The arguments of all tool calls of one model turn together, in bytes as stored. They are stored in
 * the step and in the run's `required_action`; beyond this the run fails with a `last_error` naming
 * the limit (cut arguments could not be passed to a function).
 */
export const MAX_TOOL_ARGUMENTS_BYTES = 512 * 1024;

/**
 * All outputs of one `submit_tool_outputs` call together, in bytes as stored. Each output may hold
 * 512 KiB (OpenAI's per-output limit); all of them are stored in one step row.
 */
export const MAX_TOOL_OUTPUTS_BYTES = 1024 * 1024;

/**
 * Bytes a string takes once stored: UTF-8 inside a JSON string (rows hold JSON), so `"`, `\` and
 * control characters count as their escapes (`\n` is 2 bytes, `\u0001` 6). Counting raw characters
 * would let 1 MiB of control characters become 6 MiB on disk, past the row limit.
 */
export function storedLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const size = charSize(s, i);
    n += size;
    if (size === 4) i++;
  }
  return n;
}

/** The longest prefix of `s` whose stored size fits in `bytes`, never splitting a character. */
export function storedPrefix(s: string, bytes: number): string {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const size = charSize(s, i);
    if (n + size > bytes) return s.slice(0, i);
    n += size;
    if (size === 4) i++;
  }
  return s;
}

/** Stored size of the character at `i` (4 means a surrogate pair: two code units). */
function charSize(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 0x22 || c === 0x5c) return 2; // \" and \\
  if (c < 0x20) return c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6; // \n … or \u00XX
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff ? 4 : 6; // a pair, or a lone surrogate JSON escapes
  }
  if (c >= 0xdc00 && c <= 0xdfff) return 6;
  return 3;
}
