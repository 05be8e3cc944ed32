import { describe, expect, it } from 'vitest';
import { recordsFromEvents } from './contacts-from-events.ts';
import { metricsFromEvents } from './metrics-accumulator.ts';
import { ev } from './metrics-event-fixtures.ts';

const t0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const s = (seconds: number) => t0 + seconds * 1000;

// One morning on two queues:
// c1 answered on q1 after 15 s by a1 (talk 150 s, hold 30 s, wrap 30 s); c2 abandons q1 after 3 s;
// c3 asks for a callback after 30 s (its entry ends there); an agent is dialled first, the customer answers the
// dial-back at +600 s and is connected 10 s later (no new queue entry);
// c4 overflows from q1 to q2 after 120 s and abandons q2 80 s later; c5 waits on q2 from +30 s.
const events = [
  ev.loggedIn('a1', s(-60)),
  ev.ready('a1', s(-60)),
  ev.queued('c1', 'q1', s(0)),
  ev.queued('c4', 'q1', s(0)),
  ev.queued('c2', 'q1', s(5)),
  ev.abandoned('c2', 'q1', s(8)),
  ev.ended('c2', s(8)),
  ev.offered('a1', 'c1', 'o1', 'q1', s(10)),
  ev.ringing('a1', 'c1', 'o1', s(11)),
  ev.talking('a1', 'c1', 'o1', s(15)),
  ev.connected('c1', 'q1', 'o1', 'a1', s(15)),
  ev.queued('c3', 'q1', s(20)),
  ev.queued('c5', 'q2', s(30)),
  ev.callbackRequested('c3', 'q1', s(50)),
  ev.held('a1', 'c1', 'o1', s(60)),
  ev.retrieved('a1', 'c1', 'o1', s(90), 30_000),
  ev.overflowed('c4', 'q1', 'q2', s(120)),
  ev.queued('c4', 'q2', s(120)),
  ev.wrapUpStarted('a1', 'c1', 'o1', s(195), 150_000, 30_000),
  ev.ended('c1', s(195), 'agent'),
  ev.abandoned('c4', 'q2', s(200)),
  ev.wrapUpEnded('a1', 'c1', 'o1', s(225), 30_000),
  ev.callbackCompleted('c3', 'q1', s(600)),
  ev.connected('c3', 'q1', 'o3', 'a2', s(610)),
];

describe('contacts from events', () => {
  it('makes one record per queue entry with the times the events carry', () => {
    const { contacts } = recordsFromEvents(events);
    const byId = Object.fromEntries(contacts.map((c) => [c.contactId, c]));
    expect(Object.keys(byId).sort()).toEqual(['c1#1', 'c2#1', 'c3#1', 'c4#1', 'c4#2', 'c5#1']);
    expect(byId['c1#1']).toEqual({
      contactId: 'c1#1',
      callId: 'c1',
      queueId: 'q1',
      enteredAt: s(0),
      leftAt: s(15),
      outcome: 'answered',
      talkMs: 150_000,
      holdMs: 30_000,
      wrapMs: 30_000,
      handledAt: s(225),
    });
    expect(byId['c2#1']).toMatchObject({ outcome: 'abandoned', leftAt: s(8) });
    expect(byId['c3#1']).toMatchObject({ outcome: 'callback', leftAt: s(50) });
    expect(byId['c4#1']).toMatchObject({ queueId: 'q1', outcome: 'overflowed', leftAt: s(120) });
    expect(byId['c4#2']).toMatchObject({ queueId: 'q2', enteredAt: s(120), outcome: 'abandoned', leftAt: s(200) });
    expect(byId['c5#1']).toMatchObject({ outcome: 'waiting', leftAt: null });
  });

  it('counts an agent-first callback as the one entry that ended in `callback`, its dial-back conversation as that entry\'s handling', () => {
    const { contacts } = recordsFromEvents([
      ev.queued('c7', 'q1', s(0)),
      ev.callbackRequested('c7', 'q1', s(40)),
      ev.offered('a2', 'c7', 'o7', 'q1', s(300)),
      ev.talking('a2', 'c7', 'o7', s(305)),
      ev.callbackCompleted('c7', 'q1', s(320)),
      ev.connected('c7', 'q1', 'o7', 'a2', s(320)),
      ev.wrapUpStarted('a2', 'c7', 'o7', s(420), 100_000, 0),
      ev.wrapUpEnded('a2', 'c7', 'o7', s(430), 10_000),
    ]);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ contactId: 'c7#1', outcome: 'callback', enteredAt: s(0), leftAt: s(40), talkMs: 100_000, wrapMs: 10_000, handledAt: s(430) });
  });

  it('makes agent intervals from the agent events', () => {
    const { intervals } = recordsFromEvents(events);
    const a1 = intervals.filter((i) => i.agentId === 'a1' && i.end !== i.start);
    expect(a1).toEqual([
      { agentId: 'a1', activity: 'available', start: s(-60), end: s(10) },
      { agentId: 'a1', activity: 'reserved', start: s(10), end: s(15) },
      { agentId: 'a1', activity: 'on-contact', start: s(15), end: s(195) },
      { agentId: 'a1', activity: 'after-call-work', start: s(195), end: s(225) },
      { agentId: 'a1', activity: 'available', start: s(225), end: null },
    ]);
  });

  it('attaches handling that arrives before the call is connected (streams interleave)', () => {
    const { contacts } = recordsFromEvents([
      ev.queued('c9', 'q1', s(0)),
      ev.wrapUpStarted('a1', 'c9', 'o9', s(100), 80_000, 5_000),
      ev.wrapUpEnded('a1', 'c9', 'o9', s(120), 20_000),
      ev.connected('c9', 'q1', 'o9', 'a1', s(10)),
    ]);
    expect(contacts[0]).toMatchObject({ outcome: 'answered', talkMs: 80_000, holdMs: 5_000, wrapMs: 20_000, handledAt: s(120) });
  });

  it('skips event types it does not read (other categories, call events without a metric)', () => {
    const { contacts, intervals } = recordsFromEvents([
      { type: 'QueueCreated', data: { queueId: 'q1' } },
      { type: 'CallArrived', data: { callId: 'c1', at: s(0) } },
      ev.queued('c1', 'q1', s(1)),
    ]);
    expect(contacts).toHaveLength(1);
    expect(intervals).toEqual([]);
  });

  it('ignores IVR abandons, and closes a call left in queue at CallEnded by who hung up', () => {
    const { contacts } = recordsFromEvents([
      ev.abandonedInIvr('c1', s(0)),
      ev.queued('c2', 'q1', s(0)),
      ev.ended('c2', s(30), 'caller'),
      ev.queued('c3', 'q1', s(0)),
      ev.ended('c3', s(40), 'system'),
      ev.queued('c4', 'q1', s(0)),
      ev.overflowedToCallback('c4', 'q1', s(50)),
    ]);
    expect(contacts.map((c) => [c.contactId, c.outcome])).toEqual([
      ['c2#1', 'abandoned'],
      ['c3#1', 'overflowed'],
      ['c4#1', 'callback'],
    ]);
  });
});

