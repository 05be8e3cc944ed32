import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IvrInput } from './inputs.ts';
import { advance, start, type Step } from './interpreter.ts';
import { validateFlow } from './validate-flow.ts';

// The documented example (docs/examples/ivr-flow.example.json) must validate and behave as docs/ivr-flows.md says.

const exampleUrl = new URL('../../docs/examples/ivr-flow.example.json', import.meta.url);
const docUrl = new URL('../../docs/ivr-flows.md', import.meta.url);
const raw: unknown = JSON.parse(readFileSync(exampleUrl, 'utf8'));
const v = validateFlow(raw);
if (!v.ok) throw new Error(`the example flow is invalid: ${JSON.stringify(v.issues)}`);
const flow = v.flow;

const MONDAY_11H_PARIS = Date.parse('2026-11-23T10:00:00Z');
const SUNDAY_11H_PARIS = Date.parse('2026-11-22T10:00:00Z');
const CHRISTMAS_11H_PARIS = Date.parse('2026-12-25T10:00:00Z'); // a Friday

type Script = (Omit<IvrInput, 'at'> & Record<string, unknown>)[];

function call(at: number, inputs: Script, callerNumber = '+33612345678'): Step[] {
  const steps = [start(flow, { at, callerNumber, callId: 'call-1' })];
  inputs.forEach((inp, i) => steps.push(advance(flow, steps.at(-1)!.session, { ...inp, at: at + (i + 1) * 1000 } as IvrInput)));
  return steps;
}
const crm = (outputs: Record<string, string>): Script[number] => ({ kind: 'lookup_result', name: 'crm.caller-by-number', ok: true, outputs });

describe('the documented example flow', () => {
  it('validates', () => {
    expect(v.ok).toBe(true);
  });

  it('is the same JSON as the full example in docs/ivr-flows.md', () => {
    const md = readFileSync(docUrl, 'utf8');
    const block = /<!-- example:start -->\s*```json\n([\s\S]*?)\n```\s*<!-- example:end -->/.exec(md);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(raw);
  });

  it.each<[string, number, Script, Record<string, unknown>, string[]]>([
    ['a gold caller in opening hours goes to the VIP queue', MONDAY_11H_PARIS, [{ kind: 'prompt_done' }, crm({ tier: 'gold' })], { kind: 'queued', queueId: 'vip', priority: 10 }, ['welcome', 'opening-hours', 'caller-lookup', 'vip-check', 'vip-queue']],
    ['on Sunday the caller hears the closed message and reaches voicemail', SUNDAY_11H_PARIS, [{ kind: 'prompt_done' }, { kind: 'prompt_done' }], { kind: 'voicemail', mailbox: 'support-general' }, ['welcome', 'opening-hours', 'closed', 'closed-voicemail']],
    ['Christmas is a holiday even on a Friday morning', CHRISTMAS_11H_PARIS, [{ kind: 'dtmf', digits: '1' }, { kind: 'prompt_done' }], { kind: 'voicemail' }, ['welcome', 'opening-hours', 'closed', 'closed-voicemail']],
    [
      'a low-confidence answer falls back to keys; outage info is self-service',
      MONDAY_11H_PARIS,
      [
        { kind: 'prompt_done' },
        { kind: 'timeout' },
        { kind: 'dtmf', digits: '1' },
        { kind: 'speech', intent: 'outage', confidence: 0.41 },
        { kind: 'dtmf', digits: '2' },
        { kind: 'prompt_done' },
      ],
      { kind: 'self_served', node: 'goodbye' },
      ['welcome', 'opening-hours', 'caller-lookup', 'main-menu', 'reason', 'outage-info', 'goodbye'],
    ],
    [
      'a confident answer goes straight to its target',
      MONDAY_11H_PARIS,
      [{ kind: 'prompt_done' }, { kind: 'lookup_result', name: 'crm.caller-by-number', ok: false }, { kind: 'dtmf', digits: '1' }, { kind: 'speech', intent: 'moving', confidence: 0.93 }],
      { kind: 'transferred', to: 'sip:sales@pbx.example.com' },
      ['welcome', 'opening-hours', 'caller-lookup', 'main-menu', 'reason', 'sales-transfer'],
    ],
    [
      'an account with a balance due is told so, then queued for billing',
      MONDAY_11H_PARIS,
      [
        { kind: 'prompt_done' },
        crm({ tier: 'standard' }),
        { kind: 'dtmf', digits: '2' },
        { kind: 'dtmf', digits: '12#' },
        { kind: 'dtmf', digits: '12345678#' },
        { kind: 'lookup_result', name: 'billing.balance', ok: true, outputs: { balance: 42.5 } as never },
        { kind: 'prompt_done' },
      ],
      { kind: 'queued', queueId: 'billing' },
      ['welcome', 'opening-hours', 'caller-lookup', 'vip-check', 'main-menu', 'account-entry', 'balance-lookup', 'balance-check', 'balance-due', 'mark-billing', 'billing-queue'],
    ],
    [
      'three silent menus send the caller to the support queue',
      MONDAY_11H_PARIS,
      [{ kind: 'prompt_done' }, { kind: 'timeout' }, { kind: 'timeout' }, { kind: 'timeout' }, { kind: 'timeout' }],
      { kind: 'queued', queueId: 'support' },
      ['welcome', 'opening-hours', 'caller-lookup', 'main-menu', 'support-queue'],
    ],
    ['hanging up in the menu is an abandon', MONDAY_11H_PARIS, [{ kind: 'prompt_done' }, { kind: 'timeout' }, { kind: 'caller_hangup' }], { kind: 'abandoned', node: 'main-menu' }, ['welcome', 'opening-hours', 'caller-lookup', 'main-menu']],
  ])('%s', (_name, at, inputs, outcome, path) => {
    const steps = call(at, inputs);
    const last = steps.at(-1)!;
    expect(last.outcome).toMatchObject(outcome);
    expect(last.session.path.map((p) => p.node)).toEqual(path);
    expect(steps.slice(0, -1).every((s) => s.outcome === undefined)).toBe(true);
  });

  it('remembers why the caller was queued and what they typed', () => {
    const steps = call(MONDAY_11H_PARIS, [
      { kind: 'prompt_done' },
      { kind: 'timeout' },
      { kind: 'dtmf', digits: '2' },
      { kind: 'dtmf', digits: '87654321#' },
      { kind: 'lookup_result', name: 'billing.balance', ok: true, outputs: { balance: 10 } as never },
      { kind: 'prompt_done' },
    ]);
    expect(steps.at(-1)!.session.variables).toMatchObject({ 'account.entered': '87654321', 'account.balance': 10, 'queue.reason': 'balance-due' });
    expect(steps[4]!.instructions).toEqual([{ kind: 'lookup', name: 'billing.balance', inputs: { account: '87654321' }, timeoutMs: 3000 }]);
  });

  it('switches to French when the CRM says so: prompts carry fr-FR and French text', () => {
    const steps = call(MONDAY_11H_PARIS, [{ kind: 'prompt_done' }, crm({ language: 'fr-FR' }), { kind: 'dtmf', digits: '1' }]);
    expect(steps[2]!.entered).toEqual(['vip-check', 'to-french', 'main-menu']);
    expect(steps[2]!.instructions[0]).toEqual({ kind: 'play', prompt: 'main-menu', language: 'fr-FR', interruptible: true });
    expect(steps[3]!.instructions[0]).toEqual({ kind: 'play', text: "En quelques mots, quel est l'objet de votre appel ?", language: 'fr-FR', interruptible: true });
  });
});
