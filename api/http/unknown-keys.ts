/**
 * Paths of object keys present in `input` but absent from `output`, the result of a successful zod parse of it.
 * Zod's default objects strip unknown keys silently; comparing what went in with what came out finds them at any
 * depth (including inside the domain's own, non-strict schemas) without rewriting those schemas.
 */
export function unknownKeyPaths(input: unknown, output: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return [];
    return input.flatMap((item, i) => (i < output.length ? unknownKeyPaths(item, output[i], [...path, i]) : []));
  }
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  const out: (string | number)[][] = [];
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(output, key)) out.push([...path, key]);
    else out.push(...unknownKeyPaths(input[key], output[key], [...path, key]));
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
