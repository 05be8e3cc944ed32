// The guarantees an end-to-end run is held to, checked from the event log and the simulator's own view:
// exactly one terminal outcome per call, agreement with the switch (a call reached a person — handled, or a
// callback connected — exactly when the switch bridged its caller leg or one of its dial-back legs), no agent on two
// calls at once.
import type { EventStore, RecordedEvent } from '../../adapters/event-store/port.ts';
import { checkRoutingInvariants } from '../../engine/test-support/log-invariants.ts';
import { CALL_OUTCOMES, outcomeOf, type CallOutcome } from './call-outcomes.ts';
import { callStreams } from './e2e-scenario.ts';
import type { SwitchView } from './engine-harness.ts';

export interface ScenarioReport {
  readonly calls: Map<string, RecordedEvent[]>;
  readonly counts: Record<CallOutcome, number>;
  /** Calls without exactly one fitting outcome. */
  readonly outcomeProblems: string[];
  /** Where the switch's view and ours differ. */
  readonly mismatches: string[];
  /** Routing invariant violations found in the log. */
  readonly violations: string[];
  readonly connects: number;
  /** Caller legs of `unseeable` that indeed have no call in the log. */
  readonly unseen: string[];
}

/**
 * Reads the log and compares it with what the switch saw. `unseeable`: caller legs that came and went while no
 * engine was connected (a crash window): no event of theirs ever reached us, so they are not held against the log.
 */
export async function checkScenario(store: EventStore, view: SwitchView, unseeable: ReadonlySet<string> = new Set()): Promise<ScenarioReport> {
  const calls = await callStreams(store);
  const counts = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as Record<CallOutcome, number>;
  const outcomeProblems: string[] = [];
  const mismatches: string[] = [];
  for (const [stream, events] of calls) {
    const o = outcomeOf(events);
    if ('problem' in o) outcomeProblems.push(`${stream}: ${o.problem}`);
    else if (o.outcome === 'ended_otherwise') outcomeProblems.push(`${stream}: no outcome fits ${events.map((e) => e.type).join(' ')}`);
    else counts[o.outcome]++;
    const arrived = events.find((e) => e.type === 'CallArrived');
    const leg = (arrived?.data as { channelUuid?: string } | undefined)?.channelUuid;
    const seen = leg ? view.callers.get(leg) : undefined;
    if (!seen) {
      mismatches.push(`${stream}: the switch never saw caller leg ${leg}`);
      continue;
    }
    if (!seen.destroyed) mismatches.push(`${stream}: caller leg still up on the switch`);
    // A callback reaches its caller on another leg (the dial-back): that leg bridged counts as the caller bridged.
    const customerLegs = events.filter((e) => e.type === 'CallbackAttempted').map((e) => (e.data as { channelUuid: string }).channelUuid);
    for (const l of customerLegs) if (view.customers.get(l)?.destroyed === false) mismatches.push(`${stream}: customer leg ${l} still up on the switch`);
    const bridged = seen.bridged || customerLegs.some((l) => view.customers.get(l)?.bridged === true);
    const connected = 'outcome' in o && (o.outcome === 'handled' || o.outcome === 'callback_completed');
    if (connected !== bridged) {
      const log = events.map((e) => `${e.type}@${(e.data as { at?: number }).at ?? ''}[${e.metadata.actor ?? ''}, wall ${e.created.getTime()}]`).join(' ');
      mismatches.push(`${stream}: ours ${'outcome' in o ? o.outcome : o.problem}, switch bridged=${bridged} (caller leg ${seen.bridged}, customer legs ${customerLegs.length}); log: ${log}; switch, caller leg ${leg}: ${seen.trace.join(' ')}`);
    }
  }
  const ours = new Set([...calls.values()].map((events) => (events.find((e) => e.type === 'CallArrived')?.data as { channelUuid?: string } | undefined)?.channelUuid));
  const unseen: string[] = [];
  for (const leg of view.callers.keys()) {
    if (ours.has(leg)) continue;
    if (unseeable.has(leg)) unseen.push(leg);
    else {
      const c = view.callers.get(leg)!;
      mismatches.push(`caller leg ${leg} on the switch has no call in the log (up from ${c.createdWallMs} to ${c.destroyedWallMs ?? 'now'}, wall ms)`);
    }
  }
  const { violations, connects } = await checkRoutingInvariants(store);
  return { calls, counts, outcomeProblems, mismatches, violations, connects, unseen };
}
