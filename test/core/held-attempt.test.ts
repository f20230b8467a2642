/** HeldAttempt: an attempt's controller whose AbortSignal is made only when asked for. */
import { describe, expect, it } from 'vitest';
import { FaninError } from '../../src/errors.js';
import { HeldAttempt } from '../../src/worker/run-handler.js';

describe('HeldAttempt', () => {
  it('a signal asked for after the abort is already aborted, with the reason', () => {
    const a = new HeldAttempt(Date.now(), 1000);
    const why = new FaninError('CANCELLED', 'experiment ended');
    a.abort(why);
    a.abort(new Error('second abort ignored'));
    expect(a.aborted).toBe(true);
    expect(a.signal.aborted).toBe(true);
    expect(a.signal.reason).toBe(why);
  });

  it('a signal asked for before the abort fires its listeners once, as an AbortController\'s would', () => {
    const a = new HeldAttempt(Date.now(), 1000);
    const seen: unknown[] = [];
    a.signal.addEventListener('abort', () => seen.push(a.signal.reason));
    expect(a.signal.aborted).toBe(false);
    a.abort('lease lost');
    a.abort('again');
    expect(seen).toEqual(['lease lost']);
  });

  it('onAbort calls each listener once, at once when already aborted; a removed one is not called', () => {
    const a = new HeldAttempt(Date.now(), 1000);
    const calls: string[] = [];
    a.onAbort(() => calls.push('kept'));
    const remove = a.onAbort(() => calls.push('removed'));
    remove();
    a.abort();
    expect(calls).toEqual(['kept']);
    expect(a.reason).toBeInstanceOf(DOMException);
    a.onAbort(() => calls.push('late'));
    expect(calls).toEqual(['kept', 'late']);
  });

  it('is stale once its last confirmation is older than the freshness window', () => {
    expect(new HeldAttempt(Date.now(), 60_000).stale()).toBe(false);
    expect(new HeldAttempt(Date.now() - 61_000, 60_000).stale()).toBe(true);
  });
});
