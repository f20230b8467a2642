import { describe, expect, it } from 'vitest';
import { fanInStagesOf, fanOutStagesOf, resolveStage, stageRolesOf } from '../../../harness/scenario/stage-roles.js';
import { thrown as configError } from '../../support/thrown.js';

const CONSTITUTIONAL = {
  name: 'constitutional_analysis',
  stages: [
    { name: 'pre_test', width: 1 },
    { name: 'analyse_batch', width: 'dynamic' },
    { name: 'corpus_synthesis', width: 1 },
    { name: 'review', width: 2 },
    { name: 'moderation', width: 1 },
  ],
} as const;

/** No dynamic stage: the widest static one is the widest fan-out; a wide stage after a wide one is a fan-in too. */
const STATIC = {
  name: 'static_pipe',
  stages: [
    { name: 'split', width: 1 },
    { name: 'map', width: 8 },
    { name: 'shuffle', width: 3 },
    { name: 'reduce', width: 1 },
  ],
} as const;

const LINEAR = { name: 'linear', stages: [{ name: 'a', width: 1 }, { name: 'b', width: 1 }] } as const;


describe('stage roles', () => {
  it('resolve against the constitutional pipeline', () => {
    expect(stageRolesOf(CONSTITUTIONAL)).toEqual({
      first: 'pre_test', last: 'moderation', widestFanOut: 'analyse_batch', fanIn: 'corpus_synthesis', 'fanIn:2': 'moderation',
    });
    expect(resolveStage(CONSTITUTIONAL, 'fanIn:1')).toBe('corpus_synthesis');
    expect(fanInStagesOf(CONSTITUTIONAL)).toEqual(['corpus_synthesis', 'moderation']);
    expect(fanOutStagesOf(CONSTITUTIONAL)).toEqual(['analyse_batch', 'review']);
  });

  it('resolve against a static pipeline: the widest static stage, every stage after a wide one is a fan-in', () => {
    expect(stageRolesOf(STATIC)).toEqual({ first: 'split', last: 'reduce', widestFanOut: 'map', fanIn: 'shuffle', 'fanIn:2': 'reduce' });
    expect(fanInStagesOf(STATIC)).toEqual(['shuffle', 'reduce']);
  });

  it('a literal stage name of the spec is itself, even where a role would mean another stage', () => {
    expect(resolveStage(CONSTITUTIONAL, 'review')).toBe('review');
    expect(resolveStage(STATIC, 'map')).toBe('map');
  });

  it('an unknown role is a ConfigError naming the known roles', () => {
    const err = configError(() => resolveStage(CONSTITUTIONAL, 'analyse'));
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.message).toBe('unknown stage role "analyse"; known stage roles: first (pre_test), last (moderation), widestFanOut (analyse_batch), fanIn (corpus_synthesis), fanIn:2 (moderation); or a stage name of pipeline constitutional_analysis: pre_test, analyse_batch, corpus_synthesis, review, moderation');
    expect(err.context.roles).toEqual(['first', 'last', 'widestFanOut', 'fanIn', 'fanIn:2']);
  });

  it('a fan-in the pipeline does not have is a ConfigError', () => {
    expect(configError(() => resolveStage(CONSTITUTIONAL, 'fanIn:3')).message).toMatch(/^stage role "fanIn:3": the pipeline has 2 fan-in stages; known stage roles: first/);
    expect(configError(() => resolveStage(LINEAR, 'fanIn')).code).toBe('INVALID_CONFIG');
    expect(fanInStagesOf(LINEAR)).toEqual([]);
    expect(resolveStage(LINEAR, 'widestFanOut')).toBe('a');
  });
});
