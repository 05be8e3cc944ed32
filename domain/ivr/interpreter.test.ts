import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { parsedFlow, validFlow } from './fixtures.ts';
import type { IvrFlow } from './flow-schema.ts';
import type { IvrInput } from './inputs.ts';
import { advance, createSession, start, STEP_BUDGET, type Step } from './interpreter.ts';
import type { IvrSession } from './session.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z'); // a Monday, 11:00 in Paris

/** Helper nodes every small flow can point at. */
const ends = {
  done: { kind: 'hangup', reason: 'self_served' },
  exhausted: { kind: 'hangup', reason: 'no_input' },
  failure: { kind: 'transfer', to: '+33100000000' },
  late: { kind: 'voicemail', mailbox: 'late' },
};

const nodesUnderTest = {
  playN: { kind: 'play', prompt: { id: 'p' }, next: 'done' },
  playI: { kind: 'play', prompt: { id: 'p' }, interruptible: true, next: 'done' },
  menu: {
    kind: 'menu',
    prompt: { id: 'menu' },
    options: [{ key: '1', next: 'done' }, { key: '#', next: 'failure' }],
    timeoutMs: 5000,
    maxRetries: 1,
    invalidPrompt: { id: 'invalid' },
    noInputPrompt: { id: 'no-input' },
    onExhausted: 'exhausted',
  },
  collect: {
    kind: 'collect',
    prompt: { id: 'enter' },
    minDigits: 2,
    maxDigits: 4,
    terminator: '#',
    timeoutMs: 5000,
    into: 'acct',
    maxRetries: 1,
    invalidPrompt: { id: 'invalid' },
    next: 'done',
    onExhausted: 'exhausted',
  },
  speechN: {
    kind: 'speech',
    prompt: { id: 'ask' },
    intents: [{ intent: 'yes', next: 'done' }, { intent: 'no', next: 'failure' }],
    minConfidence: 0.5,
    timeoutMs: 5000,
    maxRetries: 1,
    invalidPrompt: { id: 'sorry' },
    onExhausted: 'exhausted',
  },
  speechF: {
    kind: 'speech',
    prompt: { id: 'ask' },
    intents: [{ intent: 'yes', next: 'done' }],
    minConfidence: 0.5,
    timeoutMs: 5000,
    maxRetries: 1,
    dtmfFallback: { prompt: { id: 'keys' }, options: [{ key: '1', next: 'done' }, { key: '2', next: 'failure' }] },
    noInputPrompt: { id: 'no-input' },
    onExhausted: 'exhausted',
  },
  lookup: {
    kind: 'lookup',
    name: 'crm',
    inputs: { phone: 'caller.number', missing: 'nope' },
    outputs: { tier: 'caller.tier', balance: 'account.balance' },
    timeoutMs: 2000,
    next: 'done',
    onFailure: 'failure',
    onTimeout: 'late',
  },
};
type Under = keyof typeof nodesUnderTest;

function flowAt(id: Under): IvrFlow {
  return parsedFlow({ ...nodesUnderTest, ...ends }, id);
}

/** Runs `inputs` one after another (at T0+1s, +2s, …), returning every step. */
function script(flow: IvrFlow, inputs: IvrInputLike[], context: Parameters<typeof start>[1] = { at: T0, callerNumber: '+33600000001' }): Step[] {
  const steps = [start(flow, context)];
  inputs.forEach((inp, i) => steps.push(advance(flow, steps.at(-1)!.session, { at: T0 + (i + 1) * 1000, ...inp } as IvrInput)));
  return steps;
}
type IvrInputLike = Record<string, unknown> & { kind: string };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (isLedgerlineError(e)) return e.code;
    throw e;
  }
}

