/** Facts about OS processes and files a test left behind. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this pid exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every file below `dir`, recursively (entries that vanish meanwhile are skipped). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? filesUnder(p) : [p];
  });
}
