import type { IvrFlow } from '../ivr/flow-schema.ts';
import type { IvrFlowEvent } from './ivr-flow-events.ts';

/** One published version: immutable once published. */
export interface PublishedFlowVersion {
  readonly version: number;
  readonly contentHash: string;
  readonly flow: IvrFlow;
  readonly publishedAt: number;
}

/** The latest draft, as written (it may be invalid). */
export interface FlowDraft {
  readonly flow: unknown;
  readonly contentHash: string;
  readonly savedAt: number;
}

/**
 * The IVR flow decider's state: `absent` (never saved), `draft` (saved, never published), `published` (at least one
 * version; a newer draft may exist), `retired` (frozen). Every published version is kept so a call can say which
 * version it ran and that version can be read back.
 */
export interface IvrFlowState {
  readonly status: 'absent' | 'draft' | 'published' | 'retired';
  readonly flowId: string | null;
  readonly draft: FlowDraft | null;
  /** Ascending: `versions[i].version === i + 1`. */
  readonly versions: readonly PublishedFlowVersion[];
  readonly retiredAt: number | null;
}

export const initialIvrFlowState: IvrFlowState = { status: 'absent', flowId: null, draft: null, versions: [], retiredAt: null };

/** Folds one IVR flow event into the state. */
export function evolveIvrFlow(s: IvrFlowState, e: IvrFlowEvent): IvrFlowState {
  switch (e.type) {
    case 'IvrFlowDraftSaved':
      return {
        ...s,
        status: s.status === 'absent' ? 'draft' : s.status,
        flowId: e.data.flowId,
        draft: { flow: e.data.flow, contentHash: e.data.contentHash, savedAt: e.data.at },
      };
    case 'IvrFlowPublished':
      return {
        ...s,
        status: 'published',
        flowId: e.data.flowId,
        versions: [...s.versions, { version: e.data.version, contentHash: e.data.contentHash, flow: e.data.flow, publishedAt: e.data.at }],
      };
    case 'IvrFlowRetired':
      return { ...s, status: 'retired', flowId: e.data.flowId, retiredAt: e.data.at };
  }
}

/** Published version `n` of the flow, or undefined if it was never published. */
export function publishedVersion(state: IvrFlowState, n: number): PublishedFlowVersion | undefined {
  const v = state.versions[n - 1];
  return v?.version === n ? v : undefined;
}

/** The newest published version, or undefined. */
export function latestPublishedVersion(state: IvrFlowState): PublishedFlowVersion | undefined {
  return state.versions.at(-1);
}
