// Ajv validation errors as readable lines for test reports, shared by every check of the OpenAPI validator.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2019.js';

/** Human-readable Ajv errors, most useful first, capped so one bad object cannot flood a test report. */
export function formatErrors(errors: ErrorObject[] | null | undefined, limit = 25): string[] {
  if (!errors?.length) return [];
  // Discriminated unions report only the tagged branch (addDiscriminators); untagged unions still report
  // every branch, so put the deepest (most specific) errors first.
  const specific = [...errors].sort((a, b) => depth(b.instancePath) - depth(a.instancePath));
  const chosen = specific.length ? specific : errors;
  const lines = [...new Set(chosen.map(describe))];
  return lines.length > limit ? [...lines.slice(0, limit), `... and ${lines.length - limit} more`] : lines;
}

function depth(instancePath: string): number {
  return instancePath.split('/').length;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath || '(root)';
  const p = e.params as Record<string, unknown>;
  let detail = '';
  if (e.keyword === 'additionalProperties') detail = `: '${String(p.additionalProperty)}'`;
  else if (e.keyword === 'enum') detail = `: ${JSON.stringify(p.allowedValues)}`;
  else if (e.keyword === 'const') detail = `: ${JSON.stringify(p.allowedValue)}`;
  return `${where} ${e.message ?? e.keyword}${detail} [${e.schemaPath}]`;
}

/** `value` checked by `fn`: no lines when it is valid, else its errors as formatErrors lines. */
export function run(fn: ValidateFunction, value: unknown): string[] {
  return fn(value) ? [] : formatErrors(fn.errors);
}
