// CUSTOM callcenter::info events (mod_callcenter, reference §2.4), fired on demand. The simulator does not run
// mod_callcenter's queues and agents; a test that plays the §3.8 sequence fires each event itself. What is faithful
// here is the event: subclass, which channel's data it carries, and the CC-* headers in the §2.4 order.
import type { FsEvent, FsHeader } from '../events/fs-event.ts';
import type { SimSwitch } from './sim-switch.ts';

/** Which channel's data an action carries (§2.4 "Carries channel data?"). */
type ChannelOf = 'agent' | 'member' | undefined;

interface ActionSpec {
  channel: ChannelOf;
  /** CC-* headers in the §2.4 order, without CC-Action. */
  headers: readonly string[];
  line: number;
}

const MEMBER = ['CC-Member-UUID', 'CC-Member-Session-UUID', 'CC-Member-CID-Name', 'CC-Member-CID-Number'] as const;

/** §2.4, one row per CC-Action (member-queue-end has two forms: after talking, and abandoned = CC-Cause Cancel). */
const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  'agent-status-change': { channel: undefined, headers: ['CC-Agent', 'CC-Agent-Status'], line: 1043 },
  'agent-state-change': { channel: undefined, headers: ['CC-Agent', 'CC-Agent-State'], line: 1067 },
  'agent-contact-change': { channel: undefined, headers: ['CC-Agent', 'CC-Agent-Contact'], line: 1091 },
  'agent-add': { channel: undefined, headers: ['CC-Agent', 'CC-Agent-Type'], line: 915 },
  'agent-offering': { channel: undefined, headers: ['CC-Queue', 'CC-Agent', 'CC-Agent-Type', 'CC-Agent-System', 'CC-Member-UUID', 'CC-Member-Session-UUID', 'CC-Member-CID-Name', 'CC-Member-CID-Number', 'CC-Member-DNIS'], line: 1717 },
  'bridge-agent-start': { channel: 'agent', headers: ['CC-Queue', 'CC-Agent', 'CC-Agent-System', 'CC-Agent-UUID', 'CC-Agent-Called-Time', 'CC-Agent-Answered-Time', 'CC-Member-Joined-Time', ...MEMBER], line: 1934 },
  'bridge-agent-end': { channel: 'agent', headers: ['CC-Queue', 'CC-Hangup-Cause', 'CC-Agent', 'CC-Agent-System', 'CC-Agent-UUID', 'CC-Agent-Bridged', 'CC-Agent-Called-Time', 'CC-Agent-Answered-Time', 'CC-Member-Joined-Time', 'CC-Bridge-Terminated-Time', ...MEMBER], line: 2062 },
  'bridge-agent-fail': { channel: undefined, headers: ['CC-Queue', 'CC-Hangup-Cause', 'CC-Agent', 'CC-Agent-System', 'CC-Agent-Called-Time', 'CC-Agent-Aborted-Time', ...MEMBER, 'CC-Member-Joined-Time'], line: 2200 },
  'agent-max-no-answer': { channel: undefined, headers: ['CC-Agent', 'CC-Agent-No-Answer-Count', 'CC-Agent-No-Answer-Status', 'CC-Member-UUID', 'CC-Member-Session-UUID'], line: 2176 },
  'member-queue-start': { channel: 'member', headers: ['CC-Queue', ...MEMBER], line: 3113 },
  'member-queue-resume': { channel: 'member', headers: ['CC-Queue', ...MEMBER], line: 3113 },
  'member-queue-end': { channel: 'member', headers: ['CC-Queue', 'CC-Hangup-Cause', 'CC-Cause', 'CC-Agent', 'CC-Agent-System', 'CC-Agent-UUID', 'CC-Agent-Called-Time', 'CC-Agent-Answered-Time', 'CC-Member-Leaving-Time', 'CC-Member-Joined-Time', ...MEMBER], line: 2098 },
  'member-queue-end/cancel': { channel: 'member', headers: ['CC-Queue', 'CC-Member-Leaving-Time', 'CC-Member-Joined-Time', 'CC-Cause', 'CC-Cancel-Reason', ...MEMBER], line: 3274 },
  'members-count': { channel: undefined, headers: ['CC-Queue', 'CC-Count', 'CC-Selection'], line: 878 },
};

/** The CC-Action values §2.4 lists. */
export const CALLCENTER_ACTIONS: readonly string[] = Object.keys(ACTIONS).filter((a) => !a.includes('/'));

/**
 * Builds a callcenter::info event. `values` must hold every CC-* header of the action (CC-Action excepted);
 * `channel` is the uuid of the agent or member leg for the actions that carry channel data. Throws on an unknown
 * action, a missing value, or a missing/unknown channel where one is needed.
 */
export function callcenterInfo(sw: SimSwitch, action: string, values: Readonly<Record<string, string>>, channel?: string): FsEvent {
  const key = action === 'member-queue-end' && values['CC-Cause'] === 'Cancel' ? 'member-queue-end/cancel' : action;
  const spec = ACTIONS[key];
  if (!spec) throw new RangeError(`unknown callcenter::info action ${action}`);
  const missing = spec.headers.filter((h) => values[h] === undefined);
  if (missing.length > 0) throw new RangeError(`${action} needs ${missing.join(', ')}`);
  // CC-Action follows the first CC-* header (CC-Queue or CC-Agent), as in the §2.8(j) examples.
  const cc: FsHeader[] = spec.headers.map((h) => [h, values[h]!]);
  cc.splice(1, 0, ['CC-Action', action]);
  // The file and line are §2.4's; the function name is not in the reference (clients should not read it).
  const origin = { file: 'mod_callcenter.c', func: 'mod_callcenter', line: spec.line };
  if (!spec.channel) return sw.events.plain('CUSTOM', { subclass: 'callcenter::info', after: cc, origin });
  const ch = channel ? sw.get(channel) : undefined;
  if (!ch) throw new RangeError(`${action} carries the ${spec.channel} channel's data: pass a live ${spec.channel} uuid`);
  // §2.4: the CC-* headers come after the channel data and variables (CUSTOM carries variables, §2.2).
  return sw.events.channel(ch, 'CUSTOM', { subclass: 'callcenter::info', after: cc, origin });
}
