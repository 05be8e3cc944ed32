// Rebuilds a call's IVR session from its call stream: the interpreter is deterministic, so replaying the recorded
// inputs (prompt done, keys, timeouts, look-up results) over the pinned flow version gives the session back. The
// session is never held only in memory: a new manager, or a restart, reads it from the log.
import type { CallEvent } from '../../../domain/call/call-events.ts';
import type { IvrFlow } from '../../../domain/ivr/flow-schema.ts';
import type { IvrInput } from '../../../domain/ivr/inputs.ts';
import { advance, start, type Step } from '../../../domain/ivr/interpreter.ts';

/** The IVR of a call as its stream tells it. */
export interface IvrRun {
  readonly flowId: string;
  readonly flowVersion: number;
  /** The last step the recorded inputs produced (its session is the current one). */
  readonly step: Step;
}

type Arrived = Extract<CallEvent, { type: 'CallArrived' }>['data'];

/** The interpreter input a recorded call event stands for, or undefined for events that are not inputs. */
export function inputOfEvent(e: CallEvent): IvrInput | undefined {
  switch (e.type) {
    case 'IvrPromptPlayed':
      return { kind: 'prompt_done', at: e.data.at };
    case 'IvrInputReceived': {
      const i = e.data.input;
      if (i.kind === 'dtmf') return { kind: 'dtmf', at: e.data.at, digits: i.digits };
      if (i.kind === 'timeout') return { kind: 'timeout', at: e.data.at };
      return { kind: 'speech', at: e.data.at, intent: i.intent, confidence: i.confidence };
    }
    case 'IvrLookupAnswered':
      return { kind: 'lookup_result', at: e.data.at, name: e.data.lookup, ok: true, outputs: e.data.values };
    case 'IvrLookupFailed':
      return e.data.reason === 'timeout'
        ? { kind: 'timeout', at: e.data.at }
        : { kind: 'lookup_result', at: e.data.at, name: e.data.lookup, ok: false, outputs: {} };
    default:
      return undefined;
  }
}

/** The IVR's start context, from the call's arrival: the same context every time, so the replay is exact. */
export function ivrContextOf(callId: string, arrived: Arrived, startedAt: number) {
  return { at: startedAt, callId, callerNumber: arrived.callerNumber, dialedNumber: arrived.did };
}

/**
 * Replays the IVR of a call. `flowOf` gives the pinned flow version. Returns undefined when the IVR never started.
 * Inputs recorded after the session ended (none should exist) are skipped.
 */
export function foldIvrRun(callId: string, events: readonly CallEvent[], flowOf: (flowId: string, version: number) => IvrFlow): IvrRun | undefined {
  let arrived: Arrived | undefined;
  let run: { flowId: string; flowVersion: number; flow: IvrFlow; step: Step } | undefined;
  for (const e of events) {
    if (e.type === 'CallArrived') arrived = e.data;
    else if (e.type === 'IvrStarted' && arrived) {
      const flow = flowOf(e.data.flowId, e.data.flowVersion);
      run = { flowId: e.data.flowId, flowVersion: e.data.flowVersion, flow, step: start(flow, ivrContextOf(callId, arrived, e.data.at)) };
    } else if (run && run.step.session.phase !== 'ended') {
      const input = inputOfEvent(e);
      if (input) {
        const next = advance(run.flow, run.step.session, input);
        if (next.ignored === undefined) run.step = next;
      }
    }
  }
  return run && { flowId: run.flowId, flowVersion: run.flowVersion, step: run.step };
}