describe('entering each node kind', () => {
  it.each<[string, Record<string, unknown>, Partial<IvrSession>, unknown[], unknown]>([
    ['play', { s: { kind: 'play', prompt: { id: 'hello' }, next: 'done' } }, { phase: 'playing' }, [{ kind: 'play', prompt: 'hello', language: 'en-US', interruptible: false }], undefined],
    [
      'menu',
      { s: { ...nodesUnderTest.menu, options: [{ key: '1', next: 'done' }, { key: '2', next: 'exhausted' }] } },
      { phase: 'collecting' },
      [
        { kind: 'play', prompt: 'menu', language: 'en-US', interruptible: true },
        { kind: 'collect_dtmf', min: 1, max: 1, timeoutMs: 5000, validKeys: ['1', '2'] },
      ],
      undefined,
    ],
    [
      'collect',
      { s: { ...nodesUnderTest.collect, interDigitTimeoutMs: 2000 } },
      { phase: 'collecting' },
      [
        { kind: 'play', prompt: 'enter', language: 'en-US', interruptible: true },
        { kind: 'collect_dtmf', min: 2, max: 4, terminator: '#', timeoutMs: 5000, interDigitTimeoutMs: 2000 },
      ],
      undefined,
    ],
    [
      'speech',
      { s: nodesUnderTest.speechF, failure: ends.failure },
      { phase: 'listening' },
      [
        { kind: 'play', prompt: 'ask', language: 'en-US', interruptible: true },
        { kind: 'listen_speech', intents: ['yes'], language: 'en-US', timeoutMs: 5000, dtmfKeys: ['1', '2'] },
      ],
      undefined,
    ],
    [
      'lookup',
      { s: nodesUnderTest.lookup, failure: ends.failure, late: ends.late },
      { phase: 'looking_up' },
      [{ kind: 'lookup', name: 'crm', inputs: { phone: '+33600000001', missing: null }, timeoutMs: 2000 }],
      undefined,
    ],
    ['set', { s: { kind: 'set', variable: 'x', value: 7, next: 'done' } }, { phase: 'ended', variables: { 'caller.number': '+33600000001', x: 7 } }, [{ kind: 'hangup', reason: 'self_served' }], { kind: 'self_served', node: 'done' }],
    [
      'condition',
      { s: { kind: 'condition', branches: [{ when: { kind: 'variable', variable: 'caller.number', op: 'exists' }, next: 'q' }], default: 'done' }, q: { kind: 'queue', queueId: 'sales', priority: 3, skills: [{ skill: 'fr', minProficiency: 2 }] } },
      { phase: 'ended', node: 'q' },
      [{ kind: 'queue', queueId: 'sales', priority: 3, skills: [{ skill: 'fr', minProficiency: 2 }], language: 'en-US' }],
      { kind: 'queued', node: 'q', queueId: 'sales', priority: 3, skills: [{ skill: 'fr', minProficiency: 2 }] },
    ],
    [
      'language',
      { s: { kind: 'language', language: 'fr-FR', next: 'p' }, p: { kind: 'play', prompt: { text: { 'en-US': 'Hello', 'fr-FR': 'Bonjour' } }, next: 'done' } },
      { phase: 'playing', language: 'fr-FR' },
      [{ kind: 'play', text: 'Bonjour', language: 'fr-FR', interruptible: false }],
      undefined,
    ],
    ['queue', { s: { kind: 'queue', queueId: 'support' } }, { phase: 'ended' }, [{ kind: 'queue', queueId: 'support', priority: 0, skills: [], language: 'en-US' }], { kind: 'queued', node: 's', queueId: 'support', priority: 0, skills: [] }],
    ['transfer', { s: { kind: 'transfer', to: 'sip:desk@pbx.example.com' } }, { phase: 'ended' }, [{ kind: 'transfer', to: 'sip:desk@pbx.example.com' }], { kind: 'transferred', node: 's', to: 'sip:desk@pbx.example.com' }],
    ['voicemail', { s: { kind: 'voicemail', mailbox: 'mb-1' } }, { phase: 'ended' }, [{ kind: 'voicemail', mailbox: 'mb-1', language: 'en-US' }], { kind: 'voicemail', node: 's', mailbox: 'mb-1' }],
    ['hangup (self-served)', { s: { kind: 'hangup', reason: 'self_served' } }, { phase: 'ended' }, [{ kind: 'hangup', reason: 'self_served' }], { kind: 'self_served', node: 's' }],
    ['hangup (closed)', { s: { kind: 'hangup', reason: 'closed' } }, { phase: 'ended' }, [{ kind: 'hangup', reason: 'closed' }], { kind: 'hangup', node: 's', reason: 'closed' }],
  ])('%s', (_kind, nodes, session, instructions, outcome) => {
    const flow = validFlow({ ...nodes, ...(JSON.stringify(nodes).includes('"done"') ? { done: ends.done } : {}), ...(JSON.stringify(nodes).includes('"exhausted"') ? { exhausted: ends.exhausted } : {}) }, 's');
    const step = start(flow, { at: T0, callerNumber: '+33600000001' });
    expect(step.session).toMatchObject(session);
    expect(step.instructions).toEqual(instructions);
    expect(step.outcome).toEqual(outcome);
    expect(step.entered[0]).toBe('s');
    expect(step.session.outcome).toEqual(outcome);
  });
});

