// One vector store: its files with ingestion status and file_counts refreshed while anything is in
// progress, a file's chunks (GET …/files/{id}/content), adding files (upload or existing), and the
// search box (search-debugger.tsx) with each result's keyword, vector and fused scores.
import { useEffect, useState } from 'preact/hooks';
import { del, get, post, type List } from '../api/client';
import type { FileObject, VectorStore, VectorStoreFile } from '../api/types';
import { ErrorBox, JsonView, time } from '../ui/common';
import { Dropzone } from './files';
import { SearchDebugger } from './search-debugger';

const enc = encodeURIComponent;
const POLL_MS = 1500;

function Chunks({ store, file }: { store: string; file: string }) {
  const [chunks, setChunks] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<{ data: Array<{ text: string }> }>(`vector_stores/${enc(store)}/files/${enc(file)}/content`).then((p) => setChunks(p.data.map((d) => d.text)), setError);
  }, [file]);
  return (
    <div class="chunks">
      <ErrorBox error={error} />
      {chunks?.map((c, i) => (
        <div key={i} class="chunk-row">
          <span class="muted">{`chunk ${i + 1}`}</span>
          <pre class="chunk">{c}</pre>
        </div>
      ))}
    </div>
  );
}

export function VectorStoreDetail({ id }: { id: string }) {
  const [store, setStore] = useState<VectorStore | null>(null);
  const [files, setFiles] = useState<VectorStoreFile[]>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    (async () => {
      try {
        const [s, l] = await Promise.all([get<VectorStore>(`vector_stores/${enc(id)}`), get<List<VectorStoreFile>>(`vector_stores/${enc(id)}/files`, { limit: 100 })]);
        if (!live) return;
        setStore(s);
        setFiles(l.data);
        // Poll while ingestion is running, so statuses and counts move on their own.
        if (s.file_counts.in_progress > 0 || l.data.some((f) => f.status === 'in_progress')) timer = setTimeout(() => setTick((t) => t + 1), POLL_MS);
      } catch (err) {
        if (live) setError(err);
      }
    })();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, tick]);

  useEffect(() => {
    for (const f of files) {
      if (names[f.id]) continue;
      get<FileObject>(`files/${enc(f.id)}`).then((o) => setNames((n) => ({ ...n, [f.id]: o.filename })), () => undefined);
    }
  }, [files]);

  const attach = async (file: FileObject) => {
    try {
      await post(`vector_stores/${enc(id)}/files`, { file_id: file.id });
      setTick((t) => t + 1);
    } catch (err) {
      setError(err);
    }
  };
  const detach = async (fileId: string) => {
    try {
      await del(`vector_stores/${enc(id)}/files/${enc(fileId)}`);
      setTick((t) => t + 1);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section>
      <header class="bar">
        <h2>{store?.name || id}</h2>
        {store ? (
          <span class="counts" data-counts>
            {`${store.file_counts.completed} completed · ${store.file_counts.in_progress} in progress · ${store.file_counts.failed} failed · ${store.file_counts.total} total`}
          </span>
        ) : null}
      </header>
      <ErrorBox error={error} />
      <Dropzone onUploaded={attach} />
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Status</th>
            <th>Bytes</th>
            <th>Added</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.id} data-vs-file={f.id}>
              <td>
                {names[f.id] ?? f.id}
                <div class="muted">{f.id}</div>
                {f.last_error ? <div class="error">{`${f.last_error.code}: ${f.last_error.message}`}</div> : null}
              </td>
              <td>
                <span class={`badge ${f.status}`} data-file-status={f.status}>
                  {f.status}
                </span>
              </td>
              <td>{f.usage_bytes}</td>
              <td>{time(f.created_at)}</td>
              <td>
                <button type="button" onClick={() => setOpen(open === f.id ? null : f.id)}>
                  {open === f.id ? 'Hide chunks' : 'Chunks'}
                </button>{' '}
                <button type="button" class="danger" onClick={() => detach(f.id)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? <Chunks store={id} file={open} /> : null}
      <SearchDebugger store={id} />
      {store ? <JsonView value={store} label="Vector store JSON" /> : null}
    </section>
  );
}
