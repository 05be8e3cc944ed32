// Reads and validates a traffic scenario file.
import { readFile } from 'node:fs/promises';
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import { type TrafficScenario, TrafficScenarioSchema } from './traffic-scenario.ts';

/** Parses a scenario from JSON text; VALIDATION_FAILED with zod's issues when it does not fit. */
export function parseScenario(text: string, source = 'scenario'): TrafficScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LedgerlineError('VALIDATION_FAILED', `${source}: not JSON (${(e as Error).message})`);
  }
  const result = TrafficScenarioSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new LedgerlineError('VALIDATION_FAILED', `${source}: ${issues.join('; ')}`, { issues });
  }
  return result.data;
}

/** Loads a scenario file. */
export async function loadScenario(path: string): Promise<TrafficScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new LedgerlineError('VALIDATION_FAILED', `cannot read scenario ${path}: ${(e as Error).message}`);
  }
  return parseScenario(text, path);
}
