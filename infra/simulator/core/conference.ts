// mod_conference subset: rooms, members, CUSTOM conference::maintenance events, and the `conference` API verbs.
import type { RunningApp } from '../channels/channel.ts';
import type { FsHeader } from '../events/fs-event.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';

interface Member {
  id: number;
  ch: SimChannel;
  leave: () => void;
}

interface Room {
  name: string;
  domain: string;
  profile: string;
  uuid: string;
  nextId: number;
  members: Map<number, Member>;
}

const roomsBySwitch = new WeakMap<SimSwitch, Map<string, Room>>();

function rooms(sw: SimSwitch): Map<string, Room> {
  let r = roomsBySwitch.get(sw);
  if (!r) {
    r = new Map();
    roomsBySwitch.set(sw, r);
  }
  return r;
}

function fireMaintenance(sw: SimSwitch, room: Room, member: Member, action: string): void {
  const before: FsHeader[] = [
    ['Conference-Name', room.name],
    ['Conference-Domain', room.domain],
    ['Conference-Size', String(room.members.size)],
    ['Conference-Ghosts', '0'],
    ['Conference-Profile-Name', room.profile],
    ['Conference-Unique-ID', room.uuid],
  ];
  const after: FsHeader[] = [
    ['Floor', String(room.members.size === 1)],
    ['Video', 'false'],
    ['Hear', 'true'],
    ['See', 'true'],
    ['Speak', 'true'],
    ['Talking', 'false'],
    ['Mute-Detect', 'false'],
    ['Member-ID', String(member.id)],
    ['Member-Type', 'member'],
    ['Member-Ghost', 'false'],
    ['Energy-Level', '100'],
    ['Current-Energy', '0'],
    ['Action', action],
  ];
  sw.emit(member.ch, 'CUSTOM', { subclass: 'conference::maintenance', before, after });
}

/** The `conference` app: `name[@profile][+flags…]`. */
export function joinConference(sw: SimSwitch, ch: SimChannel, data: string, done: (r?: string) => void, app: RunningApp): void {
  const spec = data.split('+')[0] ?? data;
  const [name = 'default', profile = 'default'] = spec.split('@');
  if (!ch.answered) sw.markAnswered(ch);
  const all = rooms(sw);
  let room = all.get(name);
  const created = !room;
  if (!room) {
    room = { name, domain: sw.identity.hostname, profile, uuid: sw.random.uuid(), nextId: 1, members: new Map() };
    all.set(name, room);
  }
  const r = room;
  let left = false;
  const member: Member = {
    id: r.nextId++,
    ch,
    leave: () => {
      if (left) return;
      left = true;
      ch.onDown.delete(member.leave);
      r.members.delete(member.id);
      fireMaintenance(sw, r, member, 'del-member');
      if (r.members.size === 0) {
        fireMaintenance(sw, r, member, 'conference-destroy');
        all.delete(r.name);
      }
      done();
    },
  };
  r.members.set(member.id, member);
  if (created) fireMaintenance(sw, r, member, 'conference-create');
  fireMaintenance(sw, r, member, 'add-member');
  ch.onDown.add(member.leave);
  app.interrupt = member.leave;
}

/** `conference list` / `conference <name> list`: one line per member, `id;name;uuid;cid_name;cid_num;flags;0;0;100`. */
export function conferenceList(sw: SimSwitch, name?: string): string {
  const out: string[] = [];
  for (const room of rooms(sw).values()) {
    if (name && room.name !== name) continue;
    if (!name) out.push(`+OK Conference ${room.name} (${room.members.size} member${room.members.size === 1 ? '' : 's'} rate: 8000 flags: running|answered|enforce_min|dynamic|exit_sound|enter_sound)`);
    for (const m of room.members.values()) {
      out.push(`${m.id};${m.ch.name};${m.ch.uuid};${m.ch.profile.callerIdName};${m.ch.profile.callerIdNumber};hear|speak;0;0;100`);
    }
  }
  if (name && !rooms(sw).has(name)) return `-ERR Conference ${name} not found\n`;
  if (out.length === 0) return '+OK No active conferences.\n';
  return out.join('\n') + '\n';
}

/** `conference <name> kick|hup <id|all|last>`: the member leaves (kick) or is hung up (hup). */
export function conferenceRemove(sw: SimSwitch, name: string, verb: 'kick' | 'hup', which: string): string {
  const room = rooms(sw).get(name);
  if (!room) return `-ERR Conference ${name} not found\n`;
  const members = [...room.members.values()];
  const chosen = which === 'all' ? members : which === 'last' ? members.slice(-1) : members.filter((m) => String(m.id) === which);
  if (chosen.length === 0) return `-ERR Non-Existant ID ${which}\n`;
  for (const m of chosen) {
    // kick ends the conference app (the member's dialplan then goes on); hup hangs the member up.
    if (verb === 'hup') sw.hangup(m.ch, 'NORMAL_CLEARING');
    else m.leave();
  }
  return `+OK ${verb} ${chosen.map((m) => m.id).join(',')}\n`;
}
