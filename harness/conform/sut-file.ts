/**
 * The adapter file `fanin.sut.json` (docs/conformance.md, section 5): validated with a strict
 * zod schema; every problem is a ConfigError (exit 2) naming the file, the JSON path and the fix.
 * Commands are argument arrays; a relative program or argument path is resolved by the OS against
 * the adapter's folder, which is every command's working directory.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../src/index.js';
import { CONTRACT, STAGE_NAMES, type ConformStage } from './workload.js';

const name = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'use 1-40 letters, digits, _ or -');
const command = z.array(z.string().min(1)).min(1, 'a command is an argument array with at least the program');
const env = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names use letters, digits and _'), z.string())
  .refine((e) => !Object.keys(e).some((k) => k.startsWith('FANIN_')), 'FANIN_* variables are set by fanin, not by the adapter')
  .optional();

const processSchema = z
  .object({
    name,
    role: z.enum(['orchestrator', 'worker']),
    stage: z.enum(STAGE_NAMES as [ConformStage, ...ConformStage[]]).optional(),
    replicas: z.number().int().min(1).max(16).default(1),
    command,
    env,
  })
  .strict();

export const sutFileSchema = z
  .object({
    $schema: z.string().optional(),
    contract: z.literal(CONTRACT, { errorMap: () => ({ message: `this fanin implements "${CONTRACT}"` }) }),
    name,
    keyPrefix: z.string().min(1).max(100).regex(/^[^*?[\]\s]+$/, 'no spaces or glob characters'),
    experimentTimeoutMs: z.number().int().min(1000).max(600_000).default(20_000),
    processes: z.array(processSchema).min(1, 'at least one process'),
    submit: z.object({ command, env }).strict(),
    wait: z.object({ command, env }).strict().optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.processes.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: ['processes', i, 'name'], message: `duplicate process name "${p.name}"` });
      seen.add(p.name);
    });
    if (!f.processes.some((p) => p.role === 'worker')) {
      ctx.addIssue({ code: 'custom', path: ['processes'], message: 'no process has role "worker"' });
    }
  });

export type SutFileInput = z.input<typeof sutFileSchema>;
export type SutProcess = z.output<typeof processSchema>;

export interface SutFile extends z.output<typeof sutFileSchema> {
  /** absolute path of the adapter file */
  readonly file: string;
  /** its folder: every command's working directory */
  readonly dir: string;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

/** Validates an adapter already parsed from JSON. ConfigError naming each bad path. */
export function parseSutFile(value: unknown, file: string): SutFile {
  const parsed = sutFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${file} is not a valid adapter file: ${issues(parsed.error)}; fix these fields (docs/conformance.md, section 5)`, {
      file,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const abs = path.resolve(file);
  return { ...parsed.data, file: abs, dir: path.dirname(abs) };
}

/** Reads and validates `fanin.sut.json`. ConfigError (exit 2) when missing, not JSON or invalid. */
export function loadSutFile(file: string): SutFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`--sut ${file}: cannot read the adapter file (${code}); pass the path of a fanin.sut.json`, { file }, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${file} is not JSON (${(cause as Error).message}); the adapter file is one JSON object`, { file }, { cause });
  }
  return parseSutFile(value, file);
}
