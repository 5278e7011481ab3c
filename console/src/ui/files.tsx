// Images and downloads of API files. The content route needs the key, so the bytes are fetched and
// shown through blob: URLs (allowed by the CSP), never by pointing the browser at the API.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage, fileObjectUrl, get } from '../api/client';
import type { FileObject } from '../api/types';
import { saveUrl } from './common';

export function FileImage({ fileId }: { fileId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    fileObjectUrl(fileId).then((u) => ((made = u), setUrl(u)), (err) => setError(errorMessage(err)));
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [fileId]);
  if (error) return <span class="error">{`Image ${fileId}: ${error}`}</span>;
  return url ? <img class="file-image" src={url} alt={`image ${fileId}`} data-file-id={fileId} /> : <span class="muted">Loading image…</span>;
}

export async function downloadFile(fileId: string, name?: string): Promise<void> {
  const filename = name ?? (await get<FileObject>(`files/${encodeURIComponent(fileId)}`)).filename.split('/').pop() ?? fileId;
  saveUrl(filename, await fileObjectUrl(fileId));
}

export function DownloadButton({ fileId, label }: { fileId: string; label?: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button type="button" class="link" onClick={() => downloadFile(fileId).catch((err) => setError(errorMessage(err)))}>
        {label ?? `Download ${fileId}`}
      </button>
      {error ? <span class="error">{error}</span> : null}
    </>
  );
}
