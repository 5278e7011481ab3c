// What a list page changed locally (an object it created, one it deleted) while a reload of the list
// was in flight. The reload's answer may have been read before or after those writes, so it replaces
// the loaded items only with the changes laid over it again: without this, the page's first load,
// answered after an upload completed, wiped the uploaded file from the list until the next reload.

export interface LocalChanges<T extends { id: string }> {
  /** Objects the page put into the list (newest first), by id. */
  added: Map<string, T>;
  /** Ids the page took out of the list. */
  dropped: Set<string>;
}

export function noLocalChanges<T extends { id: string }>(): LocalChanges<T> {
  return { added: new Map(), dropped: new Set() };
}

/** Records the difference between the list before and after a local update. */
export function recordChange<T extends { id: string }>(changes: LocalChanges<T>, before: readonly T[], after: readonly T[]): void {
  const beforeIds = new Set(before.map((x) => x.id));
  const afterIds = new Set(after.map((x) => x.id));
  // Backwards, so that reading `added` newest first (withLocalChanges) keeps one update's order.
  for (const x of [...after].reverse()) {
    if (!beforeIds.has(x.id)) {
      changes.added.set(x.id, x);
      changes.dropped.delete(x.id);
    }
  }
  for (const id of beforeIds) {
    if (!afterIds.has(id)) {
      changes.dropped.add(id);
      changes.added.delete(id);
    }
  }
}

/** A reloaded first page with the local changes made while it was loading laid over it. */
export function withLocalChanges<T extends { id: string }>(page: readonly T[], changes: LocalChanges<T>): T[] {
  const kept = page.filter((x) => !changes.dropped.has(x.id));
  const ids = new Set(kept.map((x) => x.id));
  const added = [...changes.added.values()].reverse().filter((x) => !ids.has(x.id));
  return [...added, ...kept];
}
