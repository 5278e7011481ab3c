// The playground: pick an assistant and a new or existing thread, send a message (with attachments),
// and watch the run stream: text token by token, tool calls as they happen, function calls answered
// here, citations that open the cited chunk, cancel, and the run's status, timings and token usage.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, postForm, type List } from '../api/client';
import { emptyRunState, reduceRunEvent, type RunState } from '../api/run-state';
import { streamEvents } from '../api/sse';
import type { Annotation, Assistant, FileObject, FileSearchResult, Message, RunStep, Thread } from '../api/types';
import { ErrorBox, JsonView } from '../ui/common';
import { MessageView } from '../ui/message-view';
import { useRoute } from '../ui/router';
import { StepView } from '../ui/step-view';
import { RunSummary } from '../ui/run-summary';
import { ToolOutputsForm } from './tool-outputs-form';

const FILE_SEARCH_INCLUDE = 'step_details.tool_calls[*].file_search.results[*].content';
const ACTIVE = new Set(['queued', 'in_progress', 'requires_action', 'cancelling']);
const CANCEL_POLL_MS = 1000;

/** Messages by id, the last copy of each winning (a streamed message replaces its earlier state). */
function dedupe(messages: Message[]): Message[] {
  const byId = new Map<string, Message>();
  for (const m of messages) {
    byId.delete(m.id);
    byId.set(m.id, m);
  }
  return [...byId.values()];
}

