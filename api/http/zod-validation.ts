import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { LedgerlineError } from '../../domain/errors/ledgerline-error.ts';
import { unknownKeyPaths } from './unknown-keys.ts';

/** One problem with the input: where (`body.capacity.voice`), zod's issue code, and a sentence. */
export interface InputIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

function joinPath(part: string, path: readonly PropertyKey[]): string {
  return [part, ...path.map(String)].join('.');
}

/** The VALIDATION_FAILED error for `issues`; `details.path` names the first offending path. */
export function validationError(issues: readonly InputIssue[]): LedgerlineError {
  const first = issues[0];
  const message = first ? `${first.path}: ${first.message}` : 'The input does not match the expected shape';
  return new LedgerlineError('VALIDATION_FAILED', message, { path: first?.path ?? '', issues });
}

/**
 * Parses `data` with `schema` as fastify's `httpPart` (body, querystring, params, headers). Refuses keys the schema
 * does not know at any depth (headers excepted: clients and proxies add their own). Throws VALIDATION_FAILED.
 */
export function parseInput<T>(schema: z.ZodType<T>, data: unknown, part: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    throw validationError(
      r.error.issues.flatMap((i): InputIssue[] =>
        // A strict object reports all its unknown keys in one issue at the object: name each key's own path.
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ path: joinPath(part, [...i.path, k]), code: i.code, message: `unknown field "${k}"` }))
          : [{ path: joinPath(part, i.path), code: i.code, message: i.message }],
      ),
    );
  }
  if (part !== 'headers') {
    const unknown = unknownKeyPaths(data, r.data);
    if (unknown.length > 0) {
      throw validationError(unknown.map((p) => ({ path: joinPath(part, p), code: 'unrecognized_keys', message: `unknown field "${String(p.at(-1))}"` })));
    }
  }
  return r.data;
}

/** Fastify's validator compiler for zod schemas on routes (`schema: { body: zodSchema, … }`). */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'input');
  return (data: unknown) => {
    try {
      return { value: parseInput(schema, data, part) };
    } catch (e) {
      return { error: e as Error };
    }
  };
};
