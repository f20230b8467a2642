/**
 * Toxic specs, shaped like Toxiproxy's JSON (`{ type, name?, stream, toxicity?, attributes }`),
 * validated with zod. Anything unusable is a ConfigError naming the toxic type and the
 * offending field.
 */
import { z } from 'zod';
import { ConfigError } from '../../../src/index.js';
import type { StreamDirection, ToxicContext, ToxicDefinition, ToxicInstance } from './toxic.js';
import { isToxicType, toxicDefinitions, toxicTypes, type ToxicDefinitions, type ToxicType } from './toxics/index.js';

type AttributesIn<T extends ToxicType> = z.input<ToxicDefinitions[T]['attributes']>;
type AttributesOut<T extends ToxicType> = z.output<ToxicDefinitions[T]['attributes']>;

/** A toxic as a caller writes it. */
export type ToxicSpec = {
  [T in ToxicType]: {
    type: T;
    /** Unique per proxy; default `${type}_${stream}` (Toxiproxy's default). */
    name?: string;
    /** Default 'downstream' (Toxiproxy's default). */
    stream?: StreamDirection;
    /** Probability (0..1) that the toxic applies to a given connection; default 1. */
    toxicity?: number;
    attributes: AttributesIn<T>;
  };
}[ToxicType];

/** A validated spec with every default filled in. */
export type ResolvedToxic = {
  [T in ToxicType]: {
    type: T;
    name: string;
    stream: StreamDirection;
    toxicity: number;
    attributes: AttributesOut<T>;
  };
}[ToxicType];

const envelopeSchema = z
  .object({
    type: z.string(),
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.:-]+$/, 'toxic names use letters, digits, _ . : -')
      .optional(),
    stream: z.enum(['upstream', 'downstream']).default('downstream'),
    toxicity: z.number().min(0).max(1).default(1),
    attributes: z.unknown().optional(),
  })
  .strict();

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validates a spec and fills in defaults; ConfigError (naming type and field) when unusable. */
export function parseToxicSpec(input: unknown): ResolvedToxic {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConfigError('a toxic spec must be an object { type, stream, attributes, name?, toxicity? }', { spec: input });
  }
  const type = (input as { type?: unknown }).type;
  if (!isToxicType(type)) {
    throw new ConfigError(`unknown toxic type ${JSON.stringify(type)}; expected one of: ${toxicTypes.join(', ')}`, {
      type,
      known: toxicTypes,
    });
  }
  const envelope = envelopeSchema.safeParse(input);
  if (!envelope.success) {
    const issues = describeIssues(envelope.error, '');
    throw new ConfigError(`invalid ${type} toxic: ${issues}`, { type, issues });
  }
  const definition = toxicDefinitions[type] as ToxicDefinition;
  const attributes = definition.attributes.safeParse(envelope.data.attributes ?? {});
  if (!attributes.success) {
    const issues = describeIssues(attributes.error, 'attributes');
    throw new ConfigError(`invalid ${type} toxic: ${issues}`, { type, issues });
  }
  const { stream, toxicity } = envelope.data;
  return {
    type,
    name: envelope.data.name ?? `${type}_${stream}`,
    stream,
    toxicity,
    attributes: attributes.data,
  } as ResolvedToxic;
}

/** Builds the per-connection instance of a validated toxic. */
export function createToxicInstance(toxic: ResolvedToxic, ctx: ToxicContext): ToxicInstance {
  return (toxicDefinitions[toxic.type] as ToxicDefinition).create(toxic.attributes, ctx);
}
