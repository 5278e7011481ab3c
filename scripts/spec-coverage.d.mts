/** Types of spec-coverage.mjs for the tests that import it. */
export interface ParsedRoute {
  /** Upper-case method, or `*` for `.all()`/`.on()` with several methods. */
  method: string;
  /** Path relative to /v1 with `{param}` templates, e.g. `/threads/{thread_id}`. */
  template: string;
  file: string;
}
export function parseRoutes(dir?: string): ParsedRoute[];
