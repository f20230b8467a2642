/**
 * The `--steps` module of a variant's worker processes (`fanin worker --steps <this file>`):
 * exports the steps of the variant named by FANIN_VARIANT (a name in FANIN_VARIANT_DIR, default
 * fixtures/variants, or a path), so a variant's worker process is the core's worker process
 * with those steps replaced — killed, paused and restarted like any other.
 */
import { ConfigError, type StepOverrides } from '../../src/index.js';
import { loadVariant } from './variant.js';

const ref = process.env.FANIN_VARIANT;
if (!ref) throw new ConfigError('variant-steps.ts needs FANIN_VARIANT (the variant\'s name or path) in the environment');
const variant = await loadVariant(ref, process.env.FANIN_VARIANT_DIR || undefined);
if (!variant.worker) throw new ConfigError(`variant ${variant.name} replaces no worker step`, { variant: variant.name });

export const steps: StepOverrides = variant.worker;
