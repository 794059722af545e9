/** Loading a boot image (bios, kernel, initrd, dtb) with the error a person reads when it is missing. */
import { readFileSync } from 'node:fs';
import { ConfigError } from './config.js';

export function readImage(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(`tsemu: could not load ${what} '${path}': ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}
