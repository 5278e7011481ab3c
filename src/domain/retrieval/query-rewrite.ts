/**
 * `rewrite_query` of vector-store search: the configured chat model turns a conversational request
 * into a short search query (OpenAI: "rewrite the natural language query for vector search"; the
 * rewritten text is what `search_query` echoes). Pure parts here: the prompt and reading the answer.
 */
import type { ChatMessage } from '../ports';

export const REWRITE_SYSTEM_PROMPT =
  'You rewrite a user request into one concise search query for a document search engine. ' +
  'Keep every name, identifier, number and technical term; drop filler words, greetings and instructions. ' +
  'Answer with the query alone, on one line, without quotes or explanation.';

/** Upper bound on the rewritten query's length in tokens; a query is short. */
export const REWRITE_MAX_TOKENS = 64;

export function rewriteMessages(query: string): ChatMessage[] {
  return [
    { role: 'system', content: REWRITE_SYSTEM_PROMPT },
    { role: 'user', content: query },
  ];
}

/**
 * The model's answer as a query: first non-empty line, a leading "Query:" label and surrounding
 * quotes removed, at most 1,000 characters. Null when nothing usable came back (the caller then
 * fails the request rather than silently searching the original text).
 */
export function readRewrite(answer: string): string | null {
  const line = answer
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (!line) return null;
  const cleaned = line
    .replace(/^(search\s+)?query\s*:\s*/i, '')
    .replace(/^["'“”‘’`]+|["'“”‘’`]+$/g, '')
    .trim();
  return cleaned === '' ? null : cleaned.slice(0, 1000);
}
