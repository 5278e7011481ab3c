import type { ExecutionResult } from '@cloudflare/sandbox';
import { CodeExecutorUnavailableError } from '../../domain/ports';
import { SANDBOX_DATA_DIR } from './common';

/**
 * The Python cells SandboxCodeExecutor (sandbox.ts) runs around each execution, and how it reads
 * what they print: the prologue installs the figure hook and snapshots /mnt/data, the epilogue prints
 * one JSON report after a marker.
 */

const MARKER = '__ASSISTANTS_EDGE_RESULT__';
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Runs in the context before the code: the figure hook (once) and the /mnt/data snapshot. */
export const PROLOGUE = `
import os, sys, stat, io, base64, types
if not hasattr(sys, '_assistants_edge'):
    ae = types.SimpleNamespace(images=[], before={})
    sys._assistants_edge = ae
    def save(figure):
        buffer = io.BytesIO()
        figure.savefig(buffer, format='png')
        ae.images.append(base64.b64encode(buffer.getvalue()).decode('ascii'))
    def flush(pyplot):
        for number in pyplot.get_fignums():
            save(pyplot.figure(number))
        pyplot.close('all')
    def patch(pyplot):
        pyplot.show = lambda *args, **kwargs: flush(pyplot)
        try:
            import matplotlib.figure
            def figure_show(self, warn=True):
                save(self)
                pyplot.close(self)
            matplotlib.figure.Figure.show = figure_show
        except Exception:
            pass
    class Loader:
        def __init__(self, inner):
            self.inner = inner
        def create_module(self, spec):
            return self.inner.create_module(spec)
        def exec_module(self, module):
            self.inner.exec_module(module)
            patch(module)
        def __getattr__(self, name):
            return getattr(self.inner, name)
    class Finder:
        def find_spec(self, fullname, path, target=None):
            if fullname != 'matplotlib.pyplot':
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, 'find_spec'):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is not None:
                    if spec.loader is not None:
                        spec.loader = Loader(spec.loader)
                    return spec
            return None
    def snapshot():
        found = {}
        for folder, dirs, files in os.walk('${SANDBOX_DATA_DIR}'):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.lstat(path)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    found[os.path.relpath(path, '${SANDBOX_DATA_DIR}')] = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            if len(found) >= 20000:
                break
        return found
    ae.save, ae.flush, ae.snapshot = save, flush, snapshot
    if 'matplotlib.pyplot' in sys.modules:
        patch(sys.modules['matplotlib.pyplot'])
    else:
        sys.meta_path.insert(0, Finder())
ae = sys._assistants_edge
ae.images = []
ae.before = ae.snapshot()
`;

/** Runs after the code: figures still open, changed files; one JSON line after the marker. */
export const EPILOGUE = `
import sys, json
ae = getattr(sys, '_assistants_edge', None)
report = {'images': [], 'files': [], 'errors': []}
if ae is not None:
    pyplot = sys.modules.get('matplotlib.pyplot')
    if pyplot is not None:
        try:
            ae.flush(pyplot)
        except Exception as error:
            report['errors'].append('could not render a figure: %s: %s' % (type(error).__name__, error))
    report['images'] = ae.images
    ae.images = []
    after = ae.snapshot()
    report['files'] = [{'path': p, 'bytes': v[1]} for p, v in sorted(after.items()) if ae.before.get(p) != v]
print('${MARKER}' + json.dumps(report))
`;

/** Wraps helper code so that it runs in a namespace of its own (the user's stays untouched). */
export function helperCell(source: string): string {
  return `exec(compile(${JSON.stringify(source)}, '<assistants-edge>', 'exec'), {})`;
}

interface EpilogueReport {
  images?: unknown;
  files?: unknown;
  errors?: unknown;
}

/** stdout, stderr, the values the code displayed (its last expression), then the traceback. */
export function executionLogs(result: ExecutionResult): string {
  const parts: string[] = [];
  const push = (text: string) => {
    if (!text) return;
    if (parts.length > 0 && !parts[parts.length - 1]!.endsWith('\n')) parts.push('\n');
    parts.push(text);
  };
  push(result.logs.stdout.join(''));
  push(result.logs.stderr.join(''));
  for (const r of result.results) {
    if (r.png || r.jpeg || r.svg) continue; // an image; its text is "<Figure size ...>"
    if (typeof r.text === 'string') push(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
  }
  if (result.error) {
    const tb = result.error.traceback?.length ? result.error.traceback.join('\n') : `${result.error.name}: ${result.error.message}`;
    push(tb.endsWith('\n') ? tb : `${tb}\n`);
  }
  return parts.join('').replace(ANSI, '');
}

export function parseReport(stdout: string): { images: string[]; files: { path: string; bytes: number }[]; errors: string[] } {
  const at = stdout.lastIndexOf(MARKER);
  if (at < 0) throw new CodeExecutorUnavailableError('The code sandbox did not report the execution results');
  let raw: EpilogueReport;
  try {
    raw = JSON.parse(stdout.slice(at + MARKER.length).trim()) as EpilogueReport;
  } catch {
    throw new CodeExecutorUnavailableError('The code sandbox reported unreadable execution results');
  }
  return {
    images: Array.isArray(raw.images) ? raw.images.filter((i): i is string => typeof i === 'string') : [],
    files: Array.isArray(raw.files)
      ? raw.files
          .filter((f): f is { path: string; bytes: number } => typeof f?.path === 'string' && typeof f?.bytes === 'number')
          .map((f) => ({ path: f.path, bytes: f.bytes }))
      : [],
    errors: Array.isArray(raw.errors) ? raw.errors.filter((e): e is string => typeof e === 'string') : [],
  };
}
