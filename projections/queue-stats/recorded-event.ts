/** Test support: a recorded event of tenant-scoped stream `<category>-<tenant>.<id>` with `tenant` in its metadata. */
import type { RecordedEvent } from '../../adapters/event-store/port.ts';

/** A recorded event as the store would hand it to a projection. */
export function recorded(
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  options: { tenant?: string | null; revision?: bigint; commit?: bigint } = {},
): RecordedEvent {
  const tenant = options.tenant === undefined ? 'acme' : options.tenant;
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type,
    data,
    metadata: tenant === null ? {} : { tenant },
    streamId,
    revision: options.revision ?? 0n,
    position: { commit: options.commit ?? 10n, prepare: options.commit ?? 10n },
    created: new Date('2026-11-22T10:00:00Z'),
    chain: { prev: '0'.repeat(64), hash: '1'.repeat(64) },
  };
}
