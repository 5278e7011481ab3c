import { Hono } from 'hono';
import { ContainerFileCreateParams } from '../../contract/containers';
import { getContainerFileRow, isContainerExpired, toContainerFileObject, touchContainer, listContainerFiles, type ContainerFileRow, type ContainerRow } from '../../db/containers';
import { discardBody, MultipartError, openMultipart, type MultipartReader } from '../../domain/multipart';
import { copyFileIntoContainer, deleteContainerFile, putContainerFile, readContainerFile } from '../../tools/code-interpreter/containers';
import { dbOf, type AppContext, type AppEnv } from '../context';
import { ApiError, invalidRequest } from '../errors';
import { listEnvelope, parseListQuery } from '../pagination';
import { parseBody, pathId } from '../validation';
import { contentDisposition, formError, MAX_FORM_FIELD_BYTES } from './files';
import { requireContainer } from './containers';

/** `client.containers.files` (docs/containers.md): create (upload or `file_id`), list, retrieve, delete, content. */
export const containerFilesRoutes = new Hono<AppEnv>();

/**
 * An upload is held in memory before it is stored (a file at an existing path replaces it): 32 MB keeps a
 * Worker (128 MB) well within its memory; larger inputs can be Files copied in by `file_id`.
 */
export const MAX_CONTAINER_UPLOAD_BYTES = 32 * 1024 * 1024;

const containerFileNotFound = (id: string) => new ApiError(404, `No container file found with id '${id}'.`, 'invalid_request_error', null, null);

const storeOf = (c: AppContext) => ({ db: dbOf(c), bucket: c.env.FILES });

async function requireContainerFile(c: AppContext): Promise<{ container: ContainerRow; file: ContainerFileRow }> {
  const container = await requireContainer(c);
  const id = pathId(c, 'container_file_id', 'cfile_');
  const file = await getContainerFileRow(dbOf(c), container, id);
  if (!file) throw containerFileNotFound(id);
  return { container, file };
}

/** OpenAI: an expired container takes no new files. */
function requireRunning(container: ContainerRow): void {
  if (isContainerExpired(container)) throw invalidRequest(`Container '${container.id}' has expired.`, 'container_id', 'container_expired');
}

/** The `file` part of a multipart body, in memory (other fields are refused: the form has only `file`). */
async function uploadedFile(form: MultipartReader): Promise<{ filename: string; bytes: Uint8Array }> {
  let found: { filename: string; bytes: Uint8Array } | undefined;
  for (let part; (part = await form.next()); ) {
    if (part.name !== 'file') {
      await form.text(MAX_FORM_FIELD_BYTES);
      throw invalidRequest(`Unknown parameter: '${part.name}'.`, part.name, 'unknown_parameter');
    }
    if (found) throw invalidRequest("Duplicate parameter: 'file'. Send one file per request.", 'file', 'invalid_value');
    if (part.filename === undefined) throw invalidRequest("Invalid type for 'file': expected a file, but got a string instead.", 'file', 'invalid_type');
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let chunk; (chunk = await form.read()); ) {
      total += chunk.length;
      if (total > MAX_CONTAINER_UPLOAD_BYTES) throw invalidRequest(`'file' is too large: the maximum size is ${MAX_CONTAINER_UPLOAD_BYTES / (1024 * 1024)} MB.`, 'file', 'file_too_large');
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const ch of chunks) {
      bytes.set(ch, at);
      at += ch.length;
    }
    found = { filename: part.filename || 'unknown_file', bytes };
  }
  if (!found) throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  return found;
}

containerFilesRoutes.post('/containers/:container_id/files', async (c) => {
  const container = await requireContainer(c);
  let row: ContainerFileRow | null;
  if (/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
    let form: MultipartReader | undefined;
    try {
      requireRunning(container);
      form = openMultipart(c.req.raw);
      const file = await uploadedFile(form);
      // The path is the upload's name in /mnt/data; a slash in it would name a folder: kept flat.
      row = await putContainerFile(storeOf(c), container, { path: file.filename.replace(/\//g, '_'), bytes: file.bytes, source: 'user' });
    } catch (err) {
      await (form ? form.discardRest() : discardBody(c.req.raw));
      throw err instanceof MultipartError ? formError(err, 'file') : err;
    }
  } else {
    const p = await parseBody(c, ContainerFileCreateParams);
    requireRunning(container);
    row = await copyFileIntoContainer(storeOf(c), container, p.file_id);
    if (!row) throw new ApiError(404, `No file found with id '${p.file_id}'.`, 'invalid_request_error', 'file_id', null);
  }
  await touchContainer(dbOf(c), container);
  return c.json(toContainerFileObject(row));
});

containerFilesRoutes.get('/containers/:container_id/files', async (c) => {
  const container = await requireContainer(c);
  return c.json(listEnvelope(await listContainerFiles(dbOf(c), container, parseListQuery(c.req.query()))));
});

containerFilesRoutes.get('/containers/:container_id/files/:container_file_id', async (c) => c.json(toContainerFileObject((await requireContainerFile(c)).file)));

containerFilesRoutes.delete('/containers/:container_id/files/:container_file_id', async (c) => {
  const { file } = await requireContainerFile(c);
  await deleteContainerFile(storeOf(c), file);
  return c.json({ id: file.id, object: 'container.file.deleted' as const, deleted: true });
});

containerFilesRoutes.get('/containers/:container_id/files/:container_file_id/content', async (c) => {
  const { file } = await requireContainerFile(c);
  const object = await readContainerFile(storeOf(c), file);
  if (!object) throw containerFileNotFound(file.id);
  return c.body(object.body, 200, {
    'content-type': object.httpMetadata?.contentType ?? 'application/octet-stream',
    'content-length': String(object.size),
    'content-disposition': contentDisposition(file.path.split('/').pop() ?? file.path),
  });
});
