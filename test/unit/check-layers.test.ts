import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, importsOf } from '../../scripts/check-layers.mjs';

// The dependency-direction step of `npm test` (scripts/check-layers.mjs, docs/architecture.md §2),
// fed small fake src/ trees.
let root = '';
function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/check-layers.mjs', () => {
  it('reads single-line, multi-line, type-only, re-export and dynamic imports, not comments', () => {
    const source = [
      "import { a } from './a';",
      'import type {',
      '  B,',
      "} from '../b';",
      "export { c } from './c';",
      "const d = await import('./d');",
      "// import { e } from './e';",
      " * see import { f } from './f'",
      "import { z } from 'zod';",
    ].join('\n');
    expect(importsOf(source)).toEqual(['./a', '../b', './c', './d']);
  });

  it('fails when a lower layer imports a higher one', () => {
    const src = tree({
      'contract/runs.ts': "import { ApiError } from '../http/errors';\n",
      'retrieval/stores.ts': "import type { ApiError } from '../http/errors';\n",
      'domain/x.ts': "import { y } from '../durable/y';\n",
      'http/errors.ts': 'export class ApiError {}\n',
      'durable/y.ts': 'export const y = 1;\n',
    });
    const { problems } = checkLayers(src, []);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('src/contract/runs.ts (contract) imports'),
        expect.stringContaining('src/retrieval/stores.ts (retrieval) imports'),
        expect.stringContaining('src/domain/x.ts (domain) imports'),
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('accepts downward and same-layer imports, and reports a folder that is in no layer', () => {
    const src = tree({
      'index.ts': "import { createApp } from './http/app';\n",
      'http/app.ts': "import { DomainError } from '../domain/errors';\nimport { q } from '../queue/q';\n",
      'queue/q.ts': "import { s } from '../retrieval/s';\nimport type { Env } from '../env';\n",
      'retrieval/s.ts': "import { Int } from '../contract/int';\n",
      'env.ts': 'export interface Env {}\n',
      'gadgets/new.ts': 'export {};\n',
    });
    expect(checkLayers(src, []).problems).toEqual([expect.stringContaining("src/gadgets/new.ts: 'gadgets' is in no layer")]);
  });

  it('counts, and does not fail on, a pair listed as not yet enforced', () => {
    const src = tree({ 'domain/m.ts': "import type { Row } from '../db/rows';\n" });
    const { problems, pending } = checkLayers(src, [['domain', 'db']]);
    expect(problems).toEqual([]);
    expect(pending.get('domain → db')).toBe(1);
  });
});
