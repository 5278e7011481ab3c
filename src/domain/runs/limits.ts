/**
 * Bounds on what one run writes, kept well under the platform's limits: production D1 caps a row at
 * 2 MB and a Durable Object's SQLite a row (and a value) at 2 MB too. A message, a step or an event
 * that outgrew them used to fail the write half way and leave a message `in_progress` forever.
 * docs/run-lifecycle.md ("Limits") says what happens when each is reached.
 */

/**
 * One assistant message's text, in UTF-8 bytes (about 128k tokens, today's largest output limits).
 * A longer answer is cut here: the message ends `incomplete` (`max_tokens`) and the run
 * `incomplete` (`max_completion_tokens`), as when the model stops at its token limit.
 */
export const MAX_MESSAGE_TEXT_BYTES = 512 * 1024;

/**
 * The arguments of all tool calls of one model turn together, in UTF-8 bytes. They are stored in
 * the step and in the run's `required_action`; beyond this the run fails with a `last_error` naming
 * the limit (cut arguments could not be passed to a function).
 */
export const MAX_TOOL_ARGUMENTS_BYTES = 512 * 1024;

/**
 * All outputs of one `submit_tool_outputs` call together, in UTF-8 bytes. Each output may hold
 * 512 KiB (OpenAI's per-output limit); all of them are stored in one step row.
 */
export const MAX_TOOL_OUTPUTS_BYTES = 1024 * 1024;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      // A surrogate pair is one 4-byte character.
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The longest prefix of `s` that fits in `bytes` UTF-8 bytes, never splitting a surrogate pair. */
export function utf8Prefix(s: string, bytes: number): string {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (n + size > bytes) return s.slice(0, i);
    n += size;
    if (pair) i++;
  }
  return s;
}
