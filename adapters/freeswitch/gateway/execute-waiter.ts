// Awaits the CHANNEL_EXECUTE_COMPLETE of an app we queued with sendmsg and our own Event-UUID (modesl's execute()
// is not used: its replies shift modesl's FIFO). Feed it every fact of the switch connection.
import { LedgerlineError } from '../../../domain/errors/ledgerline-error.ts';
import type { SwitchFact } from '../translator/switch-facts.ts';

export type ExecuteComplete = Extract<SwitchFact, { kind: 'execute_complete' }>;

/** Matches execute-complete facts to waiting callers by Application-UUID; a hangup of the channel rejects its waiters. */
export class ExecuteWaiter {
  private readonly waiting = new Map<string, { channelUuid: string; resolve: (f: ExecuteComplete) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout }>();

  /** Pass every fact of the connection here. */
  feed(fact: SwitchFact): void {
    if (fact.kind === 'execute_complete' && fact.applicationUuid) {
      const w = this.waiting.get(fact.applicationUuid);
      if (w) {
        this.waiting.delete(fact.applicationUuid);
        clearTimeout(w.timer);
        w.resolve(fact);
      }
    } else if (fact.kind === 'channel_hangup_complete' || fact.kind === 'channel_destroyed') {
      for (const [id, w] of this.waiting) {
        if (w.channelUuid !== fact.channel.uuid) continue;
        this.waiting.delete(id);
        clearTimeout(w.timer);
        w.reject(new LedgerlineError('ESL_NO_SUCH_CHANNEL', 'The channel hung up before the application completed', { channelUuid: w.channelUuid, applicationUuid: id }));
      }
    }
  }

  /** Resolves with the CHANNEL_EXECUTE_COMPLETE whose Application-UUID is `eventUuid`. Register before sending. */
  wait(channelUuid: string, eventUuid: string, timeoutMs: number): Promise<ExecuteComplete> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(eventUuid);
        reject(new LedgerlineError('ESL_TIMEOUT', `No CHANNEL_EXECUTE_COMPLETE in ${timeoutMs} ms`, { channelUuid, applicationUuid: eventUuid, timeoutMs }));
      }, timeoutMs);
      this.waiting.set(eventUuid, { channelUuid, resolve, reject, timer });
    });
  }

  /** Rejects every waiter (connection lost). */
  rejectAll(error: unknown): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.waiting.clear();
  }
}
