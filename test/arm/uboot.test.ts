/** Debian's U-Boot for QEMU's virt boots to its prompt and answers commands (issue 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Guest, UBOOT_ARM, ubootPrompt } from '../helpers/guest.js';

test('U-Boot qemu_arm: banner, prompt, version, device tree in RAM, reset exits 0', { skip: !existsSync(UBOOT_ARM) && 'u-boot-qemu not installed' }, async () => {
  const g = new Guest(['-M', 'arm-virt', '-m', '256', '-nographic', '-bios', UBOOT_ARM, '-no-reboot']);
  try {
    await g.waitFor('U-Boot 2023.01');
    let at = await ubootPrompt(g);
    g.send('version\r');
    at = await g.waitFor(/=> $/m, 60_000, await g.waitFor('U-Boot 2023.01', 60_000, at));
    g.send('md.l 0x40000000 1\r');
    at = await g.waitFor('40000000: edfe0dd0', 60_000, at);
    await g.waitFor('=> ', 60_000, at);
    g.send('reset\r');
    assert.equal(await g.exit, 0);
    assert.match(g.out, /resetting \.\.\./);
  } finally {
    g.kill();
  }
});
