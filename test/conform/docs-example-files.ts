/** The files of docs/conformance.md's last section: a `**\`name\`**` line, a blank line, a fenced block. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../harness/cli-helpers.js';

export function exampleFiles(doc = readFileSync(join(ROOT, 'docs/conformance.md'), 'utf8')): Map<string, string> {
  const section = doc.slice(doc.indexOf('## A complete minimal system in Python'));
  const files = new Map<string, string>();
  for (const m of section.matchAll(/\*\*`([^`]+)`\*\*\n\n```[a-z]*\n([\s\S]*?)\n```/g)) files.set(m[1]!, `${m[2]!}\n`);
  return files;
}
