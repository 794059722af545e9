/**
 * The fixtures' Linux 6.1 for virt with one of the busybox initramfs images:
 * boot to the init marker and the shell, and check that busybox hashes
 * itself exactly as the host hashes the same file from the archive.
 */
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { FIXTURES, Guest } from './guest.js';
import { cpioFile } from './cpio.js';

export const LINUX_KERNEL = resolve(FIXTURES, 'zImage-arm-virt');

export function linuxArgs(initrd: string): string[] {
  return ['-M', 'virt', '-m', '256', '-kernel', LINUX_KERNEL, '-initrd', initrd, '-nographic', '-no-reboot', '-nic', 'none'];
}

export function haveLinux(initrd: string): boolean { return existsSync(LINUX_KERNEL) && existsSync(initrd); }

/** Boot to the shell and run `busybox sha1sum /bin/busybox`; returns the guest and the output position after it. */
export async function bootToShellAndHashBusybox(initrd: string): Promise<{ g: Guest; at: number }> {
  const g = new Guest([...linuxArgs(initrd), '-append', 'console=ttyAMA0']);
  try {
    await g.waitFor('=== FIXTURE INIT OK: Linux 6.1.192 armv7l ===', 120_000);
    let at = await g.waitFor('/ # ', 60_000);
    g.send('busybox sha1sum /bin/busybox\r');
    const want = createHash('sha1').update(cpioFile(initrd, 'bin/busybox')).digest('hex');
    at = await g.waitFor(`${want}  /bin/busybox`, 120_000, at);
    return { g, at };
  } catch (e) {
    g.kill();
    throw e;
  }
}
