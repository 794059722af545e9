import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeviceTree, parseFdt, type FdtNode } from '../../machines/fdt.js';
import { machineFile } from '../../machines/index.js';
import { loadMachine } from '../../machines/schema.js';
import { virtDtb } from '../../machines/virt-dtb.js';
import { attachDrive } from '../../machines/drives.js';

const hasDtc = spawnSync('dtc', ['--version']).status === 0;
const FIXTURES = [fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url)), '/work/shared/fixtures']
  .find((d) => existsSync(join(d, 'dtb')));
const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsemu-fdt-'));
  temps.push(d);
  return d;
}
const virt = () => loadMachine(machineFile('arm-virt')!);
const BOOT = { bootargs: 'console=ttyAMA0', initrd: { start: 0x48000000, end: 0x480f2e84 } };

test('writer round-trips every property kind, reservations and boot cpu', () => {
  const dt = new DeviceTree();
  dt.reserve(0x40000000, 0x1000);
  dt.bootCpuId = 1;
  const n = dt.root.child('node@1');
  n.u32('one', 7).u32('many', 1, 2, 3).u64('big', 0x1_2345_6789n).string('s', 'hello')
    .strings('list', ['a', 'bc']).empty('flag').sizedCells('reg', [2, 0x40000000], [1, 0x100]);
  const p = dt.allocPhandle();
  n.child('sub').u32('phandle', p);
  const blob = dt.toBlob();
  const view = new DataView(blob.buffer);
  assert.equal(view.getUint32(0), 0xd00dfeed);
  assert.equal(view.getUint32(4), blob.length);
  assert.equal(view.getUint32(20), 17);

  const back = parseFdt(blob);
  assert.deepEqual(back.reservations, [{ address: 0x40000000n, size: 0x1000n }]);
  assert.equal(back.bootCpuId, 1);
  const m = back.find('/node@1')!;
  assert.equal(m.getU32('one'), 7);
  assert.deepEqual(m.getU32s('many'), [1, 2, 3]);
  assert.equal(m.getU64('big'), 0x1_2345_6789n);
  assert.equal(m.getString('s'), 'hello');
  assert.deepEqual(m.getStrings('list'), ['a', 'bc']);
  assert.equal(m.prop('flag')?.length, 0);
  assert.deepEqual(m.getU32s('reg'), [0, 0x40000000, 0x100]);
  assert.equal(back.find('/node/sub')?.getU32('phandle'), 0x8000);
  assert.deepEqual(back.toBlob(), blob);
});

test('parseFdt refuses what is not a DTB', () => {
  assert.throws(() => parseFdt(new Uint8Array(64)), /bad magic/);
  const blob = new DeviceTree().toBlob();
  assert.throws(() => parseFdt(blob.subarray(0, blob.length - 8)), /header says/);
});

test('virt DTB: magic, /memory, /chosen, interrupts, phandles', () => {
  const blob = virtDtb(virt(), BOOT);
  assert.equal(new DataView(blob.buffer).getUint32(0), 0xd00dfeed);
  const dt = parseFdt(blob);
  const root = dt.root;
  assert.deepEqual(root.getStrings('compatible'), ['linux,dummy-virt']);
  assert.equal(root.getU32('#address-cells'), 2);
  assert.equal(root.getU32('#size-cells'), 2);
  assert.deepEqual(dt.find('/memory@40000000')?.getU32s('reg'), [0, 0x40000000, 0, 0x10000000]);
  const chosen = dt.find('/chosen')!;
  assert.equal(chosen.getString('bootargs'), 'console=ttyAMA0');
  assert.equal(chosen.getU32('linux,initrd-start'), 0x48000000);
  assert.equal(chosen.getU32('linux,initrd-end'), 0x480f2e84);
  assert.equal(chosen.getString('stdout-path'), '/pl011@9000000');
  assert.deepEqual(dt.find('/pl011@9000000')?.getU32s('interrupts'), [0, 1, 4]);
  assert.deepEqual(dt.find('/timer')?.getU32s('interrupts'), [1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104]);
  assert.equal(root.getU32('interrupt-parent'), 0x8002);
  assert.equal(dt.find('/intc@8000000')?.getU32('phandle'), 0x8002);
  assert.equal(dt.find('/apb-pclk')?.getU32('phandle'), 0x8000);
  assert.deepEqual(dt.find('/flash@0')?.getU32s('reg'), [0, 0, 0, 0x4000000, 0, 0x4000000, 0, 0x4000000]);
  assert.equal(dt.find('/psci')?.getString('method'), 'hvc');
  assert.equal(dt.find('/cpus/cpu@0')?.prop('enable-method'), undefined);
  assert.equal(dt.find('/fw-cfg'), undefined);
  assert.equal(dt.find('/chosen/bootargs'), undefined);
});