type Effect = 'moved' | 'ignored' | 'reprompt' | 'abandoned' | `error:${string}`;

/** A session resting at the node under test (`fallback` = speechF after a no-match). */
function restingAt(state: Under | 'fallback'): { flow: IvrFlow; session: IvrSession } {
  if (state === 'fallback') {
    const flow = flowAt('speechF');
    const s = script(flow, [{ kind: 'speech', intent: null, confidence: 0 }]).at(-1)!;
    expect(s.session.phase).toBe('fallback');
    return { flow, session: s.session };
  }
  const flow = flowAt(state);
  return { flow, session: start(flow, { at: T0, callerNumber: '+33600000001' }).session };
}

function effectOf(flow: IvrFlow, session: IvrSession, input: IvrInputLike): Effect {
  try {
    const step = advance(flow, session, { at: T0 + 500, ...input } as IvrInput);
    if (step.ignored) {
      expect(step.session).toBe(session);
      expect(step.instructions).toEqual([]);
      return 'ignored';
    }
    if (step.outcome?.kind === 'abandoned') return 'abandoned';
    if (step.entered.length > 0) return 'moved';
    expect(step.turn).toBe(session.turn + 1);
    expect(step.instructions.length).toBeGreaterThan(0);
    return 'reprompt';
  } catch (e) {
    if (isLedgerlineError(e)) return `error:${e.code}`;
    throw e;
  }
}

const INPUTS: Record<string, IvrInputLike> = {
  started: { kind: 'started' },
  prompt_done: { kind: 'prompt_done' },
  dtmf: { kind: 'dtmf', digits: '1' },
  speech: { kind: 'speech', intent: 'yes', confidence: 0.9 },
  timeout: { kind: 'timeout' },
  lookup_result: { kind: 'lookup_result', name: 'crm', ok: true, outputs: {} },
  other_lookup: { kind: 'lookup_result', name: 'billing', ok: true, outputs: {} },
  caller_hangup: { kind: 'caller_hangup' },
};
const U = 'error:IVR_UNEXPECTED_INPUT';
// Rows: resting state. Columns in INPUTS order: started, prompt_done, dtmf, speech, timeout, lookup_result, other_lookup, caller_hangup.
const MATRIX: Record<Under | 'fallback', Effect[]> = {
  playN: [U, 'moved', 'ignored', 'ignored', 'ignored', 'ignored', 'ignored', 'abandoned'],
  playI: [U, 'moved', 'moved', 'ignored', 'ignored', 'ignored', 'ignored', 'abandoned'],
  menu: [U, 'ignored', 'moved', 'ignored', 'reprompt', 'ignored', 'ignored', 'abandoned'],
  collect: [U, 'ignored', 'reprompt', 'ignored', 'reprompt', 'ignored', 'ignored', 'abandoned'],
  speechN: [U, 'ignored', 'ignored', 'moved', 'reprompt', 'ignored', 'ignored', 'abandoned'],
  speechF: [U, 'ignored', 'moved', 'moved', 'reprompt', 'ignored', 'ignored', 'abandoned'],
  fallback: [U, 'ignored', 'moved', 'ignored', 'reprompt', 'ignored', 'ignored', 'abandoned'],
  lookup: [U, 'ignored', 'ignored', 'ignored', 'moved', 'moved', 'ignored', 'abandoned'],
};

