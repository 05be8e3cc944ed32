import type { BusinessHoursTest, ConditionTest, VariableValue } from './flow-schema.ts';
import { localTimeAt } from './time-zone.ts';

/** The variable `caller_tier` conditions read; `start` fills it from the context and look-ups may overwrite it. */
export const CALLER_TIER_VARIABLE = 'caller.tier';

/** True when the business-hours schedule is open at epoch ms `at` (local wall-clock time, holidays closed). */
export function isOpenAt(test: BusinessHoursTest, at: number): boolean {
  const local = localTimeAt(at, test.timeZone);
  if (test.holidays.includes(local.date)) return false;
  // [from, to) on HH:MM strings: lexical order is time order, and "24:00" sorts after every real minute.
  return (test.weekly[local.weekday] ?? []).some((r) => r.from <= local.time && local.time < r.to);
}

/** Evaluates one condition test against the variables at instant `at`. */
export function testHolds(test: ConditionTest, variables: Readonly<Record<string, VariableValue>>, at: number): boolean {
  switch (test.kind) {
    case 'business_hours':
      return isOpenAt(test, at);
    case 'caller_tier': {
      const tier = read(variables, CALLER_TIER_VARIABLE);
      return typeof tier === 'string' && test.in.includes(tier);
    }
    case 'variable': {
      const present = Object.hasOwn(variables, test.variable);
      const v = read(variables, test.variable);
      switch (test.op) {
        case 'exists':
          return present && v !== null;
        case 'absent':
          return !present || v === null;
        case 'eq':
          return present && v === test.value;
        case 'neq':
          return !present || v !== test.value;
        case 'in':
          return present && test.value.includes(v ?? null);
        case 'lt':
        case 'lte':
        case 'gt':
        case 'gte': {
          const n = asNumber(v);
          if (n === undefined) return false;
          if (test.op === 'lt') return n < test.value;
          if (test.op === 'lte') return n <= test.value;
          if (test.op === 'gt') return n > test.value;
          return n >= test.value;
        }
      }
    }
  }
}

function read(variables: Readonly<Record<string, VariableValue>>, name: string): VariableValue | undefined {
  return Object.hasOwn(variables, name) ? variables[name] : undefined;
}

/** Numbers compare as numbers; so do decimal strings (collected digits arrive as strings). */
function asNumber(v: VariableValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d{1,15}(\.\d{1,15})?$/.test(v)) return Number(v);
  return undefined;
}