test('virt DTB without a kernel has no bootargs or initrd', () => {
  const chosen = parseFdt(virtDtb(virt())).find('/chosen')!;
  assert.deepEqual(chosen.props.map((p) => p.name), ['stdout-path']);
});

test('virt DTB with 2 CPUs and virtio transports', () => {
  const cfg = virt();
  cfg.cpu.count = 2;
  // A disk takes the top transport; its node is the same as an empty one's.
  assert.ok(attachDrive(cfg, { file: '/dev/null', format: 'raw', readonly: false, snapshot: false }));
  const dt = parseFdt(virtDtb(cfg));
  // QEMU numbers CPUs' phandles from the last CPU down, then the GIC.
  assert.equal(dt.find('/cpus/cpu@1')?.getU32('phandle'), 0x8001);
  assert.equal(dt.find('/cpus/cpu@0')?.getU32('phandle'), 0x8002);
  assert.equal(dt.find('/cpus/cpu-map/socket0/cluster0/core0')?.getU32('cpu'), 0x8002);
  assert.equal(dt.find('/intc@8000000')?.getU32('phandle'), 0x8003);
  assert.equal(dt.find('/cpus/cpu@1')?.getString('enable-method'), 'psci');
  assert.equal(dt.find('/timer')?.getU32s('interrupts')?.[2], 0x304);
  // QEMU's 32 transports, listed lowest address first, SPI 16 upwards.
  const names = dt.root.children.map((c) => c.name).filter((n) => n.startsWith('virtio'));
  assert.deepEqual(names, Array.from({ length: 32 }, (_, i) => `virtio_mmio@${(0x0a000000 + i * 0x200).toString(16)}`));
  assert.deepEqual(dt.find('/virtio_mmio@a000000')?.getU32s('interrupts'), [0, 16, 1]);
  assert.deepEqual(dt.find('/virtio_mmio@a003e00')?.getU32s('interrupts'), [0, 47, 1]);
  assert.deepEqual(dt.find('/virtio_mmio@a003e00')?.getU32s('reg'), [0, 0x0a003e00, 0, 0x200]);
  assert.equal(cfg.devices.find((d) => d.base === 0x0a003e00)?.type, 'virtio-blk');
});

/** Every node and property we write must be in QEMU's own tree, byte for byte and in the same order. */
test('virt DTB matches QEMU 7.2 for the nodes it has', { skip: (!hasDtc || !FIXTURES) && 'needs dtc and shared/fixtures' }, () => {
  const dir = tempDir();
  const out = join(dir, 'qemu.dtb');
  const r = spawnSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', out, join(FIXTURES!, 'dtb/qemu-virt-arm-256M-with-kernel.dts')]);
  assert.equal(r.status, 0, r.stderr.toString());
  const qemu = parseFdt(new Uint8Array(readFileSync(out)));
  const ours = parseFdt(virtDtb(virt(), BOOT));
  const RANDOM = ['rng-seed', 'kaslr-seed'];
  const compare = (a: FdtNode, q: FdtNode, path: string) => {
    const qProps = q.props.filter((p) => !RANDOM.includes(p.name));
    assert.deepEqual(a.props.map((p) => p.name), qProps.map((p) => p.name), `property order of ${path}`);
    for (const p of a.props) assert.deepEqual(p.value, q.prop(p.name), `${path}:${p.name}`);
    const qKids = q.children.map((c) => c.name);
    let last = -1;
    for (const c of a.children) {
      const i = qKids.indexOf(c.name);
      assert.ok(i > last, `${path}/${c.name} missing from QEMU's tree or out of order`);
      last = i;
      compare(c, q.children[i], `${path}/${c.name}`);
    }
  };
  compare(ours.root, qemu.root, '');

  const dts = join(dir, 'ours.dtb');
  writeFileSync(dts, virtDtb(virt(), BOOT));
  const dec = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', dts]);
  assert.equal(dec.status, 0);
  assert.equal(dec.stderr.toString(), '', 'dtc warnings');
});