describe('every input kind at every resting state', () => {
  const rows = Object.entries(MATRIX).flatMap(([state, effects]) =>
    Object.keys(INPUTS).map((name, i) => [state as Under | 'fallback', name, effects[i]!] as const),
  );
  it.each(rows)('%s + %s → %s', (state, name, expected) => {
    const { flow, session } = restingAt(state);
    expect(effectOf(flow, session, INPUTS[name]!)).toBe(expected);
  });

  it.each(Object.keys(INPUTS))('a new session takes only started and caller_hangup (%s)', (name) => {
    const flow = flowAt('playN');
    const session = createSession(flow, { at: T0 });
    const expected = name === 'started' ? 'moved' : name === 'caller_hangup' ? 'abandoned' : U;
    expect(effectOf(flow, session, INPUTS[name]!)).toBe(expected);
  });

  it.each(Object.keys(INPUTS))('an ended session rejects %s with IVR_SESSION_ENDED', (name) => {
    const flow = flowAt('playN');
    const ended = script(flow, [{ kind: 'prompt_done' }]).at(-1)!.session;
    expect(ended.phase).toBe('ended');
    expect(effectOf(flow, ended, INPUTS[name]!)).toBe('error:IVR_SESSION_ENDED');
  });

  it.each(['prompt_done', 'dtmf', 'speech', 'timeout', 'lookup_result'])('a %s echoing an older turn is ignored as stale', (name) => {
    for (const state of ['playI', 'menu', 'speechF', 'lookup'] as const) {
      const { flow, session } = restingAt(state);
      const step = advance(flow, session, { at: T0 + 1, ...INPUTS[name]!, turn: session.turn - 1 } as IvrInput);
      expect(step.ignored).toMatch(/^stale/);
      expect(step.session).toBe(session);
    }
  });

  it('an input echoing the current turn is used', () => {
    const { flow, session } = restingAt('playN');
    expect(advance(flow, session, { kind: 'prompt_done', at: T0 + 1, turn: session.turn }).entered).toEqual(['done']);
  });

  it('caller hang-up ends the session as abandoned at the current node, with nothing for the switch to do', () => {
    const { flow, session } = restingAt('menu');
    const step = advance(flow, session, { kind: 'caller_hangup', at: T0 + 9 });
    expect(step).toMatchObject({ instructions: [], entered: [], outcome: { kind: 'abandoned', node: 'menu' }, session: { phase: 'ended', lastInputAt: T0 + 9 } });
  });
});

