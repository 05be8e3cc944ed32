import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { flowDoc } from './fixtures.ts';
import { nodeById } from './flow-graph.ts';
import type { IvrFlow } from './flow-schema.ts';
import type { IvrInput } from './inputs.ts';
import { advance, start, STEP_BUDGET, type Step } from './interpreter.ts';
import type { IvrSession } from './session.ts';
import { validateFlow } from './validate-flow.ts';

const T0 = Date.parse('2026-03-08T05:00:00Z'); // the night New York springs forward

const INPUT_KINDS = new Set(['menu', 'collect', 'speech']);
const AUTO_KINDS = ['play', 'set', 'condition', 'lookup', 'language'] as const;
const WAIT_KINDS = ['menu', 'collect', 'speech'] as const;
const TERMINAL_KINDS = ['queue', 'transfer', 'voicemail', 'hangup'] as const;
const KEYS = ['0', '1', '2', '3', '9', '*', '#'];
const INTENTS = ['billing', 'outage', 'moving'];
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];

/** Random choices for one node; the builder turns them into a node given where it may point. */
const nodeSeed = fc.record({
  kind: fc.nat(),
  targets: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  keys: fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 4 }),
  intents: fc.uniqueArray(fc.constantFrom(...INTENTS), { minLength: 1, maxLength: 3 }),
  fallbackKeys: fc.option(fc.uniqueArray(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  n: fc.array(fc.nat({ max: 1000 }), { minLength: 4, maxLength: 4 }),
  flag: fc.boolean(),
  hours: fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 24 })), { minLength: 1, maxLength: 7 }),
});
type Seed = typeof nodeSeed extends fc.Arbitrary<infer T> ? T : never;

const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;

function buildNode(seed: Seed, kind: string, pick: (slot: number) => string): Record<string, unknown> {
  const [a = 0, b = 0, c = 0, d = 0] = seed.n;
  const prompt = [{ id: 'p' }, { text: 'Hello' }, { text: { 'en-US': 'Hello', 'fr-FR': 'Bonjour' } }][a % 3];
  switch (kind) {
    case 'play':
      return { kind, prompt, interruptible: seed.flag, next: pick(0) };
    case 'menu':
      return { kind, prompt, options: seed.keys.map((key, i) => ({ key, next: pick(i) })), timeoutMs: 5000, maxRetries: b % 3, onExhausted: pick(7), ...(seed.flag ? { invalidPrompt: { id: 'inv' } } : {}) };
    case 'collect': {
      const min = 1 + (b % 3);
      return { kind, prompt, minDigits: min, maxDigits: min + (c % 3), ...(seed.flag ? { terminator: '#' } : {}), timeoutMs: 5000, into: 'v.digits', maxRetries: c % 3, next: pick(0), onExhausted: pick(1) };
    }
    case 'speech':
      return {
        kind,
        prompt,
        intents: seed.intents.map((intent, i) => ({ intent, next: pick(i) })),
        minConfidence: [0, 0.5, 0.9][b % 3],
        timeoutMs: 5000,
        maxRetries: c % 3,
        ...(seed.fallbackKeys ? { dtmfFallback: { prompt: { id: 'keys' }, options: seed.fallbackKeys.map((key, i) => ({ key, next: pick(3 + i) })) } } : {}),
        onExhausted: pick(7),
      };
    case 'lookup':
      return { kind, name: ['crm', 'billing'][b % 2], inputs: { phone: 'caller.number' }, outputs: { tier: 'caller.tier', x: 'v.x' }, timeoutMs: 2000, next: pick(0), onFailure: pick(1), onTimeout: pick(2) };
    case 'set':
      return { kind, variable: ['v.x', 'caller.tier'][b % 2], value: ['gold', 1, null, true, { fromVariable: 'v.digits' }][c % 5], next: pick(0) };
    case 'condition': {
      const weekly = Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].slice(0, seed.hours.length).map((day, i) => {
          const [from, to] = seed.hours[i]!;
          return [day, from < to ? [{ from: pad(from), to: pad(to) }] : []];
        }),
      );
      const tests = [
        { kind: 'business_hours', timeZone: ZONES[b % ZONES.length], weekly, holidays: ['2026-03-09'] },
        { kind: 'caller_tier', in: ['gold'] },
        { kind: 'variable', variable: 'v.x', op: 'eq', value: 1 },
        { kind: 'variable', variable: 'v.digits', op: 'gt', value: 50 },
        { kind: 'variable', variable: 'v.x', op: 'exists' },
      ];
      const count = 1 + (c % 3);
      return { kind, branches: Array.from({ length: count }, (_, i) => ({ when: tests[(d + i) % tests.length], next: pick(i) })), default: pick(7) };
    }
    case 'language':
      return { kind, language: ['en-US', 'fr-FR', 'de'][b % 3], next: pick(0) };
    case 'queue':
      return { kind, queueId: 'q', priority: b % 10, skills: seed.flag ? [{ skill: 'fr', minProficiency: 2 }] : [] };
    case 'transfer':
      return { kind, to: seed.flag ? '+33100000000' : 'sip:desk@pbx.example.com' };
    case 'voicemail':
      return { kind, mailbox: 'mb' };
    default:
      return { kind: 'hangup', reason: ['self_served', 'closed', 'other'][b % 3] };
  }
}

