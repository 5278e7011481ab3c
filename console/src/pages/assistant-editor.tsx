// Create or edit an assistant with every field OpenAI has: name, description, model (from /v1/models
// or typed), instructions, tools (code_interpreter with its files, file_search with its vector stores,
// functions), response_format, temperature, top_p, metadata. Delete from here too.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, type List } from '../api/client';
import type { Assistant, FileObject, Tool, VectorStore } from '../api/types';
import { ErrorBox, Field, JsonView, MetadataEditor } from '../ui/common';
import { go } from '../ui/router';
import { FunctionTools, functionProblem, type FunctionDraft } from './function-tools';

interface Draft {
  name: string;
  description: string;
  model: string;
  instructions: string;
  codeInterpreter: boolean;
  codeFiles: string[];
  fileSearch: boolean;
  maxResults: string;
  vectorStores: string[];
  functions: FunctionDraft[];
  responseFormat: 'auto' | 'text' | 'json_object' | 'json_schema';
  jsonSchema: string;
  temperature: string;
  topP: string;
  metadata: Record<string, string>;
}

const EMPTY: Draft = {
  name: '', description: '', model: '', instructions: '', codeInterpreter: false, codeFiles: [], fileSearch: false,
  maxResults: '', vectorStores: [], functions: [], responseFormat: 'auto', jsonSchema: '', temperature: '', topP: '', metadata: {},
};

function toDraft(a: Assistant): Draft {
  const rf = a.response_format as { type?: string; json_schema?: unknown } | string | null;
  const fs = a.tools.find((t) => t.type === 'file_search') as Extract<Tool, { type: 'file_search' }> | undefined;
  return {
    name: a.name ?? '',
    description: a.description ?? '',
    model: a.model,
    instructions: a.instructions ?? '',
    codeInterpreter: a.tools.some((t) => t.type === 'code_interpreter'),
    codeFiles: a.tool_resources?.code_interpreter?.file_ids ?? [],
    fileSearch: !!fs,
    maxResults: fs?.file_search?.max_num_results ? String(fs.file_search.max_num_results) : '',
    vectorStores: a.tool_resources?.file_search?.vector_store_ids ?? [],
    functions: a.tools.flatMap((t) =>
      t.type === 'function'
        ? [{ name: t.function.name, description: t.function.description ?? '', parameters: t.function.parameters ? JSON.stringify(t.function.parameters, null, 2) : '', strict: !!t.function.strict }]
        : [],
    ),
    responseFormat: typeof rf === 'string' || !rf ? 'auto' : (rf.type as Draft['responseFormat']),
    jsonSchema: typeof rf === 'object' && rf?.json_schema ? JSON.stringify(rf.json_schema, null, 2) : '',
    temperature: a.temperature == null ? '' : String(a.temperature),
    topP: a.top_p == null ? '' : String(a.top_p),
    metadata: a.metadata ?? {},
  };
}

function toBody(d: Draft): Record<string, unknown> {
  const tools: Tool[] = [];
  if (d.codeInterpreter) tools.push({ type: 'code_interpreter' });
  if (d.fileSearch) tools.push(d.maxResults ? { type: 'file_search', file_search: { max_num_results: Number(d.maxResults) } } : { type: 'file_search' });
  for (const f of d.functions) {
    tools.push({
      type: 'function',
      function: { name: f.name, ...(f.description ? { description: f.description } : {}), ...(f.parameters.trim() ? { parameters: JSON.parse(f.parameters) } : {}), strict: f.strict },
    });
  }
  const response_format =
    d.responseFormat === 'auto' ? 'auto' : d.responseFormat === 'json_schema' ? { type: 'json_schema', json_schema: JSON.parse(d.jsonSchema || '{}') } : { type: d.responseFormat };
  return {
    name: d.name || null,
    description: d.description || null,
    model: d.model,
    instructions: d.instructions || null,
    tools,
    tool_resources: { code_interpreter: { file_ids: d.codeFiles }, file_search: { vector_store_ids: d.vectorStores } },
    response_format,
    temperature: d.temperature === '' ? null : Number(d.temperature),
    top_p: d.topP === '' ? null : Number(d.topP),
    metadata: d.metadata,
  };
}

function problems(d: Draft): string | null {
  if (!d.model.trim()) return 'Pick or type a model.';
  for (const f of d.functions) {
    const p = functionProblem(f);
    if (p) return `Function ${f.name || '(unnamed)'}: ${p}`;
  }
  if (d.responseFormat === 'json_schema') {
    try {
      JSON.parse(d.jsonSchema);
    } catch {
      return 'response_format json_schema is not JSON.';
    }
  }
  return null;
}

