// Parses `originate <call url> <exten>|&<app>(<args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]`.

/** One dialed leg with its own `[vars]`. */
export interface DialLeg {
  endpoint: string;
  vars: Array<[string, string]>;
}

export type OriginateDestination =
  | { kind: 'app'; app: string; args: string }
  | { kind: 'exten'; exten: string; dialplan: string; context: string };

/** A parsed originate command. */
export interface OriginateRequest {
  /** `{…}` variables for every leg. */
  vars: Array<[string, string]>;
  /** Groups tried in sequence (`|`); the legs of a group ring at once (`,`), first answer wins. */
  groups: DialLeg[][];
  destination: OriginateDestination;
  cidName?: string;
  cidNum?: string;
  timeoutSec?: number;
}

export const ORIGINATE_USAGE = '<call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]';

/** Splits on `sep` outside quotes and brackets ({} [] <> ()). */
export function splitOutside(text: string, sep: string | RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const c of text) {
    if (quote) {
      cur += c;
      if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') { quote = c; cur += c; continue; }
    if ('{[<('.includes(c)) depth++;
    if ('}]>)'.includes(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && (typeof sep === 'string' ? c === sep : sep.test(c))) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

const unquote = (v: string): string => (v.length >= 2 && (v[0] === "'" || v[0] === '"') && v.at(-1) === v[0] ? v.slice(1, -1) : v);

/** `a=1,b='x,y'` → pairs. */
export function parseVarList(text: string): Array<[string, string]> {
  return splitOutside(text, ',')
    .map((kv) => kv.trim())
    .filter((kv) => kv !== '')
    .map((kv): [string, string] => {
      const eq = kv.indexOf('=');
      return eq < 0 ? [kv, ''] : [kv.slice(0, eq).trim(), unquote(kv.slice(eq + 1).trim())];
    });
}

/** Takes leading `{…}`/`<…>`/`[…]` blocks off a dial string. */
function takeVars(s: string, open: string, close: string): { vars: Array<[string, string]>; rest: string } {
  let rest = s.trimStart();
  const vars: Array<[string, string]> = [];
  while (rest.startsWith(open)) {
    const end = rest.indexOf(close);
    if (end < 0) break;
    vars.push(...parseVarList(rest.slice(1, end)));
    rest = rest.slice(end + 1).trimStart();
  }
  return { vars, rest };
}

/** Parses the argument string of `originate`; undefined means usage error. */
export function parseOriginate(arg: string): OriginateRequest | undefined {
  const argv = splitOutside(arg.trim(), ' ').filter((a) => a !== '');
  if (argv.length < 2) return undefined;
  const [url = '', dest = '', dialplan, context, cidName, cidNum, timeout] = argv;
  const global = takeVars(url, '{', '}');
  const alsoAngle = takeVars(global.rest, '<', '>');
  const groups = splitOutside(alsoAngle.rest, '|').map((group) =>
    splitOutside(group, ',').filter((l) => l.trim() !== '').map((leg): DialLeg => {
      const { vars, rest } = takeVars(leg, '[', ']');
      return { endpoint: rest.trim(), vars };
    }),
  ).filter((g) => g.length > 0);
  if (groups.length === 0) return undefined;
  let destination: OriginateDestination;
  const app = /^&([A-Za-z0-9_]+)(?:\((.*)\))?$/s.exec(dest);
  if (app) destination = { kind: 'app', app: app[1]!, args: app[2] ?? '' };
  else destination = { kind: 'exten', exten: dest, dialplan: dialplan ?? 'XML', context: context ?? 'default' };
  const t = timeout !== undefined ? Number(timeout) : undefined;
  return {
    vars: [...global.vars, ...alsoAngle.vars],
    groups,
    destination,
    cidName: cidName !== undefined ? unquote(cidName) : undefined,
    cidNum: cidNum !== undefined ? unquote(cidNum) : undefined,
    timeoutSec: t !== undefined && Number.isFinite(t) && t > 0 ? t : undefined,
  };
}
