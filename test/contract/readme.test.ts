// The README's quick start runs as written: its Node and Python code blocks are extracted and run, as
// a user would run them, against the contract worker (the only edits: its URL and admin key in place of
// http://localhost:8787/v1 and the local admin key), with the scripted upstream answering the run.
// Every `npm run <script>` the README mentions must exist.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { pushScripts } from '../support/upstream-control.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');
const QUICK_START = README.slice(README.indexOf('## Quick start'), README.indexOf('## Configuration'));
const REPLY = 'Hi from the README test.';

function block(lang: string): string {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(QUICK_START);
  if (!m) throw new Error(`README "Quick start" has no \`\`\`${lang} block`);
  return m[1]!;
}

/** The block pointed at the test worker: its base URL and admin key instead of the local defaults. */
function targeted(code: string): string {
  expect(code).toContain('http://localhost:8787/v1');
  expect(code).toContain('sk-admin-local-development-key');
  return code.replaceAll('http://localhost:8787/v1', inject('baseURL')).replaceAll('sk-admin-local-development-key', inject('adminKey'));
}

function save(name: string, code: string): string {
  const dir = `${ROOT}test/.tmp/readme`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${name}`, code);
  return `${dir}/${name}`;
}

// The Python SDK: wherever `python3` finds it, or in test/.tmp/python, where .ci/run installs it (pip
// --target, for this same `python3` on PATH: Debian's python3 is externally managed, PEP 668).
const PYTHON_ENV = { ...process.env, PYTHONPATH: [`${ROOT}test/.tmp/python`, process.env.PYTHONPATH].filter(Boolean).join(':') };
const python = spawnSync('python3', ['-c', 'import openai'], { encoding: 'utf8', env: PYTHON_ENV });
const pythonSdk = python.status === 0;
// In CI (.ci/run) the SDK is provided, so its absence is a failure there, not a skip.
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
if (!pythonSdk && !inCi) console.warn('[readme.test] the Python quick start is not run: python3 cannot import openai (pip install openai)');

describe('README quick start', () => {
  it('every `npm run <script>` it mentions exists', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts);
    const mentioned = [...README.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(mentioned.length).toBeGreaterThan(0);
    for (const name of mentioned) expect(scripts, `npm run ${name}`).toContain(name);
  });

  it('the Node example prints the reply', async () => {
    await pushScripts('Say hello.', { text: REPLY });
    // Saved inside the repository, so `import 'openai'` resolves like an app's own dependency.
    const file = save('quickstart.mjs', targeted(block('js')));
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(REPLY);
  });

  it.skipIf(!pythonSdk && !inCi)('the Python example prints the reply, with the SDK deprecation warnings silenced', async () => {
    expect(pythonSdk, `python3 cannot import openai (.ci/run installs it into test/.tmp/python): ${python.error ?? python.stderr}`).toBe(true);
    await pushScripts('Say hello.', { text: REPLY });
    const file = save('quickstart.py', targeted(block('python')));
    // -W error: an unsilenced DeprecationWarning would fail the script.
    const r = spawnSync('python3', ['-W', 'error::DeprecationWarning', file], { encoding: 'utf8', timeout: 60_000, env: PYTHON_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(REPLY);
  });
});