describe('menus: invalid keys, timeouts and retries', () => {
  const flow = flowAt('menu');
  it('replays the invalid prompt then the menu, counting the attempt', () => {
    const [, s1] = script(flow, [{ kind: 'dtmf', digits: '7' }]);
    expect(s1!.instructions).toEqual([
      { kind: 'play', prompt: 'invalid', language: 'en-US', interruptible: false },
      { kind: 'play', prompt: 'menu', language: 'en-US', interruptible: true },
      { kind: 'collect_dtmf', min: 1, max: 1, timeoutMs: 5000, validKeys: ['1', '#'] },
    ]);
    expect(s1!.session.retries).toEqual({ menu: 1 });
    expect(s1!.entered).toEqual([]);
  });
  it('plays the no-input prompt after a timeout', () => {
    const [, s1] = script(flow, [{ kind: 'timeout' }]);
    expect(s1!.instructions[0]).toEqual({ kind: 'play', prompt: 'no-input', language: 'en-US', interruptible: false });
  });
  it.each([
    [[{ kind: 'dtmf', digits: '7' }, { kind: 'dtmf', digits: '8' }]],
    [[{ kind: 'timeout' }, { kind: 'timeout' }]],
    [[{ kind: 'timeout' }, { kind: 'dtmf', digits: '9' }]],
  ])('goes to onExhausted once maxRetries is used up (%j)', (inputs) => {
    const last = script(flow, inputs).at(-1)!;
    expect(last.entered).toEqual(['exhausted']);
    expect(last.outcome).toEqual({ kind: 'hangup', node: 'exhausted', reason: 'no_input' });
  });
  it('a valid key after a failed attempt still wins', () => {
    expect(script(flow, [{ kind: 'timeout' }, { kind: 'dtmf', digits: '#' }]).at(-1)!.outcome).toEqual({ kind: 'transferred', node: 'failure', to: '+33100000000' });
  });
  it('acts on the first key when several arrive at once', () => {
    expect(script(flow, [{ kind: 'dtmf', digits: '19' }]).at(-1)!.entered).toEqual(['done']);
  });
  it('re-prompts without an extra prompt when none is configured, and maxRetries 0 exhausts at once', () => {
    const bare = parsedFlow({ m: { ...nodesUnderTest.menu, invalidPrompt: undefined, noInputPrompt: undefined }, ...ends }, 'm');
    expect(script(bare, [{ kind: 'dtmf', digits: '5' }]).at(-1)!.instructions.map((i) => i.kind)).toEqual(['play', 'collect_dtmf']);
    const strict = parsedFlow({ m: { ...nodesUnderTest.menu, maxRetries: 0 }, ...ends }, 'm');
    expect(script(strict, [{ kind: 'dtmf', digits: '5' }]).at(-1)!.entered).toEqual(['exhausted']);
  });
  it('resets the retry counter when the menu is entered again', () => {
    const loop = validFlow({
      m: { ...nodesUnderTest.menu, options: [{ key: '1', next: 'info' }, { key: '2', next: 'done' }] },
      info: { kind: 'play', prompt: { id: 'info' }, next: 'm' },
      done: ends.done,
      exhausted: ends.exhausted,
    });
    const steps = script(loop, [{ kind: 'timeout' }, { kind: 'dtmf', digits: '1' }, { kind: 'prompt_done' }]);
    expect(steps[1]!.session.retries).toEqual({ m: 1 });
    expect(steps[3]!.session.retries).toEqual({});
    expect(steps[3]!.entered).toEqual(['m']);
    // A fresh budget: one failure re-prompts instead of exhausting.
    expect(advance(loop, steps[3]!.session, { kind: 'timeout', at: T0 + 9000 }).entered).toEqual([]);
  });
});

describe('collect: digits, terminator, bounds', () => {
  const flow = flowAt('collect');
  it.each([
    ['1234', '1234'],
    ['12#', '12'],
    ['123#99', '123'],
    ['12', '12'],
  ])('%s stores %s and moves on', (digits, stored) => {
    const last = script(flow, [{ kind: 'dtmf', digits }]).at(-1)!;
    expect(last.session.variables.acct).toBe(stored);
    expect(last.entered).toEqual(['done']);
  });
  it.each(['1', '1#', '12345', '#', '12*4', 'A1'])('%s is invalid and re-prompts with the invalid prompt', (digits) => {
    const last = script(flow, [{ kind: 'dtmf', digits }]).at(-1)!;
    expect(last.entered).toEqual([]);
    expect(last.instructions[0]).toEqual({ kind: 'play', prompt: 'invalid', language: 'en-US', interruptible: false });
    expect(Object.hasOwn(last.session.variables, 'acct')).toBe(false);
  });
  it('exhausts after maxRetries failed attempts', () => {
    expect(script(flow, [{ kind: 'timeout' }, { kind: 'dtmf', digits: '9' }]).at(-1)!.entered).toEqual(['exhausted']);
  });
});

