import { describe, expect, it } from 'vitest';
import { parseTaskData, taskDataSchema } from '../../src/worker/task-data.js';

const valid = { id: 'e/1/0', exp: 'e', stage: 'analyse_batch', si: 1, i: 0, w: 4, in: ['h'], miss: [], ex: 1, a: 1, ma: 3, dl: 1e13, p: {}, ns: 'next', nw: -1 };

describe('parseTaskData (hand-checked fast path, the schema for the rest)', () => {
  it('accepts what the schema accepts, with the attempt timeout defaulted', () => {
    expect(parseTaskData(valid)).toEqual(taskDataSchema.parse(valid));
    expect(parseTaskData({ ...valid, to: 500 }).to).toBe(500);
  });

  it.each([
    ['si', -1], ['w', 0], ['a', 0], ['in', [1]], ['miss', ['x']], ['p', []], ['dl', 'soon'], ['nw', 1.5], ['to', -1], ['id', 7],
  ])('refuses %s = %j with the schema\'s error', (field, value) => {
    const bad = { ...valid, [field]: value };
    expect(() => parseTaskData(bad)).toThrow();
    expect(taskDataSchema.safeParse(bad).success).toBe(false);
  });
});
