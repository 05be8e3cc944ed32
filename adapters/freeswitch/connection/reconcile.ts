// After a reconnect: which calls ended while we were away, and which live channels we did not know.

/** The engine's side: channel uuids it believes are live on a switch. */
export interface OpenCallsSource {
  openChannels(switchId: string): Promise<Iterable<string>> | Iterable<string>;
}

/** One row of `show channels as json`, normalised. */
export interface LiveChannel {
  readonly uuid: string;
  readonly direction: 'inbound' | 'outbound' | undefined;
  readonly name: string | undefined;
  readonly state: string | undefined;
  readonly callState: string | undefined;
  readonly callerIdNumber: string | undefined;
  readonly callerIdName: string | undefined;
  readonly destinationNumber: string | undefined;
  readonly callUuid: string | undefined;
  readonly createdEpoch: number | undefined;
  /** Our channel variables (uuid_getvar), when the adapter could read them. */
  readonly ledgerline?: { readonly callId: string | undefined; readonly role: string | undefined; readonly offerId: string | undefined };
}

/** What a reconcile found on one switch. */
export interface ReconcileReport {
  readonly switchId: string;
  readonly coreUuid: string | undefined;
  /** The switch restarted (Core-UUID differs from the previous connection): every believed channel is gone. */
  readonly coreChanged: boolean;
  /** Channels we believed live that the switch no longer has: the engine ends their calls. */
  readonly ended: readonly string[];
  /** Live channels we did not know: the engine adopts them. */
  readonly adopted: readonly LiveChannel[];
  /** Believed and still live. */
  readonly confirmed: readonly string[];
  /** Epoch ms of the snapshot. */
  readonly at: number;
}

/** Compares our open channels with the switch's live channels. Pure. */
export function diffChannels(believed: Iterable<string>, live: readonly LiveChannel[]): { ended: string[]; adopted: LiveChannel[]; confirmed: string[] } {
  const ours = new Set(believed);
  const theirs = new Map(live.map((c) => [c.uuid, c]));
  const ended = [...ours].filter((u) => !theirs.has(u)).sort();
  const confirmed = [...ours].filter((u) => theirs.has(u)).sort();
  const adopted = [...theirs.values()].filter((c) => !ours.has(c.uuid)).sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
  return { ended, adopted, confirmed };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== '_undef_' ? v : undefined);

/**
 * Parses `show channels as json` (`{"row_count":N,"rows":[…]}`; `{"row_count":0}` when empty). Throws on a body that
 * is not that shape (e.g. `-ERR …`), so a failed snapshot never reads as "no channels" (which would end every call).
 */
export function parseShowChannels(body: string): LiveChannel[] {
  const parsed: unknown = JSON.parse(body.trim());
  if (typeof parsed !== 'object' || parsed === null || !('row_count' in parsed)) throw new SyntaxError('not a show channels json body');
  const rows = (parsed as { rows?: unknown }).rows;
  if (rows === undefined) return [];
  if (!Array.isArray(rows)) throw new SyntaxError('rows is not an array');
  const out: LiveChannel[] = [];
  for (const r of rows as Array<Record<string, unknown>>) {
    const uuid = str(r?.uuid);
    if (!uuid) continue;
    const direction = str(r.direction);
    const created = Number(str(r.created_epoch));
    out.push({
      uuid,
      direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
      name: str(r.name),
      state: str(r.state),
      callState: str(r.callstate),
      callerIdNumber: str(r.cid_num),
      callerIdName: str(r.cid_name),
      destinationNumber: str(r.dest),
      callUuid: str(r.call_uuid),
      createdEpoch: Number.isFinite(created) ? created : undefined,
    });
  }
  return out;
}
