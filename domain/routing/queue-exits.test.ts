import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { decideEnqueue, decideExits, type QueueExitRules } from './queue-exits.ts';

const NOW = 5_000_000;
const rules: QueueExitRules = {
  queueId: 'sales',
  maxWait: { seconds: 300, exit: { kind: 'queue', queueId: 'overflow' } },
  maxWaitNoAgent: { seconds: 60, exit: { kind: 'voicemail', mailbox: 'sales' } },
  maxLength: { calls: 2, exit: { kind: 'callback' } },
};
const staffed = [{ id: 'a', state: 'not_ready' as const }];
const nobody = [{ id: 'a', state: 'logged_out' as const }];

describe('decideExits', () => {
  it('given a staffed queue, when a caller reaches max wait, then it overflows; the others are checked later', () => {
    const out = decideExits(rules, [{ id: 'old', enqueuedAt: NOW - 300_000 }, { id: 'new', enqueuedAt: NOW - 100_000 }], staffed, NOW);
    expect(out.exits).toEqual([{ callId: 'old', reason: 'max-wait', exit: { kind: 'queue', queueId: 'overflow' } }]);
    expect(out.nextCheckAt).toBe(NOW + 200_000);
  });

  it('given no agent logged in, when a caller waited 60 s, then it goes to voicemail', () => {
    const out = decideExits(rules, [{ id: 'c', enqueuedAt: NOW - 60_000 }, { id: 'd', enqueuedAt: NOW - 59_000 }], nobody, NOW);
    expect(out.exits).toEqual([{ callId: 'c', reason: 'max-wait-no-agent', exit: { kind: 'voicemail', mailbox: 'sales' } }]);
    expect(out.nextCheckAt).toBe(NOW + 1_000);
  });

  it('runs the no-agent clock from when the last agent left, when that is later than the enqueue', () => {
    const out = decideExits(rules, [{ id: 'c', enqueuedAt: NOW - 200_000 }], [], NOW, { noAgentSince: NOW - 30_000 });
    expect(out.exits).toEqual([]);
    expect(out.nextCheckAt).toBe(NOW + 30_000);
  });

  it('does not apply the no-agent limit while an agent is logged in, even on break', () => {
    expect(decideExits(rules, [{ id: 'c', enqueuedAt: NOW - 100_000 }], staffed, NOW).exits).toEqual([]);
  });

  it('does not pull out a caller being offered', () => {
    const out = decideExits(rules, [{ id: 'c', enqueuedAt: NOW - 400_000, offered: true }], staffed, NOW);
    expect(out.exits).toEqual([]);
  });

  it('with no limits (absent or null, as the queue configuration stores them), nobody ever leaves', () => {
    expect(decideExits({ queueId: 'q' }, [{ id: 'c', enqueuedAt: 0 }], [], NOW)).toEqual({ exits: [] });
    const nulls = { queueId: 'q', maxWait: null, maxWaitNoAgent: null, maxLength: null };
    expect(decideExits(nulls, [{ id: 'c', enqueuedAt: 0 }], [], NOW)).toEqual({ exits: [] });
    expect(decideEnqueue(nulls, 1_000, [])).toEqual({ accepted: true });
  });
});

describe('decideEnqueue', () => {
  it('refuses the caller when the queue is full, sending it to callback', () => {
    expect(decideEnqueue(rules, 1, staffed)).toEqual({ accepted: true });
    expect(decideEnqueue(rules, 2, staffed)).toEqual({ accepted: false, reason: 'max-length', exit: { kind: 'callback' } });
  });

  it('refuses callers of an empty queue when the no-agent limit is 0 (join-empty off)', () => {
    const strict = { ...rules, maxWaitNoAgent: { seconds: 0, exit: { kind: 'hangup' as const } } };
    expect(decideEnqueue(strict, 0, nobody)).toEqual({ accepted: false, reason: 'max-wait-no-agent', exit: { kind: 'hangup' } });
    expect(decideEnqueue(strict, 0, staffed)).toEqual({ accepted: true });
  });

  it('rejects invalid rules with a coded error', () => {
    for (const bad of [
      { queueId: 'q', maxWait: { seconds: -1, exit: { kind: 'callback' as const } } },
      { queueId: 'q', maxLength: { calls: 3, exit: { kind: 'queue' as const, queueId: 'q' } } },
    ]) {
      expect(() => decideEnqueue(bad, 0, [])).toThrow(expect.objectContaining({ code: 'QUEUE_EXIT_RULES_INVALID' }));
    }
    try {
      decideExits({ queueId: 'q', maxWait: { seconds: 0, exit: { kind: 'callback' } } }, [], [], NOW);
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'QUEUE_EXIT_RULES_INVALID')).toBe(true);
    }
  });
});
