import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SCENARIOS, given, type ScenarioName } from '../call/call-fixtures.ts';
import { isLedgerlineError } from '../errors/ledgerline-error.ts';
import {
  allEventDefinitions,
  categoryOfStream,
  eventDefinitionOf,
  eventDefinitionsByCategory,
  eventRegistry,
  parseStoredEvent,
  toStoredEvent,
} from './registry.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (isLedgerlineError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('event registry', () => {
  it('holds the five stream categories', () => {
    expect(Object.keys(eventDefinitionsByCategory)).toEqual(['call', 'agent', 'queue', 'ivrflow', 'number']);
  });
  it('holds every definition once, under a unique type', () => {
    const types = allEventDefinitions.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(eventRegistry.size).toBe(types.length);
    for (const d of allEventDefinitions) expect(eventRegistry.get(d.type)).toBe(d);
  });
  it('gives each definition a description, a past-tense PascalCase type, and the category of the stream it is grouped under', () => {
    for (const [category, defs] of Object.entries(eventDefinitionsByCategory)) {
      expect(defs.length).toBeGreaterThan(0);
      for (const d of defs) {
        expect(d.category, d.type).toBe(category);
        expect(d.description.trim().length, d.type).toBeGreaterThan(10);
        expect(d.type).toMatch(/^[A-Z][A-Za-z]+$/);
        expect(d.schema, d.type).toBeInstanceOf(z.ZodObject);
        for (let v = 1; v < d.version; v++) expect(typeof d.upcasters[v], `${d.type} upcaster ${v}`).toBe('function');
      }
    }
  });
  it('puts the stream id and the time in every event, so a category subscriber needs neither the stream name nor the store clock', () => {
    const idField: Record<string, string> = { call: 'callId', agent: 'agentId', queue: 'queueId', ivrflow: 'flowId', number: 'number' };
    for (const d of allEventDefinitions) {
      const shape = (d.schema as unknown as z.ZodObject).shape;
      expect(Object.keys(shape), d.type).toEqual(expect.arrayContaining([idField[d.category], 'at']));
    }
  });
  it('knows the stream categories', () => {
    expect(categoryOfStream('call-42')).toBe('call');
    expect(categoryOfStream('agent-a-1')).toBe('agent');
    expect(categoryOfStream('queue-q1')).toBe('queue');
    expect(categoryOfStream('ivrflow-main')).toBe('ivrflow');
    expect(categoryOfStream('number-acme.3225550100')).toBe('number');
    expect(categoryOfStream('nope-1')).toBeUndefined();
    expect(categoryOfStream('call')).toBeUndefined();
    expect(categoryOfStream('constructor-1')).toBeUndefined();
  });
  it('refuses unknown types with a coded error', () => {
    expect(codeOf(() => eventDefinitionOf('CallTeleported'))).toBe('EVENT_TYPE_UNKNOWN');
    expect(codeOf(() => parseStoredEvent('CallTeleported', 1, {}))).toBe('EVENT_TYPE_UNKNOWN');
    expect(codeOf(() => toStoredEvent({ type: 'toString', data: {} }))).toBe('EVENT_TYPE_UNKNOWN');
  });
  it('refuses versions it does not know, and data that does not match', () => {
    const data = { callId: 'c', at: 1, customerId: 'x', tier: 'gold', source: 'crm' };
    expect(parseStoredEvent('CallerIdentified', 1, data).data).toEqual(data);
    expect(codeOf(() => parseStoredEvent('CallerIdentified', 2, data))).toBe('EVENT_VERSION_UNSUPPORTED');
    expect(codeOf(() => parseStoredEvent('CallerIdentified', 0, data))).toBe('EVENT_VERSION_UNSUPPORTED');
    expect(codeOf(() => parseStoredEvent('CallerIdentified', 1.5, data))).toBe('EVENT_VERSION_UNSUPPORTED');
    expect(codeOf(() => parseStoredEvent('CallerIdentified', 1, { ...data, at: -1 }))).toBe('EVENT_DATA_INVALID');
    expect(codeOf(() => parseStoredEvent('CallArrived', 1, null))).toBe('EVENT_DATA_INVALID');
    expect(codeOf(() => toStoredEvent({ type: 'CallerIdentified', data: { ...data, source: 'psychic' } }))).toBe('EVENT_DATA_INVALID');
  });
  it('round-trips every event the call fixtures produce: parse(toStored(e)) is e', () => {
    for (const name of Object.keys(SCENARIOS) as ScenarioName[]) {
      for (const e of given(name)) {
        const stored = toStoredEvent(e);
        expect(stored.schemaVersion).toBe(eventDefinitionOf(e.type).version);
        const json = JSON.parse(JSON.stringify(stored.data)) as unknown;
        expect(parseStoredEvent(stored.type, stored.schemaVersion, json)).toEqual(e);
      }
    }
  });
});
