// A cursor-paginated OpenAI list (after=last_id while has_more), loaded a page at a time, that the page
// can also change locally (an object it created or deleted) without waiting for a reload.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, pageSize, type List } from '../api/client';
import { noLocalChanges, recordChange, withLocalChanges, type LocalChanges } from './local-changes';

export function usePaged<T extends { id: string }>(path: string | null, query: Record<string, string | number | undefined> = {}) {
  const [items, setItemsState] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(query);
  /** Reloads started so far: only the latest one's answer is used. */
  const reloads = useRef(0);
  /** Local changes since the latest reload started (laid over its answer, local-changes.ts). */
  const changes = useRef<LocalChanges<T>>(noLocalChanges());

  const load = useCallback(
    async (after?: string) => {
      if (!path) return;
      if (!after) changes.current = noLocalChanges();
      const reload = after ? reloads.current : ++reloads.current;
      setLoading(true);
      setError(null);
      try {
        const page = await get<List<T>>(path, { limit: pageSize(20), ...query, after });
        // A reload started since answers for a newer state of the list.
        if (reload !== reloads.current) return;
        setItemsState((prev) => (after ? [...prev, ...page.data.filter((x) => !prev.some((p) => p.id === x.id))] : withLocalChanges(page.data, changes.current)));
        setHasMore(page.has_more);
      } catch (err) {
        if (reload === reloads.current) setError(err);
      } finally {
        if (reload === reloads.current) setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [path, key],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const more = () => void load(items[items.length - 1]?.id);
  /** A local change (e.g. an object just created); a reload in flight keeps it. */
  const setItems = (update: (prev: T[]) => T[]) =>
    setItemsState((prev) => {
      const next = update(prev);
      recordChange(changes.current, prev, next);
      return next;
    });
  /** Takes a deleted object out of the loaded pages. */
  const drop = (id: string) => setItems((prev) => prev.filter((x) => x.id !== id));
  return { items, hasMore, error, loading, reload: () => load(), more, setItems, drop };
}
