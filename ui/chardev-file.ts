/**
 * QEMU's `file:PATH` chardev: guest output goes to the file (created or
 * truncated at start); there is no input.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { ConfigError } from '../machines/config.js';
import type { CharBackend } from './chardev.js';

export class FileChar implements CharBackend {
  private fd: number;
  constructor(readonly path: string, what = `file:${path}`) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new ConfigError(`tsemu: ${what}: Could not open '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`);
    }
  }
  write(b: Uint8Array): void { if (this.fd >= 0) writeSync(this.fd, b); }
  setReceiver(): void {}
  close(): void { if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; } }
}
