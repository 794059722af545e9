/**
 * The device tree QEMU 7.2's `-M virt` hands a 32-bit guest (hw/arm/virt.c
 * plus hw/arm/boot.c), generated from a MachineConfig: same node names,
 * compatibles, property order and phandle numbers, so a guest sees no
 * difference — but only for devices the machine has (no fw-cfg, PCIe or
 * GPIO; virtio transports as the machine file lists them, all 32 on virt).
 *
 * libfdt inserts each new node and property in front of its siblings, so
 * QEMU's blob lists things in the reverse of the order virt.c creates them;
 * this file writes them in the blob's order directly. Randomness QEMU adds
 * to /chosen (rng-seed, kaslr-seed) is left out to keep runs repeatable.
 */
import type { DeviceConfig, MachineConfig } from './config.js';
import { DeviceTree, type FdtNode } from './fdt.js';

export interface VirtBootInfo {
  /** Kernel command line; defaults to the machine's boot.append. */
  bootargs?: string;
  /** Guest-physical [start, end) of the initrd QEMU loaded. */
  initrd?: { start: number; end: number };
}

const GIC_FDT_IRQ_TYPE_SPI = 0;
const GIC_FDT_IRQ_TYPE_PPI = 1;
const IRQ_EDGE_LO_HI = 1;
const IRQ_LEVEL_HI = 4;
const APB_PCLK_HZ = 24_000_000;
/** PSCI 0.2 function IDs, SMC32 calling convention (a 32-bit guest). */
const PSCI_CPU_SUSPEND = 0x84000001, PSCI_CPU_OFF = 0x84000002, PSCI_CPU_ON = 0x84000003, PSCI_MIGRATE = 0x84000005;

const hexName = (base: number) => base.toString(16);

export function virtDtb(cfg: MachineConfig, boot: VirtBootInfo = {}): Uint8Array {
  return virtDeviceTree(cfg, boot).toBlob();
}

