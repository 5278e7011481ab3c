import type { ChatToolDefinition } from '../ports';

/**
 * The code_interpreter tool as the model sees it: a function named `python` (what OpenAI's own
 * models call it) that the executor runs in the thread's sandbox.
 */
export const PYTHON_FUNCTION = 'python';
export const SANDBOX_DIR = '/mnt/data';

export function pythonToolDefinition(timeoutSeconds: number): ChatToolDefinition {
  return {
    type: 'function',
    function: {
      name: PYTHON_FUNCTION,
      description:
        `Run Python code in a stateful sandbox (variables persist between calls). Files the user provided are in ${SANDBOX_DIR}; ` +
        `save files you create there and link them as sandbox:${SANDBOX_DIR}/<name>. Show charts with matplotlib (plt.show()); they are returned as images. ` +
        `numpy, pandas and matplotlib are available. There is no internet access. Each call may run for at most ${timeoutSeconds} seconds.`,
      parameters: {
        type: 'object',
        properties: { code: { type: 'string', description: 'The Python code to run.' } },
        required: ['code'],
      },
    },
  };
}

/** The code of a `python` call: the `code` argument, or the raw text if the model sent plain code. */
export function codeOf(args: string): string {
  try {
    const parsed = JSON.parse(args) as { code?: unknown };
    if (typeof parsed.code === 'string') return parsed.code;
  } catch {
    // not JSON: some models send the code itself
  }
  return args;
}

/**
 * Decodes the `code` string of a tool call's JSON arguments as they stream in, so the step's
 * `code_interpreter.input` can stream as deltas (docs/openai-behaviour.md §2.6) before the arguments are complete.
 */
export class StreamingCodeField {
  private raw = '';
  private start = -1;
  private decodedUpTo = 0;
  private done = false;

  /** Feeds an argument fragment; returns the newly decoded characters of `code` (maybe ''). */
  push(fragment: string): string {
    this.raw += fragment;
    if (this.done) return '';
    if (this.start < 0) {
      const m = /"code"\s*:\s*"/.exec(this.raw);
      if (!m) return '';
      this.start = m.index + m[0].length;
      this.decodedUpTo = this.start;
    }
    let out = '';
    let i = this.decodedUpTo;
    while (i < this.raw.length) {
      const ch = this.raw[i]!;
      if (ch === '"') {
        this.done = true;
        i += 1;
        break;
      }
      if (ch !== '\\') {
        out += ch;
        i += 1;
        continue;
      }
      const next = this.raw[i + 1];
      if (next === undefined) break; // escape split across fragments: wait for more
      if (next === 'u') {
        const hex = this.raw.slice(i + 2, i + 6);
        if (hex.length < 4) break;
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
      i += 2;
    }
    this.decodedUpTo = i;
    return out;
  }
}

export interface FilePathAnnotation {
  type: 'file_path';
  text: string;
  start_index: number;
  end_index: number;
  file_path: { file_id: string };
}

/**
 * `file_path` annotations for every `sandbox:/mnt/data/<path>` in an answer that names a file the
 * run's code wrote, spanning exactly that text in `value` (OpenAI's annotation for generated files).
 */
export function filePathsIn(value: string, files: ReadonlyMap<string, string>): FilePathAnnotation[] {
  const out: FilePathAnnotation[] = [];
  const re = /sandbox:\/mnt\/data\/[^\s)\]"'>`]+/g;
  for (const m of value.matchAll(re)) {
    const text = m[0].replace(/[.,;:!?]+$/, '');
    const fileId = files.get(text.slice('sandbox:/mnt/data/'.length));
    if (!fileId) continue;
    out.push({ type: 'file_path', text, start_index: m.index, end_index: m.index + text.length, file_path: { file_id: fileId } });
  }
  return out;
}
