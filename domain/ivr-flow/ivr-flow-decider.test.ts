import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { isLedgerlineError, type LedgerlineError } from '../errors/ledgerline-error.ts';
import { sameJson } from '../shared/canonical-json.ts';
import { contentHash } from './content-hash.ts';
import { IVR_FLOW_COMMAND_TYPES, parseIvrFlowCommand, type IvrFlowCommand, type IvrFlowCommandType } from './ivr-flow-commands.ts';
import { ivrFlowDecider, ivrFlowStream, requirePublishedVersion, routableVersion } from './ivr-flow-decider.ts';
import { ivrFlowEvents, type IvrFlowEvent, type IvrFlowEventType } from './ivr-flow-events.ts';
import { latestPublishedVersion, publishedVersion, type IvrFlowState } from './ivr-flow-state.ts';

const FLOW_ID = 'main';
const flow = (name: string) => ({ id: FLOW_ID, name, start: 'bye', defaultLanguage: 'en', nodes: { bye: { kind: 'hangup', reason: 'self_served' } } });
const V1 = flow('Main v1');
const V2 = flow('Main v2');
const BROKEN = { ...V1, start: 'nowhere' };

let n = 0;
const env = (at = 10_000) => ({ commandId: `c${++n}`, at, flowId: FLOW_ID });
const save = (f: unknown, at?: number): IvrFlowCommand => ({ type: 'SaveIvrFlowDraft', ...env(at), flow: f }) as IvrFlowCommand;
const publish = (at?: number, expectedDraftHash?: string): IvrFlowCommand =>
  expectedDraftHash === undefined ? { type: 'PublishIvrFlow', ...env(at) } : { type: 'PublishIvrFlow', ...env(at), expectedDraftHash };
const retire = (at?: number): IvrFlowCommand => ({ type: 'RetireIvrFlow', ...env(at) });

/** Runs commands from an empty stream and returns every event; throws on the first refusal. */
function play(commands: readonly IvrFlowCommand[], given: readonly IvrFlowEvent[] = []): IvrFlowEvent[] {
  const events = [...given];
  for (const c of commands) events.push(...ivrFlowDecider.decide(c, fold(ivrFlowDecider, events)));
  return events;
}

function refusal(given: readonly IvrFlowEvent[], command: IvrFlowCommand): LedgerlineError {
  try {
    ivrFlowDecider.decide(command, fold(ivrFlowDecider, given));
  } catch (e) {
    if (isLedgerlineError(e)) return e;
    throw e;
  }
  throw new Error(`${command.type} was accepted`);
}

const STATES = ['absent', 'draft', 'published', 'retired'] as const;
const GIVEN: Record<(typeof STATES)[number], readonly IvrFlowEvent[]> = {
  absent: [],
  draft: play([save(V1, 1)]),
  published: play([save(V1, 1), publish(2)]),
  retired: play([save(V1, 1), publish(2), retire(3)]),
};

/** One command of each type: a new draft (V2), publish the current draft, retire. */
const COMMAND: Record<IvrFlowCommandType, IvrFlowCommand> = { SaveIvrFlowDraft: save(V2), PublishIvrFlow: publish(), RetireIvrFlow: retire() };

const EXPECTED: Record<(typeof STATES)[number], Record<IvrFlowCommandType, readonly IvrFlowEventType[] | ErrorCode>> = {
  absent: { SaveIvrFlowDraft: ['IvrFlowDraftSaved'], PublishIvrFlow: 'IVR_FLOW_NOT_FOUND', RetireIvrFlow: 'IVR_FLOW_NOT_FOUND' },
  draft: { SaveIvrFlowDraft: ['IvrFlowDraftSaved'], PublishIvrFlow: ['IvrFlowPublished'], RetireIvrFlow: ['IvrFlowRetired'] },
  // The draft is the published v1: publishing it again changes nothing.
  published: { SaveIvrFlowDraft: ['IvrFlowDraftSaved'], PublishIvrFlow: [], RetireIvrFlow: ['IvrFlowRetired'] },
  retired: { SaveIvrFlowDraft: 'IVR_FLOW_RETIRED', PublishIvrFlow: 'IVR_FLOW_RETIRED', RetireIvrFlow: [] },
};