export function virtDeviceTree(cfg: MachineConfig, boot: VirtBootInfo = {}): DeviceTree {
  const dt = new DeviceTree();
  const all = (type: string) => cfg.devices.filter((d) => d.type === type);
  const gic = all('gic-v2')[0];
  const cpus = cfg.cpu.count;

  // Phandles in QEMU's allocation order: clock, CPUs from last to first, GIC.
  const clock = dt.allocPhandle();
  const cpuPhandle: number[] = [];
  for (let i = cpus - 1; i >= 0; i--) cpuPhandle[i] = dt.allocPhandle();
  const gicPhandle = gic ? dt.allocPhandle() : undefined;

  const root = dt.root;
  if (gicPhandle !== undefined) root.u32('interrupt-parent', gicPhandle);
  root.string('model', 'linux,dummy-virt').u32('#size-cells', 2).u32('#address-cells', 2)
    .string('compatible', 'linux,dummy-virt');

  const irqCells = (d: DeviceConfig, flags: number): number[] =>
    [d.irq ?? []].flat().flatMap((id) => gicCells(id, flags));
  const withIrq = (n: FdtNode, d: DeviceConfig, flags: number) => {
    if (gic && d.irq !== undefined) n.u32('interrupts', ...irqCells(d, flags));
  };
  const reg = (n: FdtNode, ...windows: [number, number][]) =>
    n.sizedCells('reg', ...windows.flatMap(([b, s]) => [[2, b], [2, s]] as [2, number][]));

  const psci = all('psci')[0];
  if (psci) {
    root.child('psci').u32('migrate', PSCI_MIGRATE).u32('cpu_on', PSCI_CPU_ON).u32('cpu_off', PSCI_CPU_OFF)
      .u32('cpu_suspend', PSCI_CPU_SUSPEND).string('method', String(psci.props.method ?? 'hvc'))
      .strings('compatible', ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']);
  }

  const mem = root.child(`memory@${hexName(cfg.memory.base)}`);
  reg(mem, [cfg.memory.base, cfg.memory.size]);
  mem.string('device_type', 'memory');

  // QEMU creates its transports from the top address down, so the blob lists them ascending.
  const virtio = cfg.devices.filter((d) => d.type === 'virtio-mmio' || d.type === 'virtio-blk')
    .sort((a, b) => a.base! - b.base!);
  for (const d of virtio) {
    const n = root.child(`virtio_mmio@${hexName(d.base!)}`).empty('dma-coherent');
    withIrq(n, d, IRQ_EDGE_LO_HI);
    reg(n, [d.base!, d.size!]);
    n.string('compatible', 'virtio,mmio');
  }

  const primecell = (d: DeviceConfig, kind: string, clockNames: string[]) => {
    const n = root.child(`${kind}@${hexName(d.base!)}`)
      .strings('clock-names', clockNames).u32('clocks', ...clockNames.map(() => clock));
    withIrq(n, d, IRQ_LEVEL_HI);
    reg(n, [d.base!, d.size!]);
    n.strings('compatible', [`arm,${kind}`, 'arm,primecell']);
    return n;
  };
  for (const d of all('pl031').reverse()) primecell(d, 'pl031', ['apb_pclk']);
  const uarts = all('pl011');
  for (const d of [...uarts].reverse()) primecell(d, 'pl011', ['uartclk', 'apb_pclk']);

  if (gic) {
    const n = root.child(`intc@${hexName(gic.base!)}`).u32('phandle', gicPhandle!);
    reg(n, [gic.base!, gic.size!], [gic.props['cpu-base'] as number, gic.props['cpu-size'] as number]);
    n.string('compatible', 'arm,cortex-a15-gic').empty('ranges').u32('#size-cells', 2).u32('#address-cells', 2)
      .empty('interrupt-controller').u32('#interrupt-cells', 3);
  }

  // Both banks in one node, as QEMU describes its pflash pair.
  const flash = all('cfi-flash').sort((a, b) => a.base! - b.base!);
  if (flash.length) {
    const n = root.child(`flash@${hexName(flash[0].base!)}`).u32('bank-width', Number(flash[0].props['bank-width'] ?? 4));
    reg(n, ...flash.map((d) => [d.base!, d.size!] as [number, number]));
    n.string('compatible', 'cfi-flash');
  }

  addCpus(root, cfg, cpuPhandle, psci !== undefined);

  const timer = all('armv7-timer')[0];
  if (timer) {
    // Bits 8-15 of a GICv2 PPI's flags: which CPUs it is wired to.
    const flags = gic ? IRQ_LEVEL_HI | (((1 << cpus) - 1) << 8) : IRQ_LEVEL_HI;
    const n = root.child('timer');
    withIrq(n, timer, flags);
    n.empty('always-on').string('compatible', 'arm,armv7-timer');
  }

  root.child('apb-pclk').u32('phandle', clock).string('clock-output-names', 'clk24mhz')
    .u32('clock-frequency', APB_PCLK_HZ).u32('#clock-cells', 0).string('compatible', 'fixed-clock');

  const chosen = root.child('chosen');
  if (boot.initrd) chosen.u32('linux,initrd-end', boot.initrd.end).u32('linux,initrd-start', boot.initrd.start);
  const bootargs = boot.bootargs ?? cfg.boot.append;
  if (bootargs !== undefined) chosen.string('bootargs', bootargs);
  const console = uarts.find((d) => d.chardev === 'serial0') ?? uarts[0];
  if (console) chosen.string('stdout-path', `/pl011@${hexName(console.base!)}`);
  return dt;
}

/** A GIC interrupt specifier from an INTID: <type number flags>. */
function gicCells(intid: number, flags: number): number[] {
  return intid >= 32 ? [GIC_FDT_IRQ_TYPE_SPI, intid - 32, flags] : [GIC_FDT_IRQ_TYPE_PPI, intid - 16, flags];
}

function addCpus(root: FdtNode, cfg: MachineConfig, phandles: number[], psci: boolean): void {
  const n = cfg.cpu.count;
  const cpus = root.child('cpus').u32('#size-cells', 0).u32('#address-cells', 1);
  // QEMU's default topology for -smp N: one socket, one cluster, N cores.
  const cluster = cpus.child('cpu-map').child('socket0').child('cluster0');
  for (let i = 0; i < n; i++) cluster.child(`core${i}`).u32('cpu', phandles[i]);
  for (let i = 0; i < n; i++) {
    // MPIDR affinity as virt assigns it: 8 CPUs per cluster (Aff1), CPU within it (Aff0).
    const cpu = cpus.child(`cpu@${i}`).u32('phandle', phandles[i]).u32('reg', ((i >> 3) << 8) | (i & 7));
    if (psci && n > 1) cpu.string('enable-method', 'psci');
    cpu.string('compatible', `arm,${cfg.cpu.model}`).string('device_type', 'cpu');
  }
}
