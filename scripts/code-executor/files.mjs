// Files in a session's directory (/mnt/data inside the sandbox), which the sandboxed code controls:
// opening them safely for the HTTP file routes, and noticing which ones an execution changed.
import { constants as fsc, createWriteStream, existsSync } from 'node:fs';
import { chown, lstat, mkdir, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpError, isInside } from './common.mjs';

/**
 * Opens `rel` inside the session's directory without following symlinks anywhere on the way (the
 * sandboxed code controls that directory), then checks the opened file's real path.
 */
export async function openInSession(session, rel, forWrite) {
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\0')) || rel.length > 1024) {
    throw new HttpError(400, 'invalid file path (relative to /mnt/data, no "." or ".." segments)');
  }
  let dir = session.dir;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const st = await lstat(dir).catch(() => null);
    if (!st) {
      if (!forWrite) throw new HttpError(404, 'file not found');
      await mkdir(dir, { mode: 0o755 });
      if (session.uid !== null) await chown(dir, session.uid, session.uid);
    } else if (!st.isDirectory()) {
      throw new HttpError(forWrite ? 400 : 404, forWrite ? `${rel}: a parent is not a directory` : 'file not found');
    }
  }
  const target = join(session.dir, rel);
  const flags = forWrite ? fsc.O_WRONLY | fsc.O_CREAT | fsc.O_NOFOLLOW : fsc.O_RDONLY | fsc.O_NOFOLLOW;
  let handle;
  try {
    handle = await open(target, flags, 0o644);
  } catch (err) {
    if (err.code === 'ENOENT' && !forWrite) throw new HttpError(404, 'file not found');
    if (err.code === 'ELOOP') throw new HttpError(forWrite ? 400 : 404, forWrite ? `${rel} is a symlink` : 'file not found');
    if (err.code === 'EISDIR') throw new HttpError(forWrite ? 400 : 404, `${rel} is a directory`);
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new HttpError(forWrite ? 400 : 404, `${rel} is not a regular file`);
    if (existsSync('/proc/self/fd')) {
      const real = await readlink(`/proc/self/fd/${handle.fd}`);
      if (!isInside(real, session.dir) || real === session.dir) throw new HttpError(400, 'file path escapes the session directory');
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Replaces `rel` in the session's directory with the bytes of `source` (at most `maxBytes`). */
export async function writeSessionFile(session, rel, source, maxBytes) {
  const handle = await openInSession(session, rel, true);
  try {
    await handle.truncate(0);
    if (session.uid !== null) await handle.chown(session.uid, session.uid);
    let size = 0;
    const out = createWriteStream('', { fd: handle }); // closes the handle when done
    await pipeline(
      source,
      async function* (chunks) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > maxBytes) throw new HttpError(413, `file larger than ${maxBytes} bytes`);
          yield chunk;
        }
      },
      out,
    );
  } catch (err) {
    // The session's /mnt/data is a size-limited tmpfs: a full one is the caller's problem, not a crash.
    if (err?.code === 'ENOSPC') throw new HttpError(413, `no space left in /mnt/data for ${rel}: the session's files are limited in size`);
    throw err;
  } finally {
    await handle.close().catch(() => {});
  }
}

/** Regular files under `dir` (not following symlinks): relative path → identity. */
export async function snapshot(dir, limit = 20_000) {
  const out = new Map();
  const stack = [''];
  while (stack.length > 0 && out.size < limit) {
    const rel = stack.pop();
    let entries;
    try {
      entries = await readdir(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) stack.push(childRel);
      else if (entry.isFile()) {
        try {
          const st = await lstat(join(dir, childRel), { bigint: true });
          out.set(childRel, { size: Number(st.size), id: `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}` });
        } catch {
          // vanished meanwhile
        }
      }
    }
  }
  return out;
}

export function changedFiles(before, after) {
  const files = [];
  for (const [path, info] of after) {
    if (before.get(path)?.id !== info.id) files.push({ path, bytes: info.size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
