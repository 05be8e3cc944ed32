// A ReconcileReport as port facts: a channel the engine believed live that the switch no longer has ended while we
// were not listening, so it becomes a leg_hangup (cause RECONCILE_ENDED, or SWITCH_RESTARTED when the Core-UUID
// changed). Adopted channels have no port fact (the port cannot say "a leg you did not know exists"); the port
// hands the report to its `onAdopted` callback instead. Pure.
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
