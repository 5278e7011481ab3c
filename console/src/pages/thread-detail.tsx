// One thread: its messages, its runs, each run's step timeline (status, durations, tokens,
// last_error), raw JSON for every object, and an export of all of it to a JSON file.
import { useEffect, useState } from 'preact/hooks';
import { del, get, type List } from '../api/client';
import type { Message, Run, RunStep, Thread } from '../api/types';
import { ErrorBox, JsonView, MoreButton, saveText, usePaged } from '../ui/common';
import { MessageView } from '../ui/message-view';
import { go } from '../ui/router';
import { RunSummary } from '../ui/run-summary';
import { StepView } from '../ui/step-view';

const enc = encodeURIComponent;
const STEP_QUERY = { order: 'asc', limit: 100, 'include[]': 'step_details.tool_calls[*].file_search.results[*].content' };

/** Every page of a list (exports want all of it). */
async function all<T extends { id: string }>(path: string, query: Record<string, string | number> = {}): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await get<List<T>>(path, { limit: 100, order: 'asc', ...query, after });
    out.push(...page.data);
    if (!page.has_more || page.data.length === 0) return out;
    after = page.data[page.data.length - 1]!.id;
  }
}

function RunSteps({ thread, run }: { thread: string; run: string }) {
  const [steps, setSteps] = useState<RunStep[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    get<List<RunStep>>(`threads/${enc(thread)}/runs/${enc(run)}/steps`, STEP_QUERY).then((l) => setSteps(l.data), setError);
  }, [run]);
  return (
    <div class="timeline">
      <ErrorBox error={error} />
      {steps?.map((s) => <StepView key={s.id} step={s} />)}
      {steps && steps.length === 0 ? <span class="muted">No steps.</span> : null}
    </div>
  );
}

export function ThreadDetail({ id }: { id: string }) {
  const [thread, setThread] = useState<Thread | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const messages = usePaged<Message>(`threads/${enc(id)}/messages`, { order: 'asc' });
  const runs = usePaged<Run>(`threads/${enc(id)}/runs`, { order: 'desc' });
  useEffect(() => {
    get<Thread>(`threads/${enc(id)}`).then(setThread, setError);
  }, [id]);

  const exportThread = async () => {
    setExporting(true);
    try {
      const allRuns = await all<Run>(`threads/${enc(id)}/runs`);
      const withSteps = [];
      for (const r of allRuns) withSteps.push({ ...r, steps: await all<RunStep>(`threads/${enc(id)}/runs/${enc(r.id)}/steps`, { 'include[]': STEP_QUERY['include[]'] }) });
      const doc = { thread, messages: await all<Message>(`threads/${enc(id)}/messages`), runs: withSteps, exported_at: new Date().toISOString() };
      saveText(`${id}.json`, JSON.stringify(doc, null, 2));
    } catch (err) {
      setError(err);
    } finally {
      setExporting(false);
    }
  };
  const remove = async () => {
    if (!confirm('Delete this thread?')) return;
    try {
      await del(`threads/${enc(id)}`);
      go('/threads');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="thread">
      <header class="bar">
        <h2>{id}</h2>
        <a href={`#/playground?thread=${enc(id)}`}>Continue in playground</a>
        <button type="button" onClick={exportThread} disabled={exporting || !thread}>
          {exporting ? 'Exporting…' : 'Export JSON'}
        </button>
        <button type="button" class="danger" onClick={remove}>
          Delete
        </button>
      </header>
      <ErrorBox error={error} />
      {thread ? <JsonView value={thread} label="Thread JSON" /> : null}
      <div class="columns">
        <div>
          <h3>Messages</h3>
          <ErrorBox error={messages.error} />
          {messages.items.map((m) => (
            <div key={m.id}>
              <MessageView message={m} />
              <JsonView value={m} />
            </div>
          ))}
          <MoreButton hasMore={messages.hasMore} loading={messages.loading} onMore={messages.more} />
        </div>
        <div>
          <h3>Runs</h3>
          <ErrorBox error={runs.error} />
          {runs.items.map((r) => (
            <details key={r.id} class="run" open={runs.items[0]?.id === r.id}>
              <summary>
                <RunSummary run={r} />
              </summary>
              <RunSteps thread={id} run={r.id} />
              <JsonView value={r} label="Run JSON" />
            </details>
          ))}
          <MoreButton hasMore={runs.hasMore} loading={runs.loading} onMore={runs.more} />
        </div>
      </div>
    </section>
  );
}