describe('speech: confidence threshold and DTMF fallback', () => {
  it.each([
    ['a confident match', 'speechF', { intent: 'yes', confidence: 0.9 }, 'done'],
    ['a match exactly at the threshold', 'speechF', { intent: 'yes', confidence: 0.5 }, 'done'],
    ['another intent', 'speechN', { intent: 'no', confidence: 0.7 }, 'failure'],
  ] as const)('%s goes to its target', (_name, node, speech, target) => {
    expect(script(flowAt(node), [{ kind: 'speech', ...speech }]).at(-1)!.entered).toEqual([target]);
  });

  it.each([
    ['below the threshold', { intent: 'yes', confidence: 0.49 }],
    ['no match', { intent: null, confidence: 0.2 }],
    ['an unknown intent, however confident', { intent: 'pizza', confidence: 1 }],
  ])('%s falls back to DTMF options', (_name, speech) => {
    const [, s1] = script(flowAt('speechF'), [{ kind: 'speech', ...speech }]);
    expect(s1!.session.phase).toBe('fallback');
    expect(s1!.session.retries).toEqual({});
    expect(s1!.instructions).toEqual([
      { kind: 'play', prompt: 'keys', language: 'en-US', interruptible: true },
      { kind: 'collect_dtmf', min: 1, max: 1, timeoutMs: 5000, validKeys: ['1', '2'] },
    ]);
  });

  it('takes a fallback key after falling back, and re-asks for keys on a wrong one', () => {
    const flow = flowAt('speechF');
    expect(script(flow, [{ kind: 'speech', intent: 'yes', confidence: 0.1 }, { kind: 'dtmf', digits: '2' }]).at(-1)!.entered).toEqual(['failure']);
    const wrong = script(flow, [{ kind: 'speech', intent: 'yes', confidence: 0.1 }, { kind: 'dtmf', digits: '9' }]).at(-1)!;
    expect(wrong.session.phase).toBe('fallback');
    expect(wrong.instructions.map((i) => i.kind)).toEqual(['play', 'collect_dtmf']);
    const gone = script(flow, [{ kind: 'speech', intent: 'yes', confidence: 0.1 }, { kind: 'dtmf', digits: '9' }, { kind: 'timeout' }]).at(-1)!;
    expect(gone.entered).toEqual(['exhausted']);
  });

  it('accepts a fallback key while still listening', () => {
    expect(script(flowAt('speechF'), [{ kind: 'dtmf', digits: '2' }]).at(-1)!.entered).toEqual(['failure']);
  });

  it('without a fallback, a low-confidence result re-prompts with the invalid prompt, then exhausts', () => {
    const flow = flowAt('speechN');
    const [, s1, s2] = script(flow, [
      { kind: 'speech', intent: 'yes', confidence: 0.3 },
      { kind: 'speech', intent: null, confidence: 0 },
    ]);
    expect(s1!.session.phase).toBe('listening');
    expect(s1!.instructions.map((i) => i.kind)).toEqual(['play', 'play', 'listen_speech']);
    expect(s1!.instructions[0]).toMatchObject({ prompt: 'sorry' });
    expect(s2!.entered).toEqual(['exhausted']);
  });

  it('a timeout while listening re-asks for speech with the no-input prompt', () => {
    const [, s1] = script(flowAt('speechF'), [{ kind: 'timeout' }]);
    expect(s1!.session.phase).toBe('listening');
    expect(s1!.instructions.map((i) => i.kind)).toEqual(['play', 'play', 'listen_speech']);
    expect(s1!.instructions[0]).toMatchObject({ prompt: 'no-input' });
  });
});

