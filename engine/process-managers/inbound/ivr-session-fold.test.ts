// The fold gives back exactly the session the interpreter reached live, from the recorded call events alone.
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../../domain/call/call-events.ts';
import { validFlow } from '../../../domain/ivr/fixtures.ts';
import { advance, start } from '../../../domain/ivr/interpreter.ts';
import { foldIvrRun, inputOfEvent } from './ivr-session-fold.ts';
import { inputStepKey, mediaIdFor, turnOfMediaId } from './inbound-ids.ts';

const flow = validFlow({
  hello: { kind: 'play', prompt: { id: 'hello' }, next: 'menu' },
  menu: { kind: 'menu', prompt: { id: 'm' }, options: [{ key: '1', next: 'who' }], timeoutMs: 1000, maxRetries: 2, onExhausted: 'bye' },
  who: { kind: 'lookup', name: 'crm', inputs: { n: 'caller.number' }, outputs: { tier: 'caller.tier' }, timeoutMs: 1000, next: 'q', onFailure: 'bye', onTimeout: 'bye' },
  q: { kind: 'queue', queueId: 'sales' },
  bye: { kind: 'hangup', reason: 'other' },
});
const callId = 'c1';
const ev = (type: string, data: Record<string, unknown>): CallEvent => ({ type, data: { callId, ...data } }) as unknown as CallEvent;
const arrived = ev('CallArrived', { at: 10, did: '+32', callerNumber: '+33', callerName: null, switchId: 's', channelUuid: 'u' });

describe('foldIvrRun', () => {
  it('is undefined before the IVR started', () => {
    expect(foldIvrRun(callId, [arrived], () => flow)).toBeUndefined();
  });

  it('replays the recorded inputs to the session the interpreter reached live (ignoring node entries)', () => {
    const ctx = { at: 20, callId, callerNumber: '+33', dialedNumber: '+32' };
    let live = start(flow, ctx);
    for (const input of [
      { kind: 'prompt_done', at: 30 },
      { kind: 'dtmf', at: 40, digits: '7' },
      { kind: 'timeout', at: 50 },
      { kind: 'dtmf', at: 60, digits: '1' },
      { kind: 'lookup_result', at: 70, name: 'crm', ok: true, outputs: { tier: 'gold' } },
    ] as const) {
      live = advance(flow, live.session, input);
    }
    const events = [
      arrived,
      ev('IvrStarted', { at: 20, flowId: 'test-flow', flowVersion: 3 }),
      ev('IvrNodeEntered', { at: 20, nodeId: 'hello', nodeType: 'play' }),
      ev('IvrPromptPlayed', { at: 30, nodeId: 'hello', promptId: 'hello', bargedIn: false }),
      ev('IvrInputReceived', { at: 40, nodeId: 'menu', input: { kind: 'dtmf', digits: '7' } }),
      ev('IvrInputReceived', { at: 50, nodeId: 'menu', input: { kind: 'timeout' } }),
      ev('IvrInputReceived', { at: 60, nodeId: 'menu', input: { kind: 'dtmf', digits: '1' } }),
      ev('IvrLookupAnswered', { at: 70, nodeId: 'who', lookup: 'crm', values: { tier: 'gold' } }),
    ];
    const run = foldIvrRun(callId, events, (id, v) => (id === 'test-flow' && v === 3 ? flow : validFlow({})))!;
    expect(run.flowVersion).toBe(3);
    expect(run.step.session).toEqual(live.session);
    expect(run.step.outcome).toMatchObject({ kind: 'queued', queueId: 'sales' });
  });

  it('reads a timed-out look-up as a timeout, a failed one as a failed result', () => {
    expect(inputOfEvent(ev('IvrLookupFailed', { at: 5, nodeId: 'who', lookup: 'crm', reason: 'timeout', message: null }))).toEqual({ kind: 'timeout', at: 5 });
    expect(inputOfEvent(ev('IvrLookupFailed', { at: 5, nodeId: 'who', lookup: 'crm', reason: 'error', message: null }))).toEqual({ kind: 'lookup_result', at: 5, name: 'crm', ok: false, outputs: {} });
    expect(inputOfEvent(ev('IvrNodeEntered', { at: 5, nodeId: 'who', nodeType: 'lookup' }))).toBeUndefined();
  });
});

describe('inbound ids', () => {
  it('carries the turn in playback and collect ids, and only in ours', () => {
    expect(turnOfMediaId(mediaIdFor('c-1|x', 12, 'collect', 2))).toBe(12);
    expect(turnOfMediaId(mediaIdFor('c1', 0, 'play', 0))).toBe(0);
    expect(turnOfMediaId('some-other-playback')).toBeUndefined();
    expect(inputStepKey('c1', 4)).not.toBe(inputStepKey('c1', 5));
  });
});
