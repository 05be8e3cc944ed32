import type { NumberEvent } from './number-events.ts';

/**
 * A number's state: `unassigned` (never assigned, or released) or `assigned` to one flow. `number` keeps the
 * spelling it was first assigned under; `assignedAt` is when the current assignment (not a reassignment) began.
 */
export interface NumberState {
  readonly status: 'unassigned' | 'assigned';
  readonly number: string | null;
  readonly flowId: string | null;
  readonly assignedAt: number | null;
}

export const initialNumberState: NumberState = { status: 'unassigned', number: null, flowId: null, assignedAt: null };

/** Folds one number event into the state. */
export function evolveNumber(s: NumberState, e: NumberEvent): NumberState {
  switch (e.type) {
    case 'NumberAssigned':
      return { status: 'assigned', number: s.number ?? e.data.number, flowId: e.data.flowId, assignedAt: s.status === 'assigned' ? s.assignedAt : e.data.at };
    case 'NumberReleased':
      return { status: 'unassigned', number: s.number ?? e.data.number, flowId: null, assignedAt: null };
  }
}