export function Playground() {
  const { query } = useRoute();
  const [assistants, setAssistants] = useState<Assistant[]>([]);
  const [threads, setThreads] = useState<Thread[] | null>(null);
  const [assistantId, setAssistantId] = useState(query.get('assistant') ?? '');
  const [threadId, setThreadId] = useState(query.get('thread') ?? '');
  const [history, setHistory] = useState<Message[]>([]);
  const [state, setState] = useState<RunState>(emptyRunState);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [citation, setCitation] = useState<{ annotation: Annotation; result: FileSearchResult | null } | null>(null);
  const abort = useRef<AbortController | null>(null);
  // A thread this page just created needs no reload: its run is already streaming into the page.
  const createdHere = useRef('');

  useEffect(() => {
    get<List<Assistant>>('assistants', { limit: 100 }).then((l) => {
      setAssistants(l.data);
      if (!assistantId && l.data[0]) setAssistantId(l.data[0].id);
    }, setError);
    // GET /v1/threads may not exist on an older server: then only "new thread" or a typed id.
    get<List<Thread>>('threads', { limit: 50 }).then((l) => setThreads(l.data), () => setThreads(null));
  }, []);

  useEffect(() => {
    if (threadId && threadId === createdHere.current) return;
    setState(emptyRunState());
    if (!threadId) return setHistory([]);
    get<List<Message>>(`threads/${encodeURIComponent(threadId)}/messages`, { order: 'asc', limit: 100 }).then((l) => setHistory(l.data), setError);
  }, [threadId]);

  // Leaving the page stops reading the stream (the run itself goes on on the server).
  useEffect(() => () => abort.current?.abort(), []);

  const onEvent = (e: { event: string; data: unknown }) => setState((s) => reduceRunEvent(s, e));

  /** After a run ends: its steps again with the file_search results' chunk text (only sent on request). */
  const refreshSteps = async (tid: string, runId: string) => {
    const steps = await get<List<RunStep>>(`threads/${encodeURIComponent(tid)}/runs/${encodeURIComponent(runId)}/steps`, { order: 'asc', limit: 100, 'include[]': FILE_SEARCH_INCLUDE });
    setState((s) => ({ ...s, steps: steps.data }));
  };

  const stream = async (tid: string, path: string, body: unknown) => {
    abort.current = new AbortController();
    let runId = '';
    try {
      await streamEvents(path, body, (e) => {
        if (e.event.startsWith('thread.run.') && !e.event.startsWith('thread.run.step')) runId = (e.data as { id: string }).id;
        onEvent(e);
      }, abort.current.signal);
      if (runId) await refreshSteps(tid, runId);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
    } finally {
      abort.current = null;
    }
  };

  const send = async (e: Event) => {
    e.preventDefault();
    if (!assistantId || (!text.trim() && files.length === 0)) return;
    setError(null);
    setCitation(null);
    try {
      let tid = threadId;
      if (!tid) {
        tid = (await post<Thread>('threads', { metadata: { source: 'console' } })).id;
        createdHere.current = tid;
        setThreadId(tid);
        setThreads((t) => (t ? [{ id: tid, created_at: Date.now() / 1000, metadata: null }, ...t] : t));
      }
      const attachments = [];
      for (const f of files) {
        const form = new FormData();
        form.set('purpose', 'assistants');
        form.set('file', f, f.name);
        const uploaded = await postForm<FileObject>('files', form);
        attachments.push({ file_id: uploaded.id, tools: [{ type: 'file_search' }, { type: 'code_interpreter' }] });
      }
      const message = await post<Message>(`threads/${encodeURIComponent(tid)}/messages`, { role: 'user', content: text, attachments });
      setHistory((h) => dedupe([...h, ...state.messages, message]));
      setState(emptyRunState());
      setText('');
      setFiles([]);
      // include[] is a query parameter of run creation: file_search results then carry their chunk text.
      await stream(tid, `threads/${encodeURIComponent(tid)}/runs?include[]=${encodeURIComponent(FILE_SEARCH_INCLUDE)}`, { assistant_id: assistantId, stream: true });
    } catch (err) {
      setError(err);
    }
  };

  const submitOutputs = async (outputs: Array<{ tool_call_id: string; output: string }>) => {
    const run = state.run!;
    await stream(run.thread_id, `threads/${encodeURIComponent(run.thread_id)}/runs/${encodeURIComponent(run.id)}/submit_tool_outputs`, { tool_outputs: outputs, stream: true });
  };

  const cancel = async () => {
    const run = state.run;
    if (!run) return;
    try {
      const path = `threads/${encodeURIComponent(run.thread_id)}/runs/${encodeURIComponent(run.id)}`;
      let current = await post<typeof run>(`${path}/cancel`);
      setState((s) => ({ ...s, run: current }));
      // The stream reports the end of the run, but it may be gone (network, a run waiting for no
      // model output): follow the run itself until it leaves `cancelling`.
      while (ACTIVE.has(current.status)) {
        await new Promise((r) => setTimeout(r, CANCEL_POLL_MS));
        current = await get<typeof run>(path);
        setState((s) => (s.run && !ACTIVE.has(s.run.status) ? s : { ...s, run: current }));
      }
    } catch (err) {
      setError(err);
    }
  };

  const openCitation = (a: Annotation) => {
    const results = state.steps.flatMap((s) => (s.step_details.type === 'tool_calls' ? s.step_details.tool_calls : [])).flatMap((c) => (c.type === 'file_search' ? c.file_search.results ?? [] : []));
    const fileId = a.file_citation?.file_id;
    setCitation({ annotation: a, result: results.find((r) => r.file_id === fileId) ?? null });
  };

  const running = !!state.run && ACTIVE.has(state.run.status);
  const shown = dedupe([...history, ...state.messages]);
  return (
    <section class="playground">
      <header class="bar">
        <h2>Playground</h2>
        <select aria-label="assistant" value={assistantId} onChange={(e) => setAssistantId(e.currentTarget.value)}>
          <option value="">Pick an assistant</option>
          {assistants.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name || a.id}
            </option>
          ))}
        </select>
        {threads ? (
          <select aria-label="thread" value={threadId} onChange={(e) => setThreadId(e.currentTarget.value)}>
            <option value="">New thread</option>
            {threadId && !threads.some((t) => t.id === threadId) ? <option value={threadId}>{threadId}</option> : null}
            {threads.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id}
              </option>
            ))}
          </select>
        ) : (
          <input aria-label="thread" placeholder="thread id (empty: new thread)" value={threadId} onChange={(e) => setThreadId(e.currentTarget.value.trim())} />
        )}
        {threadId ? <a href={`#/threads/${encodeURIComponent(threadId)}`}>Thread details</a> : null}
      </header>
      <div class="columns">
        <div class="conversation">
          {shown.map((m) => <MessageView key={m.id} message={m} onCite={openCitation} />)}
          {state.run?.required_action && state.run.status === 'requires_action' ? (
            <ToolOutputsForm calls={state.run.required_action.submit_tool_outputs.tool_calls} onSubmit={submitOutputs} />
          ) : null}
          <ErrorBox error={error ?? (state.error ? new Error(state.error) : null)} />
          <form class="composer" onSubmit={send}>
            <textarea aria-label="message" rows={3} value={text} placeholder="Message" onInput={(e) => setText(e.currentTarget.value)} />
            <input type="file" multiple aria-label="attachments" onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
            <button type="submit" disabled={running || !assistantId}>
              Send
            </button>
            <button type="button" class="danger" disabled={!running} onClick={cancel}>
              Cancel run
            </button>
          </form>
        </div>
        <aside class="activity">
          {state.run ? <RunSummary run={state.run} /> : <p class="muted">Run status, tool activity and usage show here.</p>}
          {state.steps.map((s) => <StepView key={s.id} step={s} />)}
          {citation ? (
            <div class="citation" role="dialog" aria-label="citation">
              <strong>{`Cited: ${citation.annotation.text}`}</strong>
              {citation.result ? (
                <>
                  <div>{`${citation.result.file_name} · score ${citation.result.score.toFixed(3)}`}</div>
                  {citation.result.content?.map((c, i) => <pre key={i} class="chunk">{c.text}</pre>)}
                </>
              ) : (
                <div class="muted">{`File ${citation.annotation.file_citation?.file_id ?? ''}: no search result with its text in this run.`}</div>
              )}
              <button type="button" onClick={() => setCitation(null)}>Close</button>
            </div>
          ) : null}
          {state.run ? <JsonView value={state.run} label="Run JSON" /> : null}
        </aside>
      </div>
    </section>
  );
}
