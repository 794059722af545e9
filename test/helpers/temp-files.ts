/**
 * Files a test writes for one run (machine YAML, images): a temp folder
 * removed after the test file, and a writer that names files in order.
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempFiles(prefix: string, ext = '.yaml'): { dir: string; write: (text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    write(text: string): string {
      const file = join(dir, `m${n++}${ext}`);
      writeFileSync(file, text);
      return file;
    },
  };
}
