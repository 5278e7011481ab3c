// Assistants: the list (search by name, id or model within what is loaded; more pages on demand).
import { useState } from 'preact/hooks';
import { ErrorBox, MoreButton, time, usePaged } from '../ui/common';
import { href } from '../ui/router';
import type { Assistant } from '../api/types';

export function AssistantsPage() {
  const list = usePaged<Assistant>('assistants', { order: 'desc' });
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = list.items.filter((a) => !needle || [a.id, a.name ?? '', a.model].some((s) => s.toLowerCase().includes(needle)));
  return (
    <section>
      <header class="bar">
        <h2>Assistants</h2>
        <input type="search" placeholder="Search name, id or model" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <a class="button" href={href('assistants', 'new')}>
          New assistant
        </a>
      </header>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Model</th>
            <th>Tools</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={href('assistants', a.id)}>{a.name || a.id}</a>
                <div class="muted">{a.id}</div>
              </td>
              <td>{a.model}</td>
              <td>{a.tools.map((t) => (t.type === 'function' ? t.function.name : t.type)).join(', ')}</td>
              <td>{time(a.created_at)}</td>
              <td>
                <a href={`#/playground?assistant=${encodeURIComponent(a.id)}`}>Playground</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.loading && shown.length === 0 ? <p class="muted">No assistants.</p> : null}
      <MoreButton hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </section>
  );
}
