/**
 * Long-poll support: a GET of a non-terminal run from the SDK's poll helper waits here until the
 * run changes (or a timeout), so `createAndPoll` sees completion within milliseconds instead of
 * after a fixed poll interval, with fewer requests.
 */
export class RunWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  wait(runId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiting.get(runId);
      if (!set) this.waiting.set(runId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set!.delete(done);
        if (set!.size === 0) this.waiting.delete(runId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  notify(runId: string): void {
    for (const done of [...(this.waiting.get(runId) ?? [])]) done();
  }
}