function MultiPick({ label, options, value, onChange }: { label: string; options: Array<[string, string]>; value: string[]; onChange: (v: string[]) => void }) {
  return (
    <Field label={label}>
      <select multiple aria-label={label} onChange={(e) => onChange(Array.from(e.currentTarget.selectedOptions, (o) => o.value))}>
        {options.map(([id, name]) => (
          <option key={id} value={id} selected={value.includes(id)}>
            {name}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function AssistantEditor({ id }: { id: string }) {
  const isNew = id === 'new';
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [saved, setSaved] = useState<Assistant | null>(null);
  const [models, setModels] = useState<string[]>([]);
  const [stores, setStores] = useState<VectorStore[]>([]);
  const [files, setFiles] = useState<FileObject[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  useEffect(() => {
    get<List<{ id: string }>>('models').then((l) => setModels(l.data.map((m) => m.id)), setError);
    get<List<VectorStore>>('vector_stores', { limit: 100 }).then((l) => setStores(l.data), () => undefined);
    get<List<FileObject>>('files', { limit: 100, purpose: 'assistants' }).then((l) => setFiles(l.data), () => undefined);
    if (!isNew) get<Assistant>(`assistants/${encodeURIComponent(id)}`).then((a) => (setSaved(a), setDraft(toDraft(a))), setError);
  }, [id]);

  const problem = problems(draft);
  const save = async (e: Event) => {
    e.preventDefault();
    if (problem) return;
    setError(null);
    try {
      const a = await post<Assistant>(isNew ? 'assistants' : `assistants/${encodeURIComponent(id)}`, toBody(draft));
      setSaved(a);
      setStatus(`Saved ${a.id}`);
      if (isNew) go(`/assistants/${a.id}`);
    } catch (err) {
      setError(err);
    }
  };
  const remove = async () => {
    if (!confirm('Delete this assistant?')) return;
    try {
      await del(`assistants/${encodeURIComponent(id)}`);
      go('/assistants');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form class="editor" onSubmit={save}>
      <header class="bar">
        <h2>{isNew ? 'New assistant' : draft.name || id}</h2>
        {!isNew ? <a href={`#/playground?assistant=${encodeURIComponent(id)}`}>Open in playground</a> : null}
      </header>
      <Field label="Name">
        <input name="name" value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
      </Field>
      <Field label="Description">
        <input name="description" value={draft.description} onInput={(e) => set({ description: e.currentTarget.value })} />
      </Field>
      <Field label="Model" hint="From /v1/models, or type any model the server accepts">
        <input name="model" list="models" value={draft.model} onInput={(e) => set({ model: e.currentTarget.value })} />
        <datalist id="models">{models.map((m) => <option key={m} value={m} />)}</datalist>
      </Field>
      <Field label="Instructions">
        <textarea name="instructions" rows={5} value={draft.instructions} onInput={(e) => set({ instructions: e.currentTarget.value })} />
      </Field>
      <fieldset>
        <legend>Tools</legend>
        <label class="inline">
          <input type="checkbox" name="code_interpreter" checked={draft.codeInterpreter} onChange={(e) => set({ codeInterpreter: e.currentTarget.checked })} /> code_interpreter
        </label>
        {draft.codeInterpreter ? (
          <MultiPick label="code_interpreter files" options={files.map((f) => [f.id, f.filename])} value={draft.codeFiles} onChange={(codeFiles) => set({ codeFiles })} />
        ) : null}
        <label class="inline">
          <input type="checkbox" name="file_search" checked={draft.fileSearch} onChange={(e) => set({ fileSearch: e.currentTarget.checked })} /> file_search
        </label>
        {draft.fileSearch ? (
          <>
            <MultiPick label="Vector stores" options={stores.map((s) => [s.id, s.name || s.id])} value={draft.vectorStores} onChange={(vectorStores) => set({ vectorStores })} />
            <Field label="max_num_results">
              <input type="number" min={1} max={50} value={draft.maxResults} onInput={(e) => set({ maxResults: e.currentTarget.value })} />
            </Field>
          </>
        ) : null}
        <FunctionTools value={draft.functions} onChange={(functions) => set({ functions })} />
      </fieldset>
      <Field label="Response format">
        <select name="response_format" value={draft.responseFormat} onChange={(e) => set({ responseFormat: e.currentTarget.value as Draft['responseFormat'] })}>
          <option value="auto">auto</option>
          <option value="text">text</option>
          <option value="json_object">json_object</option>
          <option value="json_schema">json_schema</option>
        </select>
      </Field>
      {draft.responseFormat === 'json_schema' ? (
        <Field label="json_schema ({ name, schema, strict })">
          <textarea rows={6} value={draft.jsonSchema} onInput={(e) => set({ jsonSchema: e.currentTarget.value })} />
        </Field>
      ) : null}
      <div class="row">
        <Field label="Temperature">
          <input type="number" name="temperature" min={0} max={2} step={0.1} value={draft.temperature} onInput={(e) => set({ temperature: e.currentTarget.value })} />
        </Field>
        <Field label="top_p">
          <input type="number" name="top_p" min={0} max={1} step={0.05} value={draft.topP} onInput={(e) => set({ topP: e.currentTarget.value })} />
        </Field>
      </div>
      <Field label="Metadata">
        <MetadataEditor value={draft.metadata} onChange={(metadata) => set({ metadata })} />
      </Field>
      {problem ? <div class="error">{problem}</div> : null}
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" disabled={!!problem}>
          {isNew ? 'Create assistant' : 'Save'}
        </button>
        {!isNew ? (
          <button type="button" class="danger" onClick={remove}>
            Delete
          </button>
        ) : null}
        <span class="status">{status}</span>
      </div>
      {saved ? <JsonView value={saved} /> : null}
    </form>
  );
}
