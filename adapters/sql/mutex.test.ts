import { describe, expect, it } from 'vitest';
import { Mutex } from './mutex.ts';

describe('Mutex', () => {
  it('Given several waiters, Then they hold the lock one at a time, in arrival order', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const worker = async (name: string, ticks: number) => {
      const release = await mutex.lock();
      log.push(`${name}+`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      log.push(`${name}-`);
      release();
    };
    await Promise.all([worker('a', 5), worker('b', 1), worker('c', 3)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });

  it('Given a holder that releases twice, Then the second release changes nothing', async () => {
    const mutex = new Mutex();
    const first = await mutex.lock();
    first();
    first();
    const second = await mutex.lock();
    let thirdHeld = false;
    const third = mutex.lock().then((release) => {
      thirdHeld = true;
      return release;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(thirdHeld).toBe(false);
    second();
    (await third)();
    expect(thirdHeld).toBe(true);
  });
});
