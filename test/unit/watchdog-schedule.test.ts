import { describe, expect, it } from 'vitest';
import { nextAlarmAt, WATCHDOG_INTERVAL_MS } from '../../src/durable/watchdog';
import type { StoredRun } from '../../src/durable/run-store';

const NOW = 1_800_000_000_000;
const stored = (status: string, expiresAt: number | null, retryAt: number | null = null): StoredRun =>
  ({
    run: { id: 'run_x', status, expires_at: expiresAt },
    internal: { projectId: 'p', attempt: 0, retryAt, resumes: 0, usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } },
  }) as unknown as StoredRun;

describe('watchdog schedule', () => {
  it('ticks every interval while a run is in progress', () => {
    expect(nextAlarmAt([stored('in_progress', NOW / 1000 + 600)], NOW)).toBe(NOW + WATCHDOG_INTERVAL_MS);
  });

  it('fires at expires_at when that comes first, also for queued and in-progress runs', () => {
    expect(nextAlarmAt([stored('in_progress', NOW / 1000 + 3)], NOW)).toBe(NOW + 3000);
    expect(nextAlarmAt([stored('queued', NOW / 1000 + 5, NOW + 60_000)], NOW)).toBe(NOW + 5000);
  });

  it('a run waiting for tool outputs wakes the watchdog only at its expiry', () => {
    expect(nextAlarmAt([stored('requires_action', NOW / 1000 + 600)], NOW)).toBe(NOW + 600_000);
  });

  it('a scheduled retry is not pre-empted before its time, but never past the expiry', () => {
    expect(nextAlarmAt([stored('in_progress', NOW / 1000 + 600, NOW + 30_000)], NOW)).toBe(NOW + 30_000);
  });

  it('no active run, no alarm', () => {
    expect(nextAlarmAt([], NOW)).toBeNull();
  });
});
