// Vector stores: the list with file counts, create and delete.
import { useState } from 'preact/hooks';
import { del, post } from '../api/client';
import type { VectorStore } from '../api/types';
import { ErrorBox, MoreButton, time, usePaged } from '../ui/common';
import { href } from '../ui/router';

export function VectorStoresPage() {
  const list = usePaged<VectorStore>('vector_stores', { order: 'desc' });
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const vs = await post<VectorStore>('vector_stores', { name });
      list.setItems((items) => [vs, ...items]);
      setName('');
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (id: string) => {
    if (!confirm('Delete this vector store?')) return;
    try {
      await del(`vector_stores/${encodeURIComponent(id)}`);
      list.drop(id);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <header class="bar">
        <h2>Vector stores</h2>
        <form class="inline-form" onSubmit={create}>
          <input aria-label="new vector store name" placeholder="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit">Create vector store</button>
        </form>
      </header>
      <ErrorBox error={error ?? list.error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Status</th>
            <th>Files (done / in progress / failed)</th>
            <th>Bytes</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.items.map((s) => (
            <tr key={s.id}>
              <td>
                <a href={href('vector-stores', s.id)}>{s.name || s.id}</a>
                <div class="muted">{s.id}</div>
              </td>
              <td>{s.status}</td>
              <td>{`${s.file_counts.completed} / ${s.file_counts.in_progress} / ${s.file_counts.failed}`}</td>
              <td>{s.usage_bytes}</td>
              <td>{time(s.created_at)}</td>
              <td>
                <button type="button" class="danger" onClick={() => remove(s.id)}>
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