/**
 * Flows valid by construction: nodes that never wait point only forward (so no input-free loop), nodes that wait
 * may point anywhere (loops through them are fine), the last node ends the flow, unreachable nodes are dropped.
 */
const validFlowArb = fc.array(nodeSeed, { minLength: 1, maxLength: 14 }).map((seeds) => {
  const count = seeds.length;
  const nodes: Record<string, Record<string, unknown>> = {};
  seeds.forEach((seed, i) => {
    const last = i === count - 1;
    const pool = last ? TERMINAL_KINDS : [...AUTO_KINDS, ...WAIT_KINDS, ...TERMINAL_KINDS];
    const kind = pool[seed.kind % pool.length]!;
    const waits = INPUT_KINDS.has(kind);
    const pick = (slot: number) => {
      const t = seed.targets[slot % seed.targets.length]!;
      return `n${waits ? t % count : i + 1 + (t % (count - 1 - i))}`;
    };
    nodes[`n${i}`] = buildNode(seed, kind, pick);
  });
  return reachableOnly(nodes);
});

function reachableOnly(nodes: Record<string, Record<string, unknown>>): Record<string, Record<string, unknown>> {
  const seen = new Set(['n0']);
  const todo = ['n0'];
  while (todo.length) {
    const json = JSON.stringify(nodes[todo.pop()!]);
    for (const m of json.matchAll(/"(?:next|onExhausted|onFailure|onTimeout|default)":"(n\d+)"/g)) {
      if (!seen.has(m[1]!)) {
        seen.add(m[1]!);
        todo.push(m[1]!);
      }
    }
  }
  return Object.fromEntries(Object.entries(nodes).filter(([id]) => seen.has(id)));
}

