import { openEventStore } from '../../../adapters/event-store/open-event-store.ts';
import { loadConfig } from '../../config/config.ts';

/** `audit verify [--stream <name>]`: walks the hash chains and reports the first broken or missing link. */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') {
    console.error('Usage: ./ledgerline audit verify [--stream <name>]');
    return 2;
  }
  const i = rest.indexOf('--stream');
  const stream = i >= 0 ? rest[i + 1] : undefined;
  if (i >= 0 && !stream) {
    console.error('audit verify: --stream needs a stream name');
    return 2;
  }
  const store = await openEventStore(loadConfig().EVENT_STORE_URL);
  try {
    const report = await store.verifyChain(stream ? { stream } : {});
    if (report.ok) {
      console.log(`chain ok: ${report.streams} stream(s), ${report.events} event(s) verified`);
      return 0;
    }
    console.log(`chain BROKEN at ${report.streamId}@${report.revision}: ${report.problem} (${report.detail}); ${report.events} event(s) verified before it`);
    return 1;
  } finally {
    await store.close();
  }
}
