/**
 * Fault parameters are data checked when the scenario loads: each fault declares a strict zod
 * object, so an unknown parameter (a typo) is a ConfigError naming the parameter and the
 * fault, and a missing one gets its documented default instead of a silent fallback.
 * A `stage` parameter names a stage by role (see harness/scenario/stage-roles.ts).
 */
import { z } from 'zod';
import { ConfigError } from '../../src/index.js';
import type { Fault } from './types.js';

/** A stage reference (role or name), defaulting to `role`. */
export const stageRef = (role: string) => z.string().min(1).default(role);
/** A duration in ms, defaulting to `ms`. */
export const durationMs = (ms: number) => z.number().int().min(0).default(ms);
/** No parameters at all. */
export const noParams = z.object({}).strict();

function keysOf(schema: unknown): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
}

/** The fault's parameters parsed (defaults filled); a ConfigError naming the parameter and the fault otherwise. */
export function parseFaultParams(fault: Fault, params: unknown): Record<string, unknown> {
  const r = fault.params.safeParse(params ?? {});
  if (r.success) return r.data;
  const known = keysOf(fault.params);
  const problems = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      const keys = i.keys.map((k) => `"${k}"`).join(', ');
      return `unknown parameter${i.keys.length === 1 ? '' : 's'} ${keys}${i.path.length ? ` in ${i.path.join('.')}` : ''}`;
    }
    return `parameter ${i.path.join('.') || '(params)'}: ${i.message}`;
  });
  const accepted = known.length ? `its parameters: ${known.join(', ')}` : 'it takes no parameters';
  throw new ConfigError(`fault "${fault.name}": ${problems.join('; ')} (${accepted})`, { fault: fault.name, problems, known });
}
