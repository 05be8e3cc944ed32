import { describe, expect, it } from 'vitest';
import { agentQueueErrors } from './codes-agent-queue.ts';
import { callErrors } from './codes-call.ts';
import { commonErrors } from './codes-common.ts';
import { eslErrors } from './codes-esl.ts';
import { eventStoreErrors } from './codes-event-store.ts';
import { ivrErrors } from './codes-ivr.ts';
import { numberErrors } from './codes-number.ts';
import { routingErrors } from './codes-routing.ts';
import { errorCatalogue } from './catalogue.ts';

describe('error catalogue', () => {
  it('has no code defined twice across areas (a later spread would silently win)', () => {
    const areas = [commonErrors, eventStoreErrors, callErrors, agentQueueErrors, ivrErrors, routingErrors, eslErrors, numberErrors];
    const all = areas.flatMap((a) => Object.keys(a));
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(errorCatalogue).length).toBe(all.length);
  });
  it('uses UPPER_SNAKE codes and HTTP error statuses', () => {
    for (const [code, spec] of Object.entries(errorCatalogue)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
    }
  });
});
