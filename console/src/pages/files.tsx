// Files: drop files to upload them (progress bar per file; big ones through the Uploads API in parts),
// the list with download and delete.
import { useState } from 'preact/hooks';
import { del, errorMessage } from '../api/client';
import type { FileObject } from '../api/types';
import { PARTS_THRESHOLD, uploadFile } from '../api/upload';
import { ErrorBox, MoreButton, time, usePaged } from '../ui/common';
import { DownloadButton } from '../ui/files';

interface Pending { key: number; name: string; sent: number; total: number; error?: string; done?: boolean; parts: boolean }

let nextKey = 0;

export function Dropzone({ onUploaded, purpose = 'assistants' }: { onUploaded: (f: FileObject) => void; purpose?: string }) {
  const [pending, setPending] = useState<Pending[]>([]);
  const [forceParts, setForceParts] = useState(false);
  const [over, setOver] = useState(false);
  const start = (files: File[]) => {
    for (const file of files) {
      const parts = forceParts || file.size > PARTS_THRESHOLD;
      const key = nextKey++;
      setPending((p) => [...p, { key, name: file.name, sent: 0, total: file.size, parts }]);
      const update = (patch: Partial<Pending>) => setPending((p) => p.map((x) => (x.key === key ? { ...x, ...patch } : x)));
      uploadFile(file, purpose, parts, (sent, total) => update({ sent, total })).then(
        (f) => (update({ done: true }), onUploaded(f)),
        (err) => update({ error: errorMessage(err) }),
      );
    }
  };
  return (
    <div>
      <div
        class={`dropzone ${over ? 'over' : ''}`}
        onDragOver={(e) => (e.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          start(Array.from(e.dataTransfer?.files ?? []));
        }}
      >
        <p>Drop files here, or</p>
        <input type="file" multiple aria-label="upload files" onChange={(e) => (start(Array.from(e.currentTarget.files ?? [])), (e.currentTarget.value = ''))} />
        <label class="inline">
          <input type="checkbox" checked={forceParts} onChange={(e) => setForceParts(e.currentTarget.checked)} /> Upload in parts (Uploads API; automatic above {PARTS_THRESHOLD / 1024 / 1024} MB)
        </label>
      </div>
      {pending.map((p) => (
        <div class="upload" key={p.key}>
          <span>{p.name}</span> <progress max={p.total || 1} value={p.done ? p.total || 1 : p.sent} aria-label={`progress ${p.name}`} />{' '}
          <span class="muted">{p.error ? '' : p.done ? 'uploaded' : `${Math.round((100 * p.sent) / (p.total || 1))}%`}{p.parts ? ' (in parts)' : ''}</span>
          {p.error ? <span class="error">{p.error}</span> : null}
        </div>
      ))}
    </div>
  );
}

export function FilesPage() {
  const list = usePaged<FileObject>('files', { order: 'desc' });
  const [error, setError] = useState<unknown>(null);
  const remove = async (id: string) => {
    try {
      await del(`files/${encodeURIComponent(id)}`);
      list.drop(id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <header class="bar">
        <h2>Files</h2>
      </header>
      <Dropzone onUploaded={(f) => list.setItems((items) => [f, ...items.filter((x) => x.id !== f.id)])} />
      <ErrorBox error={error ?? list.error} />
      <table aria-busy={list.loading ? 'true' : 'false'}>
        <thead>
          <tr>
            <th>File</th>
            <th>Purpose</th>
            <th>Bytes</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((f) => (
            <tr key={f.id} data-file-id={f.id}>
              <td>
                {f.filename}
                <div class="muted">{f.id}</div>
              </td>
              <td>{f.purpose}</td>
              <td>{f.bytes}</td>
              <td>{time(f.created_at)}</td>
              <td>
                <DownloadButton fileId={f.id} label="Download" />{' '}
                <button type="button" class="danger" onClick={() => remove(f.id)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </section>
  );
}
