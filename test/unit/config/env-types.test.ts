import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * worker-configuration.d.ts is what `wrangler types` makes of wrangler.toml ([env.production];
 * `npm run types`, kept current by `wrangler types --check` in `npm test`). src/env.ts must declare every
 * binding it lists, with the same type (production-only bindings may be optional there).
 */
const root = new URL('../../../', import.meta.url);
const generated = readFileSync(new URL('worker-configuration.d.ts', root), 'utf8');
const envSource = readFileSync(new URL('src/env.ts', root), 'utf8');

function generatedBindings(): Array<[string, string]> {
  const body = /interface __BaseEnv_WorkerBindings \{([\s\S]*?)\n\}/.exec(generated)?.[1];
  if (!body) throw new Error('worker-configuration.d.ts: no __BaseEnv_WorkerBindings interface (run npm run types)');
  return [...body.matchAll(/^\s*(\w+): (.+);$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** Types as src/env.ts writes them: classes by name, vars (string literals) as string. */
const normalize = (type: string) => type.replace(/import\("\.\/src\/index"\)\./g, '').replace(/^"[^"]*"$/, 'string');

describe('Env matches the wrangler-generated bindings', () => {
  it.each(generatedBindings())('%s: %s', (name, type) => {
    const declared = new RegExp(`^\\s*${name}\\??: (.+);$`, 'm').exec(envSource)?.[1];
    expect(declared, `src/env.ts declares ${name}`).toBeDefined();
    expect(declared).toBe(normalize(type));
  });
});