describe('IVR flow decider: every state × every command', () => {
  it('the fixtures reach every state and name every command', () => {
    for (const s of STATES) expect(fold(ivrFlowDecider, GIVEN[s]).status).toBe(s);
    expect(Object.keys(COMMAND).sort()).toEqual([...IVR_FLOW_COMMAND_TYPES].sort());
  });
  for (const state of STATES) {
    for (const type of IVR_FLOW_COMMAND_TYPES) {
      const expected = EXPECTED[state][type];
      const label = typeof expected === 'string' ? `refuses with ${expected}` : expected.length === 0 ? 'is a no-op' : `emits ${expected.join(', ')}`;
      it(`given ${state}, ${type} ${label}`, () => {
        if (typeof expected === 'string') {
          expect(refusal(GIVEN[state], COMMAND[type]).code).toBe(expected);
          return;
        }
        const out = ivrFlowDecider.decide(COMMAND[type], fold(ivrFlowDecider, GIVEN[state]));
        expect(out.map((e) => e.type)).toEqual(expected);
        for (const e of out) expect(e.data).toMatchObject({ flowId: FLOW_ID, at: COMMAND[type].at });
      });
    }
  }
});

describe('IVR flow scenarios', () => {
  it('publishing numbers versions 1, 2, 3…; a rollback is a new version; every version stays readable', () => {
    const events = play([save(V1, 1), publish(2), save(V2, 3), publish(4), save(V1, 5), publish(6)]);
    const s = fold(ivrFlowDecider, events);
    expect(s.versions.map((v) => [v.version, v.flow.name, v.publishedAt])).toEqual([
      [1, 'Main v1', 2],
      [2, 'Main v2', 4],
      [3, 'Main v1', 6],
    ]);
    expect(publishedVersion(s, 1)?.contentHash).toBe(publishedVersion(s, 3)?.contentHash);
    expect(publishedVersion(s, 2)?.flow).toEqual(V2);
    expect(publishedVersion(s, 4)).toBeUndefined();
    expect(publishedVersion(s, 0)).toBeUndefined();
    expect(latestPublishedVersion(s)?.version).toBe(3);
  });

  it('a published version is immutable: later drafts do not touch it', () => {
    const events = play([save(V1, 1), publish(2), save(BROKEN, 3)]);
    const s = fold(ivrFlowDecider, events);
    expect(s.status).toBe('published');
    expect(publishedVersion(s, 1)?.flow).toEqual(V1);
    expect(s.draft?.flow).toEqual(BROKEN);
  });

  it('re-publishing identical content (keys in another order) is a no-op', () => {
    const shuffled = Object.fromEntries(Object.entries(V1).reverse());
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(V1));
    const events = play([save(V1, 1), publish(2), save(V2, 3), save(shuffled, 4)]);
    expect(events.at(-1)?.type).toBe('IvrFlowDraftSaved');
    expect(ivrFlowDecider.decide(publish(5), fold(ivrFlowDecider, events))).toEqual([]);
  });

  it('saving the same draft again is a no-op', () => {
    const events = play([save(V1, 1)]);
    expect(ivrFlowDecider.decide(save(V1, 2), fold(ivrFlowDecider, events))).toEqual([]);
  });

  it('refuses to publish an invalid draft, with the validator issues', () => {
    const e = refusal(play([save(BROKEN, 1)]), publish(2));
    expect(e.code).toBe('IVR_FLOW_INVALID');
    expect(e.details.issues).toEqual([expect.objectContaining({ code: 'missing_start_node', path: ['start'] })]);
  });

  it('refuses to publish a flow whose own id is not the flow id', () => {
    const e = refusal(play([save({ ...V1, id: 'other' }, 1)]), publish(2));
    expect(e.code).toBe('IVR_FLOW_INVALID');
    expect(e.details.issues).toEqual([expect.objectContaining({ code: 'flow_id_mismatch', path: ['id'] })]);
  });

  it('refuses to publish a draft other than the one reviewed', () => {
    const events = play([save(V1, 1)]);
    const reviewed = contentHash(V2);
    const e = refusal(events, publish(2, reviewed));
    expect(e.code).toBe('IVR_FLOW_DRAFT_CHANGED');
    expect(e.details).toMatchObject({ expectedDraftHash: reviewed, draftHash: contentHash(V1) });
    expect(play([publish(2, contentHash(V1))], events).at(-1)?.type).toBe('IvrFlowPublished');
  });

  it('routableVersion: the latest version of a live flow; requirePublishedVersion: any version, even retired', () => {
    expect(() => routableVersion(fold(ivrFlowDecider, []), FLOW_ID)).toThrow(expect.objectContaining({ code: 'IVR_FLOW_NOT_FOUND' }));
    expect(() => routableVersion(fold(ivrFlowDecider, GIVEN.draft), FLOW_ID)).toThrow(expect.objectContaining({ code: 'IVR_FLOW_NOT_PUBLISHED' }));
    expect(routableVersion(fold(ivrFlowDecider, GIVEN.published), FLOW_ID).version).toBe(1);
    const retired = fold(ivrFlowDecider, GIVEN.retired);
    expect(() => routableVersion(retired, FLOW_ID)).toThrow(expect.objectContaining({ code: 'IVR_FLOW_RETIRED' }));
    expect(requirePublishedVersion(retired, FLOW_ID, 1).flow).toEqual(V1);
    expect(() => requirePublishedVersion(retired, FLOW_ID, 2)).toThrow(expect.objectContaining({ code: 'IVR_FLOW_VERSION_NOT_FOUND' }));
  });

  it('retiring a never-published draft is allowed (it is discarded) and freezes the flow', () => {
    const events = play([save(V1, 1), retire(2)]);
    expect(fold(ivrFlowDecider, events)).toMatchObject({ status: 'retired', retiredAt: 2, versions: [] });
  });

  it('refuses a command addressed to another flow than the stream holds', () => {
    expect(refusal(GIVEN.draft, { ...publish(), flowId: 'other' }).code).toBe('IVR_FLOW_COMMAND_INVALID');
  });

  it('names its stream ivrflow-<flowId>', () => {
    expect(ivrFlowStream('main')).toBe('ivrflow-main');
  });

  it('events validate against their definitions; category ivrflow', () => {
    const byType = new Map(ivrFlowEvents.map((d) => [d.type as string, d]));
    for (const d of ivrFlowEvents) expect(d.category).toBe('ivrflow');
    for (const e of play([save(V1, 1), publish(2), save(BROKEN, 3), retire(4)])) byType.get(e.type)!.schema.parse(e.data);
  });

  it.each([
    ['an unknown command', { type: 'BurnIvrFlow', commandId: 'c', at: 1, flowId: 'f' }],
    ['a flow id with a slash', { type: 'RetireIvrFlow', commandId: 'c', at: 1, flowId: 'a/b' }],
    ['a draft that is not JSON', { type: 'SaveIvrFlowDraft', commandId: 'c', at: 1, flowId: 'f', flow: { when: new Date(0) } }],
    ['a draft over the size limit', { type: 'SaveIvrFlowDraft', commandId: 'c', at: 1, flowId: 'f', flow: { blob: 'x'.repeat(600_000) } }],
    ['a malformed expected hash', { type: 'PublishIvrFlow', commandId: 'c', at: 1, flowId: 'f', expectedDraftHash: 'abc' }],
  ])('parseIvrFlowCommand refuses %s with IVR_FLOW_COMMAND_INVALID', (_label, input) => {
    expect(() => parseIvrFlowCommand(input)).toThrow(expect.objectContaining({ code: 'IVR_FLOW_COMMAND_INVALID' }));
  });
});

describe('IVR flow properties', () => {
  const commandArb: fc.Arbitrary<IvrFlowCommand> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(V1, V2, flow('Main v3'), BROKEN).map((f) => save(f)) },
    { weight: 4, arbitrary: fc.constant(null).map(() => publish()) },
    { weight: 1, arbitrary: fc.constant(null).map(() => retire()) },
  );

  it('versions are 1..n without gaps, never change once published, and consecutive versions differ', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { maxLength: 30 }), (commands) => {
        let s: IvrFlowState = ivrFlowDecider.initialState;
        for (const c of commands) {
          const before = s;
          try {
            for (const e of ivrFlowDecider.decide(c, s)) s = ivrFlowDecider.evolve(s, e);
          } catch (e) {
            if (!isLedgerlineError(e)) throw e;
          }
          expect(s.versions.slice(0, before.versions.length)).toEqual(before.versions);
          s.versions.forEach((v, i) => {
            expect(v.version).toBe(i + 1);
            expect(v.contentHash).toBe(contentHash(v.flow));
            if (i > 0) expect(sameJson(v.flow, s.versions[i - 1]!.flow)).toBe(false);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
