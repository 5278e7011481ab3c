// The function tools of an assistant, each with a JSON-schema editor that validates as you type:
// parameters must be JSON, an object, with "type": "object" (what OpenAI requires of a function's
// parameters), and the name must match OpenAI's ^[a-zA-Z0-9_-]{1,64}$.
export interface FunctionDraft {
  name: string;
  description: string;
  parameters: string;
  strict: boolean;
}

export function functionProblem(f: FunctionDraft): string | null {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(f.name)) return 'Name: letters, digits, _ or -, at most 64 characters.';
  if (!f.parameters.trim()) return null;
  let schema: unknown;
  try {
    schema = JSON.parse(f.parameters);
  } catch (err) {
    return `Parameters are not JSON: ${(err as Error).message}`;
  }
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return 'Parameters must be a JSON object (a JSON Schema).';
  if ((schema as { type?: unknown }).type !== 'object') return 'Parameters schema must have "type": "object".';
  const props = (schema as { properties?: unknown }).properties;
  if (props !== undefined && (typeof props !== 'object' || props === null || Array.isArray(props))) return '"properties" must be an object.';
  return null;
}

export function FunctionTools({ value, onChange }: { value: FunctionDraft[]; onChange: (v: FunctionDraft[]) => void }) {
  const set = (i: number, patch: Partial<FunctionDraft>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <div class="functions">
      {value.map((f, i) => {
        const problem = functionProblem(f);
        return (
          <fieldset key={i} class="function">
            <legend>Function {i + 1}</legend>
            <input aria-label="function name" placeholder="name" value={f.name} onInput={(e) => set(i, { name: e.currentTarget.value })} />
            <input
              aria-label="function description"
              placeholder="description"
              value={f.description}
              onInput={(e) => set(i, { description: e.currentTarget.value })}
            />
            <textarea
              aria-label="function parameters"
              rows={6}
              spellcheck={false}
              value={f.parameters}
              onInput={(e) => set(i, { parameters: e.currentTarget.value })}
            />
            <label class="inline">
              <input type="checkbox" checked={f.strict} onChange={(e) => set(i, { strict: e.currentTarget.checked })} /> strict
            </label>
            {problem ? <div class="error schema-error">{problem}</div> : <div class="ok">Schema OK</div>}
            <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove function
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        onClick={() =>
          onChange([...value, { name: '', description: '', parameters: '{\n  "type": "object",\n  "properties": {}\n}', strict: false }])
        }
      >
        Add function
      </button>
    </div>
  );
}
