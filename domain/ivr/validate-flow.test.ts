import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowDoc } from './fixtures.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import { FLOW_ISSUE_CODES, parseFlowOrThrow, validateFlow, type FlowIssueCode } from './validate-flow.ts';

const bye = { kind: 'hangup', reason: 'self_served' };
const menu = (options: { key: string; next: string }[], extra: Record<string, unknown> = {}) => ({
  kind: 'menu',
  prompt: { id: 'm' },
  options,
  timeoutMs: 5000,
  maxRetries: 1,
  onExhausted: 'bye',
  ...extra,
});
const hours = (over: Record<string, unknown>) => ({
  kind: 'condition',
  branches: [{ when: { kind: 'business_hours', timeZone: 'Europe/Paris', weekly: { mon: [{ from: '09:00', to: '17:00' }] }, ...over }, next: 'bye' }],
  default: 'bye',
});

/** One flow per issue code that triggers it, and the path the issue must point at. */
const cases: { code: FlowIssueCode; doc: unknown; path: (string | number)[] }[] = [
  { code: 'schema_invalid', doc: flowDoc({ a: { kind: 'dance', next: 'b' } }), path: ['nodes', 'a', 'kind'] },
  { code: 'schema_invalid', doc: { ...flowDoc({ bye }), extra: true }, path: [] },
  { code: 'schema_invalid', doc: flowDoc({ a: { ...bye, reason: 'bored' } }), path: ['nodes', 'a', 'reason'] },
  { code: 'schema_invalid', doc: flowDoc({ a: { kind: 'transfer', to: 'not a number' } }), path: ['nodes', 'a', 'to'] },
  {
    // zod would drop the key silently; the node must not vanish on publish.
    code: 'schema_invalid',
    doc: JSON.parse('{"id":"f","name":"n","start":"a","defaultLanguage":"en-US","nodes":{"a":{"kind":"hangup","reason":"other"},"__proto__":{"kind":"hangup","reason":"other"}}}'),
    path: ['nodes', '__proto__'],
  },
  {
    code: 'too_many_nodes',
    doc: flowDoc(Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`n${i}`, bye]))),
    path: ['nodes'],
  },
  { code: 'missing_start_node', doc: flowDoc({ bye }, 'nowhere'), path: ['start'] },
  {
    code: 'missing_target',
    doc: flowDoc({ m: menu([{ key: '1', next: 'bye' }, { key: '2', next: 'ghost' }]), bye }),
    path: ['nodes', 'm', 'options', 1, 'next'],
  },
  { code: 'unreachable_node', doc: flowDoc({ bye, orphan: { kind: 'voicemail', mailbox: 'x' } }, 'bye'), path: ['nodes', 'orphan'] },
  {
    code: 'input_free_loop',
    doc: flowDoc({
      a: { kind: 'play', prompt: { id: 'p' }, next: 'b' },
      b: { kind: 'set', variable: 'x', value: 1, next: 'c' },
      c: { kind: 'condition', branches: [{ when: { kind: 'variable', variable: 'x', op: 'eq', value: 2 }, next: 'bye' }], default: 'a' },
      bye,
    }),
    path: ['nodes', 'a'],
  },
  {
    code: 'input_free_loop',
    doc: flowDoc({
      l: { kind: 'lookup', name: 'crm', timeoutMs: 1000, next: 'bye', onFailure: 'lang', onTimeout: 'bye' },
      lang: { kind: 'language', language: 'fr-FR', next: 'l' },
      bye,
    }),
    path: ['nodes', 'l'],
  },
  {
    code: 'input_free_loop',
    doc: flowDoc({ s: { kind: 'set', variable: 'x', value: 1, next: 's' } }),
    path: ['nodes', 's'],
  },
  {
    code: 'duplicate_dtmf_key',
    doc: flowDoc({ m: menu([{ key: '1', next: 'bye' }, { key: '1', next: 'bye' }]), bye }),
    path: ['nodes', 'm', 'options', 1, 'key'],
  },
  {
    code: 'duplicate_dtmf_key',
    doc: flowDoc({
      s: {
        kind: 'speech',
        prompt: { id: 'p' },
        intents: [{ intent: 'a', next: 'bye' }],
        minConfidence: 0.5,
        timeoutMs: 5000,
        maxRetries: 1,
        dtmfFallback: { prompt: { id: 'f' }, options: [{ key: '#', next: 'bye' }, { key: '#', next: 'bye' }] },
        onExhausted: 'bye',
      },
      bye,
    }),
    path: ['nodes', 's', 'dtmfFallback', 'options', 1, 'key'],
  },
  {
    code: 'duplicate_intent',
    doc: flowDoc({
      s: {
        kind: 'speech',
        prompt: { id: 'p' },
        intents: [{ intent: 'a', next: 'bye' }, { intent: 'a', next: 'bye' }],
        minConfidence: 0.5,
        timeoutMs: 5000,
        maxRetries: 1,
        onExhausted: 'bye',
      },
      bye,
    }),
    path: ['nodes', 's', 'intents', 1, 'intent'],
  },
  { code: 'invalid_time_zone', doc: flowDoc({ c: hours({ timeZone: 'Mars/Olympus_Mons' }), bye }), path: ['nodes', 'c', 'branches', 0, 'when', 'timeZone'] },
  { code: 'invalid_time_zone', doc: flowDoc({ c: hours({ timeZone: 'GMT+25' }), bye }), path: ['nodes', 'c', 'branches', 0, 'when', 'timeZone'] },
  { code: 'invalid_time_zone', doc: flowDoc({ c: hours({ timeZone: '+01:00' }), bye }), path: ['nodes', 'c', 'branches', 0, 'when', 'timeZone'] },
  {
    code: 'invalid_time_range',
    doc: flowDoc({ c: hours({ weekly: { tue: [{ from: '09:00', to: '09:00' }] } }), bye }),
    path: ['nodes', 'c', 'branches', 0, 'when', 'weekly', 'tue', 0],
  },
  {
    code: 'invalid_holiday_date',
    doc: flowDoc({ c: hours({ holidays: ['2024-02-29', '2026-02-29'] }), bye }),
    path: ['nodes', 'c', 'branches', 0, 'when', 'holidays', 1],
  },
  {
    code: 'invalid_digit_range',
    doc: flowDoc({
      c: { kind: 'collect', prompt: { id: 'p' }, minDigits: 6, maxDigits: 4, timeoutMs: 5000, into: 'acct', maxRetries: 1, next: 'bye', onExhausted: 'bye' },
      bye,
    }),
    path: ['nodes', 'c', 'minDigits'],
  },
  {
    code: 'missing_default_language_text',
    doc: flowDoc({ p: { kind: 'play', prompt: { text: { 'fr-FR': 'Bonjour' } }, next: 'bye' }, bye }),
    path: ['nodes', 'p', 'prompt', 'text'],
  },
];

