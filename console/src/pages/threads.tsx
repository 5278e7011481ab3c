// Threads: the list from GET /v1/threads with its filters (metadata, assistant, dates). A server
// without thread listing answers 404: then the page says so and still opens a thread by id.
import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { Thread } from '../api/types';
import { ErrorBox, MoreButton, time, usePaged } from '../ui/common';
import { go, href } from '../ui/router';

interface Filters { assistant_id: string; metaKey: string; metaValue: string; after: string; before: string }

/** A date input (UTC day) as epoch seconds: its start, or with `endOfDay` the start of the next day. */
const toEpoch = (d: string, endOfDay = false) => (d ? Math.floor(new Date(`${d}T00:00:00Z`).getTime() / 1000) + (endOfDay ? 86_400 : 0) : undefined);

export function ThreadsPage() {
  const [draft, setDraft] = useState<Filters>({ assistant_id: '', metaKey: '', metaValue: '', after: '', before: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [openId, setOpenId] = useState('');
  const query: Record<string, string | number | undefined> = {
    order: 'desc',
    assistant_id: filters.assistant_id || undefined,
    created_after: toEpoch(filters.after),
    created_before: toEpoch(filters.before, true),
  };
  if (filters.metaKey) query[`metadata[${filters.metaKey}]`] = filters.metaValue;
  const list = usePaged<Thread>('threads', query);
  const missing = list.error instanceof ApiError && list.error.status === 404;
  const set = (patch: Partial<Filters>) => setDraft({ ...draft, ...patch });
  return (
    <section>
      <header class="bar">
        <h2>Threads</h2>
        <form class="inline-form" onSubmit={(e) => (e.preventDefault(), openId.trim() && go(`/threads/${encodeURIComponent(openId.trim())}`))}>
          <input aria-label="open thread id" placeholder="thread_…" value={openId} onInput={(e) => setOpenId(e.currentTarget.value)} />
          <button type="submit">Open</button>
        </form>
      </header>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), setFilters(draft))}>
        <input aria-label="assistant filter" placeholder="assistant_id" value={draft.assistant_id} onInput={(e) => set({ assistant_id: e.currentTarget.value.trim() })} />
        <input aria-label="metadata key" placeholder="metadata key" value={draft.metaKey} onInput={(e) => set({ metaKey: e.currentTarget.value.trim() })} />
        <input aria-label="metadata value" placeholder="value" value={draft.metaValue} onInput={(e) => set({ metaValue: e.currentTarget.value })} />
        <label>
          from <input type="date" aria-label="created after" value={draft.after} onInput={(e) => set({ after: e.currentTarget.value })} />
        </label>
        <label>
          to <input type="date" aria-label="created before" value={draft.before} onInput={(e) => set({ before: e.currentTarget.value })} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {missing ? <p class="notice">Thread listing is not available on this server (GET /v1/threads answered 404). Open a thread by its id above.</p> : <ErrorBox error={list.error} />}
      <table>
        <thead>
          <tr>
            <th>Thread</th>
            <th>Created</th>
            <th>Metadata</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((t) => (
            <tr key={t.id}>
              <td>
                <a href={href('threads', t.id)}>{t.id}</a>
              </td>
              <td>{time(t.created_at)}</td>
              <td class="mono">{t.metadata && Object.keys(t.metadata).length ? JSON.stringify(t.metadata) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && !missing && list.items.length === 0 ? <p class="muted">No threads.</p> : null}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </section>
  );
}
