import type { IvrFlow, IvrNode } from './flow-schema.ts';

/** One edge out of a node: the target id and where it sits inside the node (for issue paths). */
export interface NodeEdge {
  readonly target: string;
  readonly path: readonly (string | number)[];
}

/** Every node id a node can lead to, with the field path that names it. Terminal nodes have none. */
export function edgesOf(node: IvrNode): NodeEdge[] {
  switch (node.kind) {
    case 'play':
    case 'set':
    case 'language':
      return [{ target: node.next, path: ['next'] }];
    case 'menu':
      return [
        ...node.options.map((o, i) => ({ target: o.next, path: ['options', i, 'next'] })),
        { target: node.onExhausted, path: ['onExhausted'] },
      ];
    case 'collect':
      return [
        { target: node.next, path: ['next'] },
        { target: node.onExhausted, path: ['onExhausted'] },
      ];
    case 'speech':
      return [
        ...node.intents.map((o, i) => ({ target: o.next, path: ['intents', i, 'next'] })),
        ...(node.dtmfFallback?.options ?? []).map((o, i) => ({ target: o.next, path: ['dtmfFallback', 'options', i, 'next'] })),
        { target: node.onExhausted, path: ['onExhausted'] },
      ];
    case 'lookup':
      return [
        { target: node.next, path: ['next'] },
        { target: node.onFailure, path: ['onFailure'] },
        { target: node.onTimeout, path: ['onTimeout'] },
      ];
    case 'condition':
      return [
        ...node.branches.map((b, i) => ({ target: b.next, path: ['branches', i, 'next'] })),
        { target: node.default, path: ['default'] },
      ];
    case 'queue':
    case 'transfer':
    case 'voicemail':
    case 'hangup':
      return [];
  }
}

/** The node with this id, or undefined; never an inherited property. */
export function nodeById(flow: IvrFlow, id: string): IvrNode | undefined {
  return Object.hasOwn(flow.nodes, id) ? flow.nodes[id] : undefined;
}
