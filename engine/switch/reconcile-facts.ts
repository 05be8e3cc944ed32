// A ReconcileReport as port facts: a channel the engine believed live that the switch no longer has ended while we
// were not listening, so it becomes a leg_hangup (cause RECONCILE_ENDED, or SWITCH_RESTARTED when the Core-UUID
// changed). An adopted channel that is a caller on one of our numbers (inbound, none of our variables: its first
// events came while nobody listened, e.g. during a restart) becomes the leg_answered / leg_ringing it missed, so
// the call is taken up instead of being left parked; other adopted channels go to the port's `onAdopted`. Pure.
import type { ReconcileReport } from '../../adapters/freeswitch/connection/reconcile.ts';
import type { SwitchFact } from '../ports/switch-port.ts';

/** Hangup causes of facts the reconcile produced (no ESL event behind them). */
export const RECONCILE_ENDED = 'RECONCILE_ENDED';
export const SWITCH_RESTARTED = 'SWITCH_RESTARTED';

/** One leg_hangup per ended channel; the fact id names the snapshot, so the same report gives the same ids. */
export function reconcileFacts(report: ReconcileReport): SwitchFact[] {
  const cause = report.coreChanged ? SWITCH_RESTARTED : RECONCILE_ENDED;
  return report.ended.map((legUuid) => ({
    kind: 'leg_hangup',
    switchId: report.switchId,
    factId: `reconcile/${report.switchId}/${report.coreUuid ?? ''}/${report.at}/${legUuid}`,
    at: report.at,
    legUuid,
    cause,
  }));
}

/** Callers that arrived while nobody listened: the first fact they would have produced, once per leg. */
export function adoptedCallerFacts(report: ReconcileReport): SwitchFact[] {
  const out: SwitchFact[] = [];
  for (const c of report.adopted) {
    if (c.direction !== 'inbound' || c.destinationNumber === undefined || (c.ledgerline?.role !== undefined && c.ledgerline.role !== 'caller')) continue;
    const answered = c.callState === 'ACTIVE' || c.callState === 'HELD';
    if (!answered && c.callState !== 'RINGING' && c.callState !== 'EARLY') continue;
    out.push({
      kind: answered ? 'leg_answered' : 'leg_ringing',
      switchId: report.switchId,
      factId: `adopt/${report.switchId}/${report.coreUuid ?? ''}/${c.uuid}`,
      at: report.at,
      legUuid: c.uuid,
      direction: 'inbound',
      did: c.destinationNumber,
      ...(c.callerIdNumber !== undefined ? { callerNumber: c.callerIdNumber } : {}),
      ...(c.callerIdName !== undefined ? { callerName: c.callerIdName } : {}),
    });
  }
  return out;
}
