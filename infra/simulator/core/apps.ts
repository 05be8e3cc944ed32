// Dialplan applications the simulator runs (mod_dptools subset), each firing FreeSWITCH's events for it.
import type { RunningApp } from '../channels/channel.ts';
import { setVariable } from '../channels/channel.ts';
import { normalizeCause } from '../channels/hangup-causes.ts';
import type { SimChannel, SimSwitch } from './sim-switch.ts';
import { joinConference } from './conference.ts';
import { ringGroups } from './originate.ts';
import { parseOriginate } from './originate-request.ts';

/** DIALSTATUS for an originate failure cause (ORG:4060-4080). */
function dialStatus(cause: string): string {
  if (cause === 'USER_BUSY') return 'BUSY';
  if (cause === 'NO_ANSWER' || cause === 'NO_USER_RESPONSE') return 'NOANSWER';
  if (cause === 'ORIGINATOR_CANCEL') return 'CANCEL';
  return 'CHANUNAVAIL';
}

/** bridge <dialstring>: rings the legs with this channel's caller id, bridges the first to answer (A stays in the app). */
const bridge: AppHandler = (sw, ch, data, done, app) => {
  const req = parseOriginate(`${data} &park()`);
  if (!req) {
    setVariable(ch, 'originate_disposition', 'INVALIDARGS');
    setVariable(ch, 'DIALSTATUS', 'INVALIDARGS');
    done();
    return;
  }
  let over = false;
  const finish = (): void => {
    if (over) return;
    over = true;
    done();
  };
  const ringing = ringGroups(sw, req, ch, (o) => {
    if (over || sw.isDown(ch)) {
      if (o.ok) sw.hangup(o.ch, 'ORIGINATOR_CANCEL');
      return;
    }
    if (!o.ok) {
      setVariable(ch, 'originate_disposition', o.cause);
      setVariable(ch, 'DIALSTATUS', dialStatus(o.cause));
      finish();
      return;
    }
    setVariable(ch, 'originate_disposition', 'SUCCESS');
    setVariable(ch, 'DIALSTATUS', 'SUCCESS');
    if (!ch.answered) sw.markAnswered(ch);
    sw.linkBridge(ch, o.ch, finish, { originated: true });
  });
  app.interrupt = () => {
    ringing.cancel('ORIGINATOR_CANCEL');
    ch.bridgeEnd = undefined;
    finish();
  };
};

/** Runs an app; calls `done(response)` when it returns. Sets `app.interrupt` if it can be stopped early. */
export type AppHandler = (sw: SimSwitch, ch: SimChannel, data: string, done: (response?: string) => void, app: RunningApp) => void;

const park: AppHandler = (sw, ch, _data, done, app) => {
  ch.parked = { appUuid: app.uuid };
  sw.emit(ch, 'CHANNEL_PARK');
  app.interrupt = () => {
    if (ch.parked?.appUuid === app.uuid) {
      ch.parked = undefined;
      sw.emit(ch, 'CHANNEL_UNPARK');
    }
    done();
  };
};

const playback: AppHandler = (sw, ch, data, done, app) => {
  const p = sw.play(ch, data, () => done('FILE PLAYED'));
  app.interrupt = () => p.stop();
};

const sleep: AppHandler = (sw, ch, data, done, app) => {
  const t = sw.after(ch, Number(data) || 0, () => done());
  app.interrupt = () => {
    sw.cancel(ch, t);
    done();
  };
};

const setVar: AppHandler = (_sw, ch, data, done) => {
  const eq = data.indexOf('=');
  if (eq > 0) setVariable(ch, data.slice(0, eq), data.slice(eq + 1));
  done();
};

const hangupApp: AppHandler = (sw, ch, data, done) => {
  done();
  sw.hangup(ch, normalizeCause(data || 'NORMAL_CLEARING') ?? 'NORMAL_CLEARING');
};

/**
 * play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var_name> <regexp> [<digit_timeout>]
 * Prompt, DTMF (the first digit breaks the prompt), then the digits in `var_name` on success.
 */
