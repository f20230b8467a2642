import type { ZodIssue } from 'zod';

/** Renders a zod issue path like `dimensions[2].lexicon.for[0].weight`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(root)' : out;
}

/** One line per issue: `<path>: <message>`, in zod's (deterministic) order. */
export function formatIssues(issues: readonly ZodIssue[]): string[] {
  return issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
}