describe('metrics from events (rolling 15 minutes at +700 s)', () => {
  const options = { window: { kind: 'rolling', durationMs: 15 * 60_000 } as const, serviceLevel: { thresholdMs: 20_000 } };
  const m = metricsFromEvents(events, s(700), options);

  it('computes the queue q1 metrics by hand', () => {
    const q1 = m.byQueue['q1']!;
    expect(q1.serviceLevels).toEqual({ 'asterisk-sl': 1, 'asterisk-sl2': 1, amazon: 2 / 3, genesys: 1 / 2 });
    expect(q1.averageSpeedOfAnswer).toBe(15_000);
    expect(q1.averageHandleTime).toBe(210_000);
    expect(q1.abandonmentRate).toBe(1 / 4);
    expect(q1).toMatchObject({ entered: 4, answered: 1, abandoned: 1, callbacks: 1, overflowed: 1, waiting: 0, longestWaitMs: 0 });
  });

  it('applies the genesys options and short abandons', () => {
    const q1 = (o: object) => metricsFromEvents(events, s(700), { ...options, serviceLevel: { thresholdMs: 20_000, ...o }, abandonment: o }).byQueue['q1']!;
    expect(q1({ shortAbandonMs: 5_000 }).serviceLevels.genesys).toBe(1);
    expect(q1({ shortAbandonMs: 5_000 }).abandonmentRate).toBe(0);
    expect(q1({ includeFlowOuts: true }).serviceLevels.genesys).toBe(1 / 3);
  });

  it('computes q2, the totals, occupancy and agent counts', () => {
    expect(m.byQueue['q2']).toMatchObject({ entered: 2, abandoned: 1, waiting: 1, longestWaitMs: 670_000, abandonmentRate: 1 / 2 });
    expect(m.all.longestWaitMs).toBe(670_000);
    expect(m.all.entered).toBe(6);
    // a1 handles 5 + 180 + 30 = 215 s and is available 70 + 475 = 545 s in (−200 s, +700 s].
    expect(m.occupancy).toBe(215 / 760);
    expect(m.agents).toEqual({ available: 1, reserved: 0, onContact: 0, afterCallWork: 0, notProductive: 0, staffed: 1 });
  });

  it('drops contacts that left exactly 15 minutes before now', () => {
    const late = metricsFromEvents(events, s(15 + 900), options).byQueue['q1']!;
    expect(late.answered).toBe(0); // c1 (left at +15 s) is out (c3's dial-back is no queue entry)
    const justBefore = metricsFromEvents(events, s(15 + 900) - 1, options).byQueue['q1']!;
    expect(justBefore.answered).toBe(1);
  });
});

describe('since midnight in Europe/Paris across the spring-forward night', () => {
  // 29 March 2026: local midnight is 23:00 UTC on the 28th (UTC+1); by 22:00 local it is UTC+2.
  const midnight = Date.UTC(2026, 2, 28, 23, 0, 0);
  const log = [
    ev.queued('late', 'q1', midnight - 60_000),
    ev.connected('late', 'q1', 'o-late', 'a1', midnight - 1), // 23:59:59.999 on the 28th: yesterday
    ev.queued('first', 'q1', midnight - 30_000),
    ev.connected('first', 'q1', 'o-first', 'a1', midnight), // 00:00:00.000 on the 29th: today
    ev.queued('evening', 'q1', Date.UTC(2026, 2, 29, 19, 0, 0)),
    ev.abandoned('evening', 'q1', Date.UTC(2026, 2, 29, 19, 0, 5)),
  ];
  it('counts from 00:00 local (23:00 UTC the day before), midnight included', () => {
    const m = metricsFromEvents(log, Date.UTC(2026, 2, 29, 20, 0, 0), {
      window: { kind: 'since-midnight', timeZone: 'Europe/Paris' },
      serviceLevel: { thresholdMs: 20_000 },
    });
    expect(m.window.from).toBe(midnight);
    const q1 = m.byQueue['q1']!;
    expect(q1.answered).toBe(1); // 'first' only
    expect(q1.averageSpeedOfAnswer).toBe(30_000);
    expect(q1.abandoned).toBe(1);
    // Entered today: only 'evening' ('late' and 'first' entered before midnight).
    expect(q1.entered).toBe(1);
    expect(q1.abandonmentRate).toBe(1);
  });
});
