import { FaninError } from '../../src/index.js';

/** The FaninError a call throws (anything else is rethrown; no error fails the test). */
export function thrown(fn: () => unknown): FaninError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FaninError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}