describe('lookup, set, condition, language', () => {
  it('maps declared outputs into variables and ignores the rest', () => {
    const last = script(flowAt('lookup'), [{ kind: 'lookup_result', name: 'crm', ok: true, outputs: { tier: 'gold', extra: 'x' } }]).at(-1)!;
    expect(last.session.variables).toEqual({ 'caller.number': '+33600000001', 'caller.tier': 'gold' });
    expect(last.entered).toEqual(['done']);
  });
  it('takes onFailure when the look-up failed and onTimeout when it timed out', () => {
    expect(script(flowAt('lookup'), [{ kind: 'lookup_result', name: 'crm', ok: false }]).at(-1)!.entered).toEqual(['failure']);
    expect(script(flowAt('lookup'), [{ kind: 'timeout' }]).at(-1)!.entered).toEqual(['late']);
  });
  it('set copies from a variable, or stores null when the source is absent', () => {
    const flow = validFlow({
      a: { kind: 'set', variable: 'copy', value: { fromVariable: 'caller.number' }, next: 'b' },
      b: { kind: 'set', variable: 'gone', value: { fromVariable: 'nothing.here' }, next: 'done' },
      done: ends.done,
    });
    expect(script(flow, []).at(-1)!.session.variables).toMatchObject({ copy: '+33600000001', gone: null });
  });
  it('a condition takes the first branch that holds, else the default', () => {
    const nodes = (tier: string) => ({
      c: {
        kind: 'condition',
        branches: [
          { when: { kind: 'caller_tier', in: ['gold'] }, next: 'vip' },
          { when: { kind: 'caller_tier', in: ['gold', 'silver'] }, next: 'std' },
        ],
        default: 'done',
      },
      vip: { kind: 'queue', queueId: 'vip' },
      std: { kind: 'queue', queueId: 'std' },
      done: ends.done,
      tier,
    });
    const run = (tier?: string) => {
      const { tier: _t, ...n } = nodes(tier ?? '');
      return start(validFlow(n), { at: T0, ...(tier ? { callerTier: tier } : {}) }).session.node;
    };
    expect(run('gold')).toBe('vip');
    expect(run('silver')).toBe('std');
    expect(run('bronze')).toBe('done');
    expect(run()).toBe('done');
  });
  it('business hours are evaluated at the input time, not at call start', () => {
    const flow = validFlow({
      wait: { kind: 'play', prompt: { id: 'hold' }, next: 'hours' },
      hours: {
        kind: 'condition',
        branches: [{ when: { kind: 'business_hours', timeZone: 'Europe/Paris', weekly: { mon: [{ from: '09:00', to: '18:00' }] } }, next: 'open' }],
        default: 'closed',
      },
      open: { kind: 'queue', queueId: 'support' },
      closed: { kind: 'voicemail', mailbox: 'after-hours' },
    });
    const session = start(flow, { at: Date.parse('2026-11-23T16:59:00Z') }).session; // 17:59 in Paris
    expect(advance(flow, session, { kind: 'prompt_done', at: Date.parse('2026-11-23T16:59:30Z') }).outcome?.kind).toBe('queued');
    expect(advance(flow, session, { kind: 'prompt_done', at: Date.parse('2026-11-23T17:00:00Z') }).outcome?.kind).toBe('voicemail');
  });
  it('per-language text falls back to the default language; prompt ids carry the current language', () => {
    const flow = validFlow({
      l: { kind: 'language', language: 'de-DE', next: 'a' },
      a: { kind: 'play', prompt: { text: { 'en-US': 'Hello', 'fr-FR': 'Bonjour' } }, next: 'b' },
      b: { kind: 'play', prompt: { id: 'bye' }, next: 'done' },
      done: ends.done,
    });
    const steps = script(flow, [{ kind: 'prompt_done' }]);
    expect(steps[0]!.instructions).toEqual([{ kind: 'play', text: 'Hello', language: 'en-US', interruptible: false }]);
    expect(steps[1]!.instructions).toEqual([{ kind: 'play', prompt: 'bye', language: 'de-DE', interruptible: false }]);
  });
});

describe('session state', () => {
  it('starts from the context: variables, caller tier, language override', () => {
    const flow = flowAt('playN');
    const s = start(flow, { at: T0, callId: 'call-1', callerNumber: '+1555', dialedNumber: '+1800', callerTier: 'gold', language: 'es-MX', variables: { campaign: 'winter' } }).session;
    expect(s).toMatchObject({
      flowId: 'test-flow',
      callId: 'call-1',
      language: 'es-MX',
      variables: { campaign: 'winter', 'caller.number': '+1555', 'dialed.number': '+1800', 'caller.tier': 'gold', 'call.id': 'call-1' },
      startedAt: T0,
      path: [{ node: 'playN', at: T0 }],
      turn: 1,
    });
  });
  it('records the path with input times and raises the turn on every prompt', () => {
    const steps = script(flowAt('menu'), [{ kind: 'timeout' }, { kind: 'dtmf', digits: '1' }]);
    expect(steps.map((s) => s.turn)).toEqual([1, 2, 2]);
    expect(steps.at(-1)!.session.path).toEqual([
      { node: 'menu', at: T0 },
      { node: 'done', at: T0 + 2000 },
    ]);
  });
  it('never mutates the session it is given', () => {
    const deepFreeze = <T>(o: T): T => {
      if (o && typeof o === 'object') {
        Object.values(o).forEach(deepFreeze);
        Object.freeze(o);
      }
      return o;
    };
    const flow = flowAt('menu');
    const session = deepFreeze(start(flow, { at: T0 }).session);
    const copy = structuredClone(session);
    advance(flow, session, { kind: 'dtmf', digits: '9', at: T0 + 1 });
    advance(flow, session, { kind: 'dtmf', digits: '1', at: T0 + 1 });
    expect(session).toEqual(copy);
  });
  it('is JSON round-trippable (sessions are stored between inputs)', () => {
    const flow = flowAt('lookup');
    const s0 = start(flow, { at: T0, callerNumber: '+1' }).session;
    const revived = JSON.parse(JSON.stringify(s0)) as IvrSession;
    expect(advance(flow, revived, { kind: 'timeout', at: T0 + 1 }).outcome?.kind).toBe('voicemail');
  });
});