/** Inputs of every kind, with values that sometimes fit and sometimes do not; `turn` absent, current or stale. */
const inputArb = fc.record({
  gapMs: fc.integer({ min: 0, max: 6 * 3600_000 }),
  turn: fc.constantFrom('none', 'current', 'stale'),
  input: fc.oneof(
    { arbitrary: fc.constant({ kind: 'started' }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'prompt_done' }), weight: 4 },
    { arbitrary: fc.record({ kind: fc.constant('dtmf'), digits: fc.stringMatching(/^[0-9*#]{1,6}$/) }), weight: 8 },
    { arbitrary: fc.record({ kind: fc.constant('speech'), intent: fc.option(fc.constantFrom(...INTENTS, 'pizza'), { nil: null }), confidence: fc.double({ min: 0, max: 1, noNaN: true }) }), weight: 4 },
    { arbitrary: fc.constant({ kind: 'timeout' }), weight: 4 },
    {
      arbitrary: fc.record({
        kind: fc.constant('lookup_result'),
        name: fc.constantFrom('crm', 'billing', 'other'),
        ok: fc.boolean(),
        outputs: fc.dictionary(fc.constantFrom('tier', 'x', 'y'), fc.oneof(fc.constantFrom('gold', 'silver'), fc.integer(), fc.constant(null))),
      }),
      weight: 4,
    },
    // Rare, so that sequences get deep into flows before the caller gives up.
    { arbitrary: fc.constant({ kind: 'caller_hangup' }), weight: 1 },
  ),
});
type InputSpec = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

/** Checks the invariants after every step; returns the steps for determinism checks. */
function drive(flow: IvrFlow, specs: InputSpec[]): unknown[] {
  const trace: unknown[] = [];
  const check = (step: Step) => {
    expect(step.entered.length).toBeLessThanOrEqual(STEP_BUDGET);
    expect(nodeById(flow, step.session.node)).toBeDefined();
    expect(step.node).toBe(step.session.node);
    expect(step.session.phase === 'ended').toBe(step.session.outcome !== undefined);
    for (const id of step.entered) expect(nodeById(flow, id)).toBeDefined();
    trace.push(step);
  };
  let step = start(flow, { at: T0, callerNumber: '+33600000000' });
  check(step);
  let at = T0;
  for (const spec of specs) {
    at += spec.gapMs;
    const session: IvrSession = step.session;
    const turn = spec.turn === 'current' ? { turn: session.turn } : spec.turn === 'stale' ? { turn: Math.max(0, session.turn - 1) } : {};
    const input = { ...spec.input, at, ...(spec.input.kind === 'started' || spec.input.kind === 'caller_hangup' ? {} : turn) } as IvrInput;
    try {
      step = advance(flow, session, input);
      check(step);
    } catch (e) {
      if (!isLedgerlineError(e)) throw e;
      // The only rejections a valid flow can meet: feeding an ended session, or `started` twice.
      if (session.phase === 'ended') expect(e.code).toBe('IVR_SESSION_ENDED');
      else {
        expect(e.code).toBe('IVR_UNEXPECTED_INPUT');
        expect(input.kind).toBe('started');
      }
      trace.push(e.code);
    }
  }
  return trace;
}

describe('interpreter properties', () => {
  it('generated flows are valid by construction', () => {
    fc.assert(
      fc.property(validFlowArb, (nodes) => {
        const v = validateFlow(flowDoc(nodes, 'n0'));
        if (!v.ok) throw new Error(JSON.stringify(v.issues));
      }),
      { numRuns: 300 },
    );
  });

  it('for any valid flow and input sequence: only expected coded errors, within budget, current node in the flow', () => {
    fc.assert(
      fc.property(validFlowArb, fc.array(inputArb, { maxLength: 40 }), (nodes, specs) => {
        const v = validateFlow(flowDoc(nodes, 'n0'));
        if (!v.ok) throw new Error(JSON.stringify(v.issues));
        drive(v.flow, specs);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same flow and inputs give the same steps', () => {
    fc.assert(
      fc.property(validFlowArb, fc.array(inputArb, { maxLength: 20 }), (nodes, specs) => {
        const v = validateFlow(flowDoc(nodes, 'n0'));
        if (!v.ok) throw new Error(JSON.stringify(v.issues));
        expect(JSON.stringify(drive(v.flow, specs))).toBe(JSON.stringify(drive(v.flow, specs)));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects arbitrary junk inputs with IVR_INPUT_INVALID and nothing else', () => {
    fc.assert(
      fc.property(validFlowArb, fc.anything(), (nodes, junk) => {
        const v = validateFlow(flowDoc(nodes, 'n0'));
        if (!v.ok) throw new Error(JSON.stringify(v.issues));
        const step = start(v.flow, { at: T0 });
        try {
          advance(v.flow, step.session, junk as IvrInput);
        } catch (e) {
          if (!isLedgerlineError(e)) throw e;
          expect(['IVR_INPUT_INVALID', 'IVR_SESSION_ENDED']).toContain(e.code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('whatever graph is drawn, a flow validateFlow accepts never exhausts the step budget', () => {
    // Here every node may point anywhere, so many graphs hold input-free loops: the validator must catch them all.
    const anyGraph = fc.array(nodeSeed, { minLength: 1, maxLength: 8 }).map((seeds) => {
      const count = seeds.length;
      const all = [...AUTO_KINDS, ...WAIT_KINDS, ...TERMINAL_KINDS];
      return Object.fromEntries(
        seeds.map((seed, i) => [`n${i}`, buildNode(seed, all[seed.kind % all.length]!, (slot) => `n${seed.targets[slot % 8]! % count}`)]),
      );
    });
    let accepted = 0;
    fc.assert(
      fc.property(anyGraph, fc.array(inputArb, { maxLength: 20 }), (nodes, specs) => {
        const v = validateFlow(flowDoc(nodes, 'n0'));
        if (!v.ok) return;
        accepted++;
        drive(v.flow, specs);
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