describe('validateFlow', () => {
  it.each(cases.map((c) => [c.code, JSON.stringify(c.path), c] as const))('reports %s at %s', (_code, _path, c) => {
    const v = validateFlow(c.doc);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toContainEqual(expect.objectContaining({ code: c.code, path: c.path }));
    for (const i of v.issues) expect(i.message.length).toBeGreaterThan(0);
  });

  it('has a triggering flow for every issue code it can report', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(FLOW_ISSUE_CODES));
  });

  it('accepts a minimal flow and fills defaults', () => {
    const v = validateFlow(flowDoc({ p: { kind: 'play', prompt: { id: 'hi' }, next: 'q' }, q: { kind: 'queue', queueId: 'support' } }));
    expect(v).toMatchObject({ ok: true, flow: { nodes: { p: { interruptible: false }, q: { priority: 0, skills: [] } } } });
  });

  it('allows loops that wait for the caller (a menu that loops back to itself through plays)', () => {
    const v = validateFlow(
      flowDoc({
        m: menu([{ key: '1', next: 'info' }, { key: '2', next: 'bye' }], { onExhausted: 'm' }),
        info: { kind: 'play', prompt: { id: 'info' }, next: 'm' },
        bye,
      }),
    );
    expect(v.ok).toBe(true);
  });

  it('reports every issue at once, not just the first', () => {
    const v = validateFlow(flowDoc({ m: menu([{ key: '1', next: 'ghost' }, { key: '1', next: 'bye' }]), bye, orphan: bye }));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues.map((i) => i.code).sort()).toEqual(['duplicate_dtmf_key', 'missing_target', 'unreachable_node']);
  });

  it('does not confuse node ids with Object.prototype names', () => {
    const v = validateFlow(flowDoc({ start: { kind: 'play', prompt: { id: 'p' }, next: 'constructor' }, hasOwnProperty: bye }));
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.issues).toContainEqual(expect.objectContaining({ code: 'missing_target', path: ['nodes', 'start', 'next'] }));
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const v = validateFlow(doc);
        expect(typeof v.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on flow-shaped JSON with random node bodies', () => {
    const kinds = ['play', 'menu', 'collect', 'speech', 'lookup', 'set', 'condition', 'queue', 'transfer', 'voicemail', 'hangup', 'language'];
    const body = fc.record({ kind: fc.constantFrom(...kinds), next: fc.constantFrom('a', 'b', 'c'), prompt: fc.jsonValue() }, { requiredKeys: ['kind'] });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'), body), fc.constantFrom('a', 'b', 'z'), (nodes, start) => {
        const v = validateFlow(flowDoc(nodes, start));
        if (!v.ok) for (const i of v.issues) expect(FLOW_ISSUE_CODES).toContain(i.code);
      }),
      { numRuns: 300 },
    );
  });

  it('turns hostile objects into issues instead of exceptions', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    const v = validateFlow(hostile);
    expect(v.ok).toBe(false);
  });
});