const playAndGetDigits: AppHandler = (sw, ch, data, done, app) => {
  const a = data.split(' ');
  const min = Number(a[0]) || 0;
  const max = Number(a[1]) || 1;
  let tries = Number(a[2]) || 1;
  const timeout = Number(a[3]) || 5000;
  const terminators = a[4] ?? '#';
  const file = a[5] ?? '';
  const invalid = a[6] ?? '';
  const varName = a[7] ?? 'digits';
  const regexp = a[8] ? new RegExp(`^(?:${a[8]})$`) : undefined;
  const digitTimeout = Number(a[9]) || timeout;
  let digits = '';
  let prompt: { stop: () => void } | undefined;
  let timer: ReturnType<SimSwitch['after']> | undefined;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    ch.dtmfListeners.delete(onDigit);
    if (timer) sw.cancel(ch, timer);
    done();
  };
  const judge = (): void => {
    if (timer) sw.cancel(ch, timer);
    timer = undefined;
    const ok = digits.length >= min && (!regexp || regexp.test(digits));
    if (ok) {
      setVariable(ch, varName, digits);
      finish();
      return;
    }
    tries--;
    digits = '';
    if (tries <= 0) {
      finish();
      return;
    }
    if (invalid) prompt = sw.play(ch, invalid, () => { prompt = undefined; startTry(); });
    else startTry();
  };
  const armTimer = (ms: number): void => {
    if (timer) sw.cancel(ch, timer);
    timer = sw.after(ch, ms, judge);
  };
  const onDigit = (d: string): void => {
    if (finished) return;
    if (prompt) {
      const p = prompt;
      prompt = undefined;
      p.stop();
    }
    if (terminators.includes(d)) {
      judge();
      return;
    }
    digits += d;
    if (digits.length >= max) judge();
    else armTimer(digitTimeout);
  };
  const startTry = (): void => {
    if (finished) return;
    prompt = sw.play(ch, file, () => {
      prompt = undefined;
      if (!finished && digits === '') armTimer(timeout);
    });
  };
  ch.dtmfListeners.add(onDigit);
  app.interrupt = () => {
    prompt?.stop();
    finish();
  };
  startTry();
};

/** read <min> <max> <sound_file> <variable_name> <timeout> <terminators>: one try of play_and_get_digits. */
const read: AppHandler = (sw, ch, data, done, app) => {
  const [min = '0', max = '1', file = '', varName = 'read_result', timeout = '5000', terminators = '#'] = data.split(' ');
  playAndGetDigits(sw, ch, [min, max, '1', timeout, terminators, file, '', varName, '', timeout].join(' '), done, app);
};

const recordSession: AppHandler = (sw, ch, data, done) => {
  const [path = '', limit] = data.split(' ');
  sw.startRecording(ch, path, limit ? Number(limit) : undefined);
  done();
};

const stopRecordSession: AppHandler = (sw, ch, data, done) => {
  if (data === 'all') for (const p of [...ch.recordings.keys()]) sw.stopRecording(ch, p);
  else sw.stopRecording(ch, data);
  done();
};

/** Waits until hung up or interrupted (echo, endless apps). */
const waitForever: AppHandler = (_sw, _ch, _data, done, app) => {
  app.interrupt = () => done();
};

/** eavesdrop <uuid>: MEDIA_BUG_START on the target; ends when either side goes away. */
const eavesdrop: AppHandler = (sw, ch, data, done, app) => {
  const target = sw.get(data.trim());
  if (!target || sw.isDown(target)) {
    done('_none_');
    return;
  }
  if (!ch.answered) sw.markAnswered(ch);
  const bug = [['Media-Bug-Function', 'eavesdrop'], ['Media-Bug-Target', ch.uuid]] as Array<[string, string]>;
  sw.emit(target, 'MEDIA_BUG_START', { after: bug });
  setVariable(ch, 'eavesdrop_target_uuid', target.uuid);
  let over = false;
  const stop = (): void => {
    if (over) return;
    over = true;
    target.onDown.delete(stop);
    sw.emit(target, 'MEDIA_BUG_STOP', { after: bug });
    done();
  };
  target.onDown.add(stop);
  app.interrupt = stop;
};

const answer: AppHandler = (sw, ch, _d, done) => {
  sw.markAnswered(ch);
  done();
};

const preAnswer: AppHandler = (sw, ch, _d, done) => {
  sw.markPreAnswered(ch);
  done();
};

const ringReady: AppHandler = (sw, ch, _d, done) => {
  sw.markRingReady(ch);
  done();
};

const transferApp: AppHandler = (sw, ch, data, done) => {
  const [exten = '', dialplan = 'XML', context = 'default'] = data.split(' ');
  done();
  sw.transfer(ch, exten, dialplan, context);
};

const conference: AppHandler = (sw, ch, data, done, app) => joinConference(sw, ch, data, done, app);

/** Apps by lowercase name. */
export const appHandlers: ReadonlyMap<string, AppHandler> = new Map<string, AppHandler>([
  ['answer', answer],
  ['pre_answer', preAnswer],
  ['ring_ready', ringReady],
  ['park', park],
  ['playback', playback],
  ['sleep', sleep],
  ['set', setVar],
  ['export', setVar],
  ['hangup', hangupApp],
  ['play_and_get_digits', playAndGetDigits],
  ['read', read],
  ['record_session', recordSession],
  ['stop_record_session', stopRecordSession],
  ['echo', waitForever],
  ['eavesdrop', eavesdrop],
  ['conference', conference],
  ['transfer', transferApp],
  ['bridge', bridge],
]);
