/**
 * Test support: one realistic morning of two tenants (see dashboard-query.int.test.ts for the hand-computed
 * values). `T` is 10:00 UTC; the dashboard is read at `NOW` = T + 10 min.
 */
import type { EventStore } from '../../adapters/event-store/port.ts';
import { Workload } from './dashboard-workload.ts';

export const T = Date.UTC(2026, 10, 22, 10, 0, 0);
export const NOW = T + 600_000;
const S = 1_000;
const H = 3_600_000;

/** Appends the morning of `acme` (and a little of `globex`); `between` runs after each step (to interleave runners). */
export async function runMorning(store: EventStore, between: () => Promise<void> = async () => undefined): Promise<{ acme: Workload; globex: Workload }> {
  const acme = new Workload(store, 'acme');
  const globex = new Workload(store, 'globex');
  for (const a of ['a1', 'a2', 'a3']) await acme.login(a, T - 3 * H);
  await acme.createQueue('sales', 'Sales', T - 3 * H, { thresholdSeconds: 20, formula: 'asterisk-sl', shortAbandonSeconds: 5 }, ['a1', 'a2']);
  await acme.createQueue('support', 'Support', T - 3 * H, { thresholdSeconds: 30, formula: 'amazon', shortAbandonSeconds: 0 }, ['a3']);
  await acme.createQueue('closed', 'Closed', T - 3 * H, { thresholdSeconds: 30, formula: 'genesys', shortAbandonSeconds: 0 }, ['a3']);
  await acme.queue('closed', 'DeleteQueue', T - 3 * H);
  await between();
  // c0, two hours ago: waited 25 s (over the 20 s threshold), 60 s talk, 30 s wrap-up.
  await acme.arriveAndQueue('c0', 'sales', T - 2 * H, T - 2 * H + 5 * S);
  await acme.answer('c0', 'sales', 'a1', 'o0', T - 2 * H + 30 * S);
  await acme.finish('c0', 'a1', 'o0', T - 2 * H + 90 * S, T - 2 * H + 120 * S);
  await between();
  await acme.agent('a2', 'MakeNotReady', T - 30 * 60 * S, { reasonCode: 'lunch' });
  // c1: waited 10 s, 105 s connected of which 30 s on hold, 30 s wrap-up.
  await acme.arriveAndQueue('c1', 'sales', T, T + 5 * S);
  await acme.arriveAndQueue('c2', 'sales', T, T + 10 * S);
  await acme.arriveAndQueue('c3', 'sales', T, T + 10 * S);
  await acme.answer('c1', 'sales', 'a1', 'o1', T + 15 * S);
  await between();
  // c2 hangs up after 30 s in queue; c3 asks for a callback after 30 s.
  await acme.abandon('c2', T + 40 * S);
  await acme.callback('c3', T + 40 * S);
  await acme.hold('c1', 'a1', 'o1', T + 60 * S, T + 90 * S);
  await acme.finish('c1', 'a1', 'o1', T + 120 * S, T + 150 * S);
  await between();
  // c4 in support: waited 10 s, on hold since T + 300 s and still is.
  await acme.arriveAndQueue('c4', 'support', T + 200 * S, T + 210 * S);
  await acme.answer('c4', 'support', 'a3', 'o4', T + 220 * S);
  await acme.hold('c4', 'a3', 'o4', T + 300 * S);
  // c5 in sales: waiting since T + 410 s.
  await acme.arriveAndQueue('c5', 'sales', T + 400 * S, T + 410 * S);
  await between();
  // globex has a queue and an agent of the same ids, and one caller waiting since T + 500 s.
  await globex.login('a1', T - H);
  await globex.createQueue('sales', 'Globex sales', T - H, { thresholdSeconds: 60, formula: 'genesys', shortAbandonSeconds: 0 }, ['a1']);
  await globex.arriveAndQueue('g1', 'sales', T + 490 * S, T + 500 * S);
  await between();
  return { acme, globex };
}