describe('parseFlowOrThrow', () => {
  it('returns the flow when valid and throws IVR_FLOW_INVALID with every issue otherwise', () => {
    expect(parseFlowOrThrow(flowDoc({ bye })).start).toBe('bye');
    try {
      parseFlowOrThrow(flowDoc({ m: menu([{ key: '1', next: 'ghost' }, { key: '1', next: 'bye' }]), bye }));
      expect.unreachable();
    } catch (e) {
      expect(isLedgerlineError(e, 'IVR_FLOW_INVALID')).toBe(true);
      if (!isLedgerlineError(e)) return;
      expect(e.status).toBe(422);
      expect(e.message).toMatch(/^missing_target at nodes\.m\.options\.0\.next: .*\(and 1 more\)$/);
      expect((e.details.issues as unknown[]).length).toBe(2);
    }
  });
});

describe('validateFlow on random graphs', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  const target = fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 12 }, { arbitrary: fc.constant('ghost'), weight: 1 });
  const w = <T,>(arbitrary: fc.Arbitrary<T>, weight: number) => ({ arbitrary, weight });
  const node = fc.oneof(
    w(fc.record({ kind: fc.constant('play'), prompt: fc.constant({ id: 'p' }), next: target }), 1),
    w(fc.record({ kind: fc.constant('set'), variable: fc.constant('x'), value: fc.integer(), next: target }), 1),
    w(fc.record({ kind: fc.constant('language'), language: fc.constant('fr'), next: target }), 1),
    w(
      fc.record({
        kind: fc.constant('condition'),
        branches: fc.array(fc.record({ when: fc.constant({ kind: 'caller_tier', in: ['gold'] }), next: target }), { minLength: 1, maxLength: 2 }),
        default: target,
      }),
      1,
    ),
    w(
      fc.record({
        kind: fc.constant('menu'),
        prompt: fc.constant({ id: 'm' }),
        // Mostly distinct keys; a duplicate now and then.
        options: fc.oneof(
          { arbitrary: fc.uniqueArray(fc.record({ key: fc.constantFrom('1', '2', '3', '4'), next: target }), { minLength: 1, maxLength: 4, selector: (o) => o.key }), weight: 6 },
          { arbitrary: fc.array(fc.record({ key: fc.constantFrom('1', '2'), next: target }), { minLength: 2, maxLength: 3 }), weight: 1 },
        ),
        timeoutMs: fc.constant(5000),
        maxRetries: fc.constant(1),
        onExhausted: target,
      }),
      4,
    ),
    w(fc.constant({ kind: 'hangup', reason: 'other' }), 2),
  );
  // Starting at an existing node most of the time, so that a fair share of graphs is accepted.
  const graph = fc
    .dictionary(fc.constantFrom(...ids), node, { minKeys: 1 })
    .chain((nodes) => fc.record({ nodes: fc.constant(nodes), start: fc.oneof({ arbitrary: fc.constantFrom(...Object.keys(nodes)), weight: 9 }, { arbitrary: fc.constant('e'), weight: 1 }) }));

  const resolve = (doc: unknown, path: (string | number)[]) =>
    path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined), doc);

  it('points every issue at a place that exists in the document', () => {
    fc.assert(
      fc.property(graph, ({ nodes, start }) => {
        const doc = flowDoc(nodes, start);
        const v = validateFlow(doc);
        if (v.ok) return;
        for (const i of v.issues) {
          expect(FLOW_ISSUE_CODES).toContain(i.code);
          expect(resolve(doc, i.path)).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a graph only when targets exist, nodes are reachable, keys are distinct and loops wait (independent check)', () => {
    const targets = (n: unknown) => [...JSON.stringify(n ?? null).matchAll(/"(?:next|onExhausted|default)":"(\w+)"/g)].map((m) => m[1]!);
    /** Drops nodes no path reaches half of the time, so that enough graphs pass to make the check bite. */
    const prune = (nodes: Record<string, unknown>, start: string) => {
      const keep = new Set([start]);
      const todo = [start];
      while (todo.length) {
        for (const t of targets(nodes[todo.pop()!])) {
          if (keep.has(t)) continue;
          keep.add(t);
          todo.push(t);
        }
      }
      return Object.fromEntries(Object.entries(nodes).filter(([id]) => keep.has(id)));
    };
    let accepted = 0;
    fc.assert(
      fc.property(graph, fc.boolean(), ({ nodes: all, start }, pruned) => {
        const nodes = pruned ? prune(all, start) : all;
        const v = validateFlow(flowDoc(nodes, start));
        if (!v.ok) return;
        accepted++;
        const seen = new Set([start]);
        const todo = [start];
        while (todo.length) {
          for (const t of targets(nodes[todo.pop()!] as Record<string, unknown>)) {
            expect(Object.hasOwn(nodes, t)).toBe(true);
            if (!seen.has(t)) {
              seen.add(t);
              todo.push(t);
            }
          }
        }
        expect([...seen].sort()).toEqual(Object.keys(nodes).sort());
        // No duplicate menu keys, and no node that does not wait can reach itself through nodes that do not wait.
        const kindOf = (id: string) => (nodes[id] as { kind: string }).kind;
        for (const [id, n] of Object.entries(nodes)) {
          if (kindOf(id) === 'menu') {
            const keys = (n as { options: { key: string }[] }).options.map((o) => o.key);
            expect(new Set(keys).size).toBe(keys.length);
            continue;
          }
          const stack = targets(n);
          const visited = new Set<string>();
          while (stack.length) {
            const t = stack.pop()!;
            expect(t).not.toBe(id);
            if (visited.has(t) || kindOf(t) === 'menu') continue;
            visited.add(t);
            stack.push(...targets(nodes[t]));
          }
        }
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});
