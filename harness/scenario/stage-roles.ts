/**
 * Stage roles: scenarios, faults and checkers name stages by what they are in the pipeline
 * spec, never by name, so a scenario runs against any pipeline.
 *
 *   first         the first stage
 *   last          the last stage
 *   widestFanOut  the first dynamic stage; without one, the stage of largest static width
 *   fanIn         the first stage that joins several tasks: the first stage after a stage of
 *                 width > 1 or dynamic; `fanIn:2` the second, and so on
 *
 * A literal stage name that exists in the spec is accepted as itself. Anything else is a
 * ConfigError naming the known roles.
 */
import { ConfigError } from '../../src/index.js';

export const STAGE_ROLES = ['first', 'last', 'widestFanOut', 'fanIn'] as const;
export type StageRole = (typeof STAGE_ROLES)[number];

/** What roles need of a pipeline spec (a PipelineSpec is one). */
export interface StageList {
  readonly name?: string;
  readonly stages: readonly { readonly name: string; readonly width: number | 'dynamic' }[];
}

const wide = (s: StageList['stages'][number]) => s.width === 'dynamic' || s.width > 1;

/** Stage indexes that join several tasks: each stage right after a stage of width > 1 or dynamic. */
export function fanInIndexesOf(spec: StageList): number[] {
  const out: number[] = [];
  for (let i = 1; i < spec.stages.length; i++) if (wide(spec.stages[i - 1])) out.push(i);
  return out;
}

/** Names of the stages that join several tasks (the fan-ins), in pipeline order. */
export function fanInStagesOf(spec: StageList): string[] {
  return fanInIndexesOf(spec).map((i) => spec.stages[i].name);
}

/** Names of the stages of width > 1 or dynamic (the fan-outs), in pipeline order. */
export function fanOutStagesOf(spec: StageList): string[] {
  return spec.stages.filter(wide).map((s) => s.name);
}

/** The first dynamic stage, else the first stage of the largest static width. */
function widestFanOutIndex(spec: StageList): number {
  const dynamic = spec.stages.findIndex((s) => s.width === 'dynamic');
  if (dynamic >= 0) return dynamic;
  let best = 0;
  spec.stages.forEach((s, i) => {
    if ((s.width as number) > (spec.stages[best].width as number)) best = i;
  });
  return best;
}

/** What each role resolves to in this spec (for messages and docs). */
export function stageRolesOf(spec: StageList): Record<string, string> {
  const out: Record<string, string> = {
    first: spec.stages[0].name,
    last: spec.stages[spec.stages.length - 1].name,
    widestFanOut: spec.stages[widestFanOutIndex(spec)].name,
  };
  fanInIndexesOf(spec).forEach((si, n) => {
    out[n === 0 ? 'fanIn' : `fanIn:${n + 1}`] = spec.stages[si].name;
  });
  return out;
}

function unknownRole(spec: StageList, ref: string, why: string): ConfigError {
  const roles = stageRolesOf(spec);
  const known = Object.entries(roles).map(([role, name]) => `${role} (${name})`).join(', ');
  return new ConfigError(
    `${why}; known stage roles: ${known}; or a stage name of ${spec.name ? `pipeline ${spec.name}` : 'the pipeline'}: ${spec.stages.map((s) => s.name).join(', ')}`,
    { stage: ref, roles: Object.keys(roles), stages: spec.stages.map((s) => s.name) },
  );
}

const FAN_IN_RE = /^fanIn(?::(\d+))?$/;

/** The stage index a role (or a literal stage name of the spec) names. */
export function resolveStageIndex(spec: StageList, ref: string): number {
  const byName = spec.stages.findIndex((s) => s.name === ref);
  if (byName >= 0) return byName;
  if (ref === 'first') return 0;
  if (ref === 'last') return spec.stages.length - 1;
  if (ref === 'widestFanOut') return widestFanOutIndex(spec);
  const m = FAN_IN_RE.exec(ref);
  if (m) {
    const n = m[1] === undefined ? 1 : Number(m[1]);
    const fanIns = fanInIndexesOf(spec);
    if (n >= 1 && n <= fanIns.length) return fanIns[n - 1];
    throw unknownRole(spec, ref, `stage role "${ref}": the pipeline has ${fanIns.length} fan-in stage${fanIns.length === 1 ? '' : 's'}`);
  }
  throw unknownRole(spec, ref, `unknown stage role "${ref}"`);
}

/** The stage name a role (or a literal stage name of the spec) names. */
export function resolveStage(spec: StageList, ref: string): string {
  return spec.stages[resolveStageIndex(spec, ref)].name;
}
