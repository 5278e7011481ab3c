// The files service (src/db/files-service.ts) against the real D1 and R2 of workerd: a file is its row
// and its bytes, made and unmade together, and only within its project (src/db/project-scope.ts).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { findFileRow } from '../../src/db/files';
import { createFileFromBytes, deleteFileRecord, discardFileBytes, draftFile, recordFile } from '../../src/db/files-service';
import { newId } from '../../src/domain/ids';
import { services } from '../../src/services';

const bytes = new TextEncoder().encode('a,b\n1,2\n');
const keysUnder = async (prefix: string) => (await env.FILES.list({ prefix })).objects.map((o) => o.key);

describe('files service', () => {
  it('creates the row and the bytes, visible in its own project only, and deletes both', async () => {
    const [project, other] = [newId('proj_'), newId('proj_')];
    const db = services(env).db;
    const file = await createFileFromBytes(db, env.FILES, project, { filename: 'table.csv', purpose: 'assistants_output', bytes });
    expect(file).toMatchObject({ projectId: project, bytes: bytes.length, filename: 'table.csv', purpose: 'assistants_output', mimeType: 'text/csv', expiresAt: null });
    expect(file.r2Key).toBe(`files/${project}/${file.id}`);
    expect(await findFileRow(db, project, file.id)).toEqual(file);
    const object = await env.FILES.get(file.r2Key);
    expect(object?.httpMetadata?.contentType).toBe('text/csv');
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);

    // Another project sees nothing and deletes nothing.
    expect(await findFileRow(db, other, file.id)).toBeUndefined();
    expect(await deleteFileRecord(db, env.FILES, other, file.id)).toBe(false);
    expect(await keysUnder(`files/${project}/`)).toEqual([file.r2Key]);

    expect(await deleteFileRecord(db, env.FILES, project, file.id)).toBe(true);
    expect(await findFileRow(db, project, file.id)).toBeUndefined();
    expect(await keysUnder(`files/${project}/`)).toEqual([]);
    expect(await deleteFileRecord(db, env.FILES, project, file.id)).toBe(false);
  });

  it('leaves no bytes behind when the row cannot be written', async () => {
    const project = newId('proj_');
    // NOT NULL on files.filename: the insert fails after the bytes were put.
    const failing = createFileFromBytes(services(env).db, env.FILES, project, { filename: null as never, purpose: 'assistants_output', bytes });
    await expect(failing).rejects.toThrow();
    expect(await keysUnder(`files/${project}/`)).toEqual([]);
  });

  it('records a draft written elsewhere with its expiry from created_at, and discards an unrecorded one', async () => {
    const project = newId('proj_');
    const now = Date.UTC(2026, 0, 1);
    const draft = draftFile(project, now);
    await env.FILES.put(draft.key, bytes);
    const row = await recordFile(services(env).db, draft, { bytes: bytes.length, filename: 'a.txt', purpose: 'assistants', mimeType: 'text/plain', expiresAfterSeconds: 3600 }, now);
    expect(row).toMatchObject({ id: draft.id, createdAt: now / 1000, expiresAt: now / 1000 + 3600, r2Key: draft.key });
    const unrecorded = draftFile(project);
    await env.FILES.put(unrecorded.key, bytes);
    await discardFileBytes(env.FILES, unrecorded);
    expect(await keysUnder(`files/${project}/`)).toEqual([draft.key]);
  });
});

describe('services(env) inside workerd', () => {
  it('is one set per env object', () => {
    expect(services(env)).toBe(services(env));
    expect(services(env).retrieval.db).toBe(services(env).db);
  });
});
