import type { Decider } from '../decider.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import { LedgerlineError } from '../errors/ledgerline-error.ts';
import { validateFlow, type FlowIssue } from '../ivr/validate-flow.ts';
import { contentHash } from './content-hash.ts';
import type { IvrFlowCommand } from './ivr-flow-commands.ts';
import type { IvrFlowEvent } from './ivr-flow-events.ts';
import { evolveIvrFlow, initialIvrFlowState, latestPublishedVersion, publishedVersion, type IvrFlowState, type PublishedFlowVersion } from './ivr-flow-state.ts';

function fail(code: ErrorCode, flowId: string, message: string, details: Record<string, unknown> = {}): never {
  throw new LedgerlineError(code, message, { flowId, ...details });
}

/**
 * Decides an IVR flow command. Saving the same draft again, publishing content identical to the latest version, and
 * retiring a retired flow emit nothing. Publishing validates the draft (domain/ivr/validate-flow.ts) and requires the
 * flow's own `id` to be the stream's flow id, so a call's (flowId, version) names exactly one flow.
 */
export function decideIvrFlow(c: IvrFlowCommand, s: IvrFlowState): IvrFlowEvent[] {
  const { flowId, at } = c;
  if (s.flowId !== null && s.flowId !== flowId) {
    fail('IVR_FLOW_COMMAND_INVALID', flowId, `Command for IVR flow ${flowId} sent to the stream of flow ${s.flowId}`);
  }
  if (s.status === 'retired') {
    if (c.type === 'RetireIvrFlow') return [];
    fail('IVR_FLOW_RETIRED', flowId, `IVR flow ${flowId} is retired`, { command: c.type });
  }
  switch (c.type) {
    case 'SaveIvrFlowDraft': {
      const hash = contentHash(c.flow);
      if (s.draft?.contentHash === hash) return [];
      return [{ type: 'IvrFlowDraftSaved', data: { flowId, at, flow: c.flow, contentHash: hash } }];
    }
    case 'PublishIvrFlow': {
      if (s.status === 'absent' || !s.draft) return fail('IVR_FLOW_NOT_FOUND', flowId, `IVR flow ${flowId} does not exist`);
      if (c.expectedDraftHash !== undefined && c.expectedDraftHash !== s.draft.contentHash) {
        fail('IVR_FLOW_DRAFT_CHANGED', flowId, `IVR flow ${flowId}: the draft changed since ${c.expectedDraftHash}`, {
          expectedDraftHash: c.expectedDraftHash,
          draftHash: s.draft.contentHash,
        });
      }
      const result = validateFlow(s.draft.flow);
      const issues: FlowIssue[] = result.ok ? [] : [...result.issues];
      if (result.ok && result.flow.id !== flowId) {
        issues.push({ code: 'flow_id_mismatch', path: ['id'], message: `the flow's id "${result.flow.id}" is not the flow id "${flowId}"` });
      }
      if (!result.ok || issues.length > 0) {
        return fail('IVR_FLOW_INVALID', flowId, `IVR flow ${flowId} cannot be published: ${issues.map((i) => i.message).join('; ')}`, { issues });
      }
      const hash = contentHash(result.flow);
      const latest = latestPublishedVersion(s);
      if (latest?.contentHash === hash) return [];
      const version = (latest?.version ?? 0) + 1;
      return [{ type: 'IvrFlowPublished', data: { flowId, at, version, contentHash: hash, flow: result.flow } }];
    }
    case 'RetireIvrFlow':
      if (s.status === 'absent') fail('IVR_FLOW_NOT_FOUND', flowId, `IVR flow ${flowId} does not exist`);
      return [{ type: 'IvrFlowRetired', data: { flowId, at } }];
  }
}

/** The version a new call should run: the latest published one of a flow that is not retired. */
export function routableVersion(state: IvrFlowState, flowId: string): PublishedFlowVersion {
  if (state.status === 'absent') fail('IVR_FLOW_NOT_FOUND', flowId, `IVR flow ${flowId} does not exist`);
  if (state.status === 'retired') fail('IVR_FLOW_RETIRED', flowId, `IVR flow ${flowId} is retired`);
  const latest = latestPublishedVersion(state);
  if (!latest) return fail('IVR_FLOW_NOT_PUBLISHED', flowId, `IVR flow ${flowId} has no published version`);
  return latest;
}

/** Published version `n`, for a call that recorded it (retired flows stay readable); throws if there is none. */
export function requirePublishedVersion(state: IvrFlowState, flowId: string, n: number): PublishedFlowVersion {
  const v = publishedVersion(state, n);
  if (!v) return fail('IVR_FLOW_VERSION_NOT_FOUND', flowId, `IVR flow ${flowId} has no version ${n}`, { version: n });
  return v;
}

/** The IVR flow decider for stream `ivrflow-<flowId>`. */
export const ivrFlowDecider: Decider<IvrFlowCommand, IvrFlowEvent, IvrFlowState> = {
  decide: decideIvrFlow,
  evolve: evolveIvrFlow,
  initialState: initialIvrFlowState,
};

/** The stream a flow's events live in. */
export const ivrFlowStream = (flowId: string): string => `ivrflow-${flowId}`;
