// Types and shared cases of the route table (routes.ts, routes-retrieval.ts): ids, path/body placeholders,
// the metadata and list-query cases every route family reuses, and multipart forms.

export type Method = 'GET' | 'POST' | 'DELETE';

/** [description, body (POST) or query string (GET), expected param]. */
export type InvalidCase = [string, unknown, string | RegExp];

export interface Route {
  method: Method;
  template: string;
  /** Who may call it: project keys (the OpenAI API) or only the admin key (/organization). */
  auth: 'project' | 'admin';
  /** A valid JSON body for POST routes. */
  body?: unknown;
  invalid?: InvalidCase[];
  /**
   * multipart/form-data routes (POST /files, POST /uploads/{id}/parts): no JSON body, so the JSON checks
   * (c), (d), (e), (f) do not apply; the valid form and the invalid forms are checked instead.
   */
  multipart?: { valid: Form; invalid: FormCase[] };
}

/** A form field: text, or a file part. */
export type FormValue = string | { filename: string; content: string };
export type Form = Record<string, FormValue>;
/** [description, form fields, expected param]. */
export type FormCase = [string, Form, string | RegExp];

export function toFormData(form: Form): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(form)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, new Blob([v.content], { type: 'application/octet-stream' }), v.filename);
  }
  return fd;
}

/** Path parameter -> the prefix OpenAI expects (`Expected an ID that begins with '<prefix>'`). */
export const ID_PREFIX: Record<string, string> = {
  assistant_id: 'asst',
  thread_id: 'thread',
  message_id: 'msg',
  project_id: 'proj',
  service_account_id: 'svc_acct',
  key_id: 'key',
  run_id: 'run',
  step_id: 'step',
  vector_store_id: 'vs',
  file_id: 'file',
  batch_id: 'vsfb',
  upload_id: 'upload',
  conversation_id: 'conv',
  response_id: 'resp',
  container_id: 'cntr',
  container_file_id: 'cfile',
};

/** Path parameters that are object ids (checked for their prefix); `{model}` is free-form. */
export const idParams = (template: string): string[] => pathParams(template).filter((p) => p in ID_PREFIX);

export type Ids = Record<string, string>;

export const pathParams = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
export const fill = (template: string, ids: Ids): string => template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `<${name}?>`);

/** Body strings that are exactly `{assistant_id}` etc. are replaced by the caller's ids. */
export const fillBody = (body: unknown, ids: Ids): string =>
  JSON.stringify(body).replace(/"\{(\w+)\}"/g, (m, name: string) => (ids[name] === undefined ? m : JSON.stringify(ids[name])));

/** The `{x}` placeholders a body uses. */
export const bodyParams = (body: unknown): string[] => [...JSON.stringify(body ?? null).matchAll(/"\{(\w+)\}"/g)].map((m) => m[1]!);

export const metadata = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
export const long = (n: number) => 'x'.repeat(n);
export const META_CASES = (wrap: (m: unknown) => unknown): InvalidCase[] => [
  ['metadata with 17 keys', wrap(metadata(17)), 'metadata'],
  ['a 65-char metadata key', wrap({ [long(65)]: 'v' }), /^metadata/],
  ['a 513-char metadata value', wrap({ k: long(513) }), /^metadata/],
  ['a non-string metadata value', wrap({ k: 1 }), /^metadata/],
  ['metadata as a string', wrap('tags'), 'metadata'],
];

export const LIST_QUERIES: InvalidCase[] = [
  ['limit=0', 'limit=0', 'limit'],
  ['limit=101', 'limit=101', 'limit'],
  ['limit=abc', 'limit=abc', 'limit'],
  ['limit=-1', 'limit=-1', 'limit'],
  ['limit=2.5', 'limit=2.5', 'limit'],
  ['order=sideways', 'order=sideways', 'order'],
];
