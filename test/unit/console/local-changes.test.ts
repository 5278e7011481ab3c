// The console's list pages lay their own changes over a reload that was in flight when they made them
// (console/src/ui/local-changes.ts): a file uploaded while the first page of files was loading stays listed.
import { describe, expect, it } from 'vitest';
import { noLocalChanges, recordChange, withLocalChanges } from '../../../console/src/ui/local-changes';

const o = (id: string) => ({ id });
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('local changes over a reloaded list', () => {
  it('keeps an object created while the reload was loading, newest first, once', () => {
    const changes = noLocalChanges<{ id: string }>();
    recordChange(changes, [], [o('file-a')]);
    recordChange(changes, [o('file-a')], [o('file-b'), o('file-a')]);
    expect(ids(withLocalChanges([o('old-1'), o('old-2')], changes))).toEqual(['file-b', 'file-a', 'old-1', 'old-2']);
    // The reload already saw one of them: it is not listed twice.
    expect(ids(withLocalChanges([o('file-a'), o('old-1')], changes))).toEqual(['file-b', 'file-a', 'old-1']);
  });

  it('keeps one update order when it adds several at once', () => {
    const changes = noLocalChanges<{ id: string }>();
    recordChange(changes, [o('old')], [o('x'), o('y'), o('old')]);
    expect(ids(withLocalChanges([o('old')], changes))).toEqual(['x', 'y', 'old']);
  });

  it('leaves out an object deleted while the reload was loading', () => {
    const changes = noLocalChanges<{ id: string }>();
    recordChange(changes, [o('a'), o('b')], [o('a')]);
    expect(ids(withLocalChanges([o('a'), o('b'), o('c')], changes))).toEqual(['a', 'c']);
  });

  it('created then deleted: neither', () => {
    const changes = noLocalChanges<{ id: string }>();
    recordChange(changes, [], [o('n')]);
    recordChange(changes, [o('n')], []);
    expect(ids(withLocalChanges([o('a')], changes))).toEqual(['a']);
  });

  it('no changes: the reload as it is', () => {
    expect(ids(withLocalChanges([o('a'), o('b')], noLocalChanges()))).toEqual(['a', 'b']);
  });
});
