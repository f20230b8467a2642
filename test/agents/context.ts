import type { TaskContext } from '../../src/pipeline/types.js';

/** A TaskContext for calling one handler directly in a test. */
export function makeCtx(overrides: Partial<TaskContext> & Pick<TaskContext, 'stage' | 'inputs'>): TaskContext {
  const inputs = overrides.inputs;
  return {
    experimentId: 'test',
    index: 0,
    width: 1,
    attempt: 1,
    params: {},
    inputHashes: inputs.map((_, i) => `hash-${i}`),
    missing: [],
    expectedInputs: inputs.length,
    load: async (hash: string) => {
      throw new Error(`unexpected load(${hash})`);
    },
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The error code a (possibly async) call fails with. */
export async function failureCode(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return (err as { code?: string }).code ?? 'no code';
  }
  return undefined;
}
