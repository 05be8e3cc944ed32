import { IvrFlowSchema, type IvrFlow } from './flow-schema.ts';
import { validateFlow } from './validate-flow.ts';

// Small flows for tests and examples: terse to write, validated on the way in so a fixture can never be wrong.

/** A raw (unvalidated) flow document around `nodes`. */
export function flowDoc(nodes: Record<string, unknown>, start = Object.keys(nodes)[0] ?? 'start'): Record<string, unknown> {
  return { id: 'test-flow', name: 'Test flow', start, defaultLanguage: 'en-US', nodes };
}

/** A validated flow around `nodes`; throws with the issues when the fixture is invalid. */
export function validFlow(nodes: Record<string, unknown>, start?: string): IvrFlow {
  const v = validateFlow(flowDoc(nodes, start));
  if (!v.ok) throw new Error(`fixture flow is invalid: ${JSON.stringify(v.issues)}`);
  return v.flow;
}

/** A flow that passes the schema but skips graph rules (unreachable helper nodes, deliberate loops). */
export function parsedFlow(nodes: Record<string, unknown>, start?: string): IvrFlow {
  return IvrFlowSchema.parse(flowDoc(nodes, start));
}
