import { MultipartError } from './errors';

/**
 * Text fields as the object they encode. The SDKs flatten nested params with brackets
 * (`expires_after[anchor]=created_at`, arrays as `key[]`, docs/openai-behaviour.md §6.6); this undoes that so the
 * result can be validated like a JSON body. A name that is both a value and a container is an error.
 */
export function formFieldsToObject(fields: ReadonlyArray<readonly [string, string]>): Record<string, unknown> {
  // Prototype-less objects: a field named `__proto__[x]` must stay data.
  const object = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;
  const root = object();
  for (const [name, value] of fields) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    const path = m ? [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)] : [name];
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const nextIsArray = !last && path[i + 1] === '';
      if (Array.isArray(node)) {
        if (key !== '') throw new MultipartError(`Conflicting form fields for '${name}'.`);
        if (last) node.push(value);
        else {
          const child = nextIsArray ? [] : object();
          node.push(child);
          node = child;
        }
        continue;
      }
      if (key === '') throw new MultipartError(`Conflicting form fields for '${name}'.`);
      if (last) {
        if (Object.hasOwn(node, key)) throw new MultipartError(`Duplicate form field '${name}'.`);
        node[key] = value;
        break;
      }
      const existing: unknown = Object.hasOwn(node, key) ? node[key] : undefined;
      if (existing === undefined) {
        const child = nextIsArray ? [] : object();
        node[key] = child;
        node = child;
      } else if (typeof existing === 'object' && existing !== null && Array.isArray(existing) === nextIsArray) node = existing as Record<string, unknown> | unknown[];
      else throw new MultipartError(`Conflicting form fields for '${name}'.`);
    }
  }
  return root;
}
