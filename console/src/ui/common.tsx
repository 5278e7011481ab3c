// Small shared pieces: error box, raw JSON view, timestamps, downloads (and the paginated list loader, ./paged-list).
// Everything here renders values as text nodes (never innerHTML), which is what keeps message text,
// file names, metadata and tool output from ever being interpreted as markup.
import type { ComponentChildren } from 'preact';
import { errorMessage } from '../api/client';

export { usePaged } from './paged-list';

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      {errorMessage(error)}
    </div>
  );
}

export function JsonView({ value, label = 'Raw JSON' }: { value: unknown; label?: string }) {
  return (
    <details class="json">
      <summary>{label}</summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export function time(seconds: number | null | undefined): string {
  if (!seconds) return '—';
  return new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function duration(from: number | null | undefined, to: number | null | undefined): string {
  if (!from || !to) return '—';
  return `${to - from} s`;
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function MoreButton({ hasMore, loading, onMore }: { hasMore: boolean; loading: boolean; onMore: () => void }) {
  if (!hasMore) return null;
  return (
    <button type="button" class="more" disabled={loading} onClick={onMore}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  );
}

/** Saves `text` as a file through an object URL (the CSP allows blob:, and nothing leaves the page). */
export function saveText(name: string, text: string, type = 'application/json'): void {
  saveUrl(name, URL.createObjectURL(new Blob([text], { type })));
}

export function saveUrl(name: string, url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Metadata editor: key/value rows as text (at most 16 pairs, as in OpenAI). */
export function MetadataEditor({ value, onChange }: { value: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const rows = Object.entries(value);
  const set = (i: number, k: string, v: string) => {
    const next = rows.map((r, j) => (j === i ? [k, v] : r));
    onChange(Object.fromEntries(next));
  };
  return (
    <div class="metadata">
      {rows.map(([k, v], i) => (
        <div class="row" key={i}>
          <input aria-label="metadata key" value={k} onInput={(e) => set(i, e.currentTarget.value, v)} />
          <input aria-label="metadata value" value={v} onInput={(e) => set(i, k, e.currentTarget.value)} />
          <button type="button" onClick={() => onChange(Object.fromEntries(rows.filter((_, j) => j !== i)))}>
            ×
          </button>
        </div>
      ))}
      {rows.length < 16 ? (
        <button type="button" onClick={() => onChange({ ...value, [`key${rows.length + 1}`]: '' })}>
          Add metadata
        </button>
      ) : null}
    </div>
  );
}
