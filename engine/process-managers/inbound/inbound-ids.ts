// Deterministic ids of the inbound manager: the call id from the switch's leg, command ids from the call and the
// interpreter's turn, switch playback/collect ids that carry the turn back in their facts.
import { uuidV5 } from '../../../domain/ids/deterministic-id.ts';

/** The (bare) call id of an inbound caller leg: the same leg always gives the same call; the DID's tenant scopes it. */
export const inboundCallIdFor = (switchId: string, legUuid: string): string => uuidV5(`inbound-call|${switchId}|${legUuid}`);

/** The key of the step the start of the IVR made. */
export const startStepKey = (callId: string): string => `${callId}|ivr-start`;

/** The key of the step an input made at `turn` (one accepted input per turn: a second one is stale). */
export const inputStepKey = (callId: string, turn: number): string => `${callId}|t${turn}`;

/** Switch playback / collect ids: `<scoped callId>|t<turn>|<what>|<index>`, so the fact names the call and the turn it answers. */
export const mediaIdFor = (callId: string, turn: number, what: 'play' | 'collect', index: number): string => `${callId}|t${turn}|${what}|${index}`;

/** The (scoped) call id a playback or collect id was issued for, or undefined when the id is not ours. */
export function callOfMediaId(id: string): string | undefined {
  const m = /^(.+)\|t\d+\|(?:play|collect)\|\d+$/.exec(id);
  return m ? m[1] : undefined;
}

/** The turn a playback or collect id was issued at, or undefined when the id is not ours. */
export function turnOfMediaId(id: string): number | undefined {
  const m = /\|t(\d+)\|(?:play|collect)\|\d+$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** Who records an input a durable no-input / look-up timer dispatched (the manager reacts to those events). */
export const IVR_TIMER_ACTOR = 'system:ivr-timer';

/** The durable timer that backs up the wait of `turn` (the switch's collector timeout, a look-up's deadline). */
export const ivrTimerIdFor = (callId: string, turn: number): string => `ivr-wait-${callId}-t${turn}`;