describe('coded errors', () => {
  const flow = flowAt('menu');
  const session = start(flow, { at: T0 }).session;
  it.each([
    ['unknown kind', { kind: 'fax', at: T0 }],
    ['bad digits', { kind: 'dtmf', digits: 'x1', at: T0 }],
    ['no time', { kind: 'dtmf', digits: '1' }],
    ['confidence above 1', { kind: 'speech', intent: 'a', confidence: 2, at: T0 }],
    ['not an object', 'dtmf'],
  ])('IVR_INPUT_INVALID for %s', (_n, input) => {
    expect(codeOf(() => advance(flow, session, input as IvrInput))).toBe('IVR_INPUT_INVALID');
  });
  it('IVR_CONTEXT_INVALID for a bad start context', () => {
    expect(codeOf(() => start(flow, { at: -1 }))).toBe('IVR_CONTEXT_INVALID');
    expect(codeOf(() => start(flow, { at: T0, variables: { 'bad name!': 1 } }))).toBe('IVR_CONTEXT_INVALID');
  });
  it('IVR_SESSION_INVALID for a session of another flow, a node not in the flow, or a phase that does not fit', () => {
    const input: IvrInput = { kind: 'timeout', at: T0 };
    expect(codeOf(() => advance(flow, { ...session, flowId: 'other' }, input))).toBe('IVR_SESSION_INVALID');
    expect(codeOf(() => advance(flow, { ...session, node: 'ghost' }, input))).toBe('IVR_SESSION_INVALID');
    expect(codeOf(() => advance(flow, { ...session, node: 'constructor' }, input))).toBe('IVR_SESSION_INVALID');
    expect(codeOf(() => advance(flow, { ...session, phase: 'playing' }, input))).toBe('IVR_SESSION_INVALID');
    expect(codeOf(() => advance(flow, { ...session, phase: 'dancing' as never }, input))).toBe('IVR_SESSION_INVALID');
  });
  it('IVR_FLOW_INVALID when an unvalidated flow points at a missing node', () => {
    const broken = parsedFlow({ p: { kind: 'play', prompt: { id: 'x' }, next: 'ghost' } });
    const s = start(broken, { at: T0 }).session;
    expect(codeOf(() => advance(broken, s, { kind: 'prompt_done', at: T0 }))).toBe('IVR_FLOW_INVALID');
    expect(codeOf(() => start(parsedFlow({ p: ends.done }, 'ghost'), { at: T0 }))).toBe('IVR_FLOW_INVALID');
  });
  it('IVR_STEP_BUDGET_EXCEEDED when an unvalidated flow loops without input', () => {
    const loop = parsedFlow({ a: { kind: 'set', variable: 'x', value: 1, next: 'b' }, b: { kind: 'language', language: 'fr', next: 'a' } });
    expect(codeOf(() => start(loop, { at: T0 }))).toBe('IVR_STEP_BUDGET_EXCEEDED');
  });
  it('the budget is larger than the longest automatic chain a valid flow can hold', () => {
    const chain = Object.fromEntries(Array.from({ length: 499 }, (_, i) => [`s${i}`, { kind: 'set', variable: 'n', value: i, next: i === 498 ? 'done' : `s${i + 1}` }]));
    const step = start(validFlow({ ...chain, done: ends.done }, 's0'), { at: T0 });
    expect(step.entered).toHaveLength(500);
    expect(step.entered.length).toBeLessThanOrEqual(STEP_BUDGET);
    expect(step.outcome?.kind).toBe('self_served');
  });
});
