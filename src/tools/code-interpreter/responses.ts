import { bytesToBase64 } from '../../adapters/code/common';
import { allContainerFiles, getContainerRow, isContainerExpired, touchContainer, type ContainerRow } from '../../db/containers';
import { codeOf } from '../../domain/code/python-tool';
import { newId } from '../../domain/ids';
import { ChatModelError } from '../../domain/ports';
import {
  codeInterpreterCallDone,
  codeInterpreterCallStarted,
  codeInterpreterOutputs,
  containerFileCitations,
  modelOutputOf,
} from '../../domain/responses/code-interpreter-calls';
import type { CodeInterpreterCallItem, ResponseCodeInterpreterToolJson } from '../../domain/responses/types';
import type { ResponsesHosting, ResponseToolPorts } from '../hosted-tool';
import { createContainer, putContainerFile, relativePath, syncIntoSandbox, type ContainerStore } from './containers';

/**
 * code_interpreter in the Responses API (docs/responses.md "Hosted tools", docs/containers.md): the tool's
 * `container` is a container id or `auto` (a new container, listed by the Containers API); each call of the
 * `python` function runs in the container's sandbox session with its files in /mnt/data. Images it shows
 * and files it writes become container files (bytes in R2), and the answer's `sandbox:/mnt/data/<path>`
 * links become `container_file_citation` annotations.
 */
export const codeInterpreterResponses: ResponsesHosting = {
  async prepare(config, context, ports, signal) {
    const tool = config as ResponseCodeInterpreterToolJson;
    const store: ContainerStore = { db: ports.db(), bucket: ports.files };
    let container = await containerFor(store, context.projectId, tool.container);
    signal.throwIfAborted();
    /** The container's files by their path relative to /mnt/data (what the answer's links name). */
    const known = new Map((await allContainerFiles(store.db, container)).map((f) => [relativePath(f.path), f.id]));
    let synced = false;
    return {
      start: (call) => codeInterpreterCallStarted(newId('ci_'), container.id, call.arguments),
      async answer(call, item, callSignal) {
        const sandbox = sandboxOf(ports);
        if (!synced) {
          for (const [path, f] of await syncIntoSandbox(store, sandbox.executor, container)) known.set(path, f.id);
          synced = true;
        }
        container = await touchContainer(store.db, container);
        const result = await sandbox.executor.execute(container.id, codeOf(call.arguments), { timeoutMs: sandbox.timeoutSeconds * 1000, signal: callSignal });
        const images: string[] = [];
        const urls: string[] = [];
        for (const [i, png] of result.images.entries()) {
          const path = `${item.id}-${i}.png`;
          known.set(path, (await putContainerFile(store, container, { path, bytes: png, source: 'assistant' })).id);
          images.push(path);
          // The image itself, as OpenAI's `url` (a data: URL: our file URLs need the caller's key).
          urls.push(`data:image/png;base64,${bytesToBase64(png)}`);
        }
        const written: string[] = [];
        for (const f of result.files) {
          const path = relativePath(f.path);
          const bytes = await sandbox.executor.readFile(container.id, path);
          known.set(path, (await putContainerFile(store, container, { path, bytes, source: 'assistant' })).id);
          written.push(path);
        }
        const outputs = codeInterpreterOutputs(result.logs, urls);
        return {
          item: codeInterpreterCallDone(item as CodeInterpreterCallItem, { status: result.status, outputs }, context.include),
          output: modelOutputOf(result, { images, files: written }, sandbox.timeoutSeconds),
        };
      },
      annotate: (text) => containerFileCitations(text, container.id, known),
    };
  },
};

/** The container of the tool: the named one (checked by the route; gone or expired since: the response fails), or a new one. */
async function containerFor(store: ContainerStore, projectId: string, spec: ResponseCodeInterpreterToolJson['container']): Promise<ContainerRow> {
  if (typeof spec === 'string' && spec !== 'auto') {
    const row = await getContainerRow(store.db, projectId, spec);
    if (!row) throw new ChatModelError('invalid_prompt', `Container with id '${spec}' not found.`, false);
    if (isContainerExpired(row)) throw new ChatModelError('invalid_prompt', `Container '${spec}' has expired.`, false);
    return row;
  }
  const auto: { file_ids?: string[]; memory_limit?: string | null } = typeof spec === 'string' ? {} : spec;
  return createContainer(store, projectId, { name: 'code_interpreter (auto)', memoryLimit: auto.memory_limit ?? null, fileIds: auto.file_ids ?? [] });
}

function sandboxOf(ports: ResponseToolPorts) {
  const sandbox = ports.code();
  if (!sandbox) throw new ChatModelError('server_error', 'The code interpreter is not available: no sandbox is configured (CODE_EXECUTOR_URL, or the SANDBOX binding in production).', false);
  return sandbox;
}
