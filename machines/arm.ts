/**
 * An ARM machine (arm-virt.yaml and its relatives) built from its config:
 * the CPUs, their memory map and devices, wired as the YAML says, and the
 * boot set up (firmware in flash, or a Linux kernel with a generated device
 * tree). Loaded only for ARM machines (machines/builder.ts).
 */
import { MemoryRegion } from '../softmmu/memory.js';
import type { MMIODevice, IRQLine } from '../hw/device.js';
import { Machine } from '../softmmu/machine.js';
import { ConfigError, type MachineConfig, type DeviceConfig, type DriveConfig } from './config.js';
import { NullChar } from '../ui/chardev.js';
import { ArmCPU } from '../target/arm/cpu.js';
import { ArmGicV2 } from '../hw/intc/arm-gic.js';
import { PL011 } from '../hw/char/pl011.js';
import { PL031 } from '../hw/rtc/pl031.js';
import { PFlashCFI01 } from '../hw/block/pflash-cfi01.js';
import { VirtioMmio } from '../hw/virtio/virtio-mmio.js';
import { VirtioBlk } from '../hw/block/virtio-blk.js';
import { openDrive } from './open-drive.js';
import { Dma } from '../softmmu/dma.js';
import { setupArmBoot } from './arm-boot.js';
import { WasmBackend } from '../tcg/wasm/backend.js';
import { createCore, attachJit, type BuildOptions } from './builder.js';

/** An ARM board from its YAML: RAM, flash, GIC, UARTs, RTC, generic timers, virtio-mmio and PSCI. */
export function buildArmMachine(cfg: MachineConfig, opts: BuildOptions): Machine {
  const { host, as, clock, code, cache, exec, devLog } = createCore(opts);

  // 1. Reserve everything that lives in HostMemory.
  as.addRam('ram', cfg.memory.base, cfg.memory.size);
  const flashOffsets = new Map<DeviceConfig, number>();
  for (const d of cfg.devices) if (d.type === 'cfi-flash') flashOffsets.set(d, host.reserve(d.size ?? 64 << 20));
  const cpus: ArmCPU[] = [];
  for (let i = 0; i < cfg.cpu.count; i++) cpus.push(new ArmCPU(i, host, as, code, clock, opts.log, cfg.cpu.model));
  const jitJumpTable = host.reserve(WasmBackend.JUMP_TABLE_BYTES);
  host.create();

  const m = new Machine(cfg, host, as, clock, opts.log, exec);
  attachJit(exec, host, cache, opts, jitJumpTable, cpus);
  m.cpus = cpus;
  for (const c of cpus) c.init();
  for (const c of cpus) {
    c.tlb.onFlush = () => cache.clearJumpCache(c.index);
    c.tlb.onFlushPage = (va) => cache.clearJumpCachePage(c.index, va);
  }
  const flushAllTlbs = () => { for (const c of cpus) c.tlb.flush(); };
  as.onMapChange = flushAllTlbs;

  // 2. Devices.
  let gic: ArmGicV2 | undefined;
  const gicCfg = cfg.devices.find((d) => d.type === 'gic-v2');
  if (gicCfg) {
    gic = new ArmGicV2({ numCpus: cfg.cpu.count, numIrqs: (gicCfg.props['num-irq'] as number) ?? 288, log: devLog });
    as.addMmio(`${gicCfg.name}-dist`, gicCfg.base!, gicCfg.size ?? 0x10000, gic.distributor);
    as.addMmio(`${gicCfg.name}-cpu`, gicCfg.props['cpu-base'] as number, (gicCfg.props['cpu-size'] as number) ?? 0x10000, gic.cpuInterface);
    m.devices.set(gicCfg.name, { type: 'gic-v2', read: () => 0, write: () => {}, reset: () => gic!.reset(), state: () => gic!.state() });
    cpus.forEach((c, i) => {
      gic!.irqOut[i].connect((l) => { c.setIRQ(l); if (l) m.kick(); });
      gic!.fiqOut[i].connect((l) => { c.setFIQ(l); if (l) m.kick(); });
    });
  } else {
    // Without an interrupt controller nothing can interrupt the CPUs.
  }
  const spi = (d: DeviceConfig, k = 0) => {
    const ids = [d.irq ?? []].flat();
    const id = ids[k];
    if (id === undefined || !gic) return undefined;
    return id >= 32 ? gic.spi(id - 32) : undefined;
  };

  const dma = new Dma(as, host, code);
  // A device with registers at its base and one interrupt, the first in its `irq`.
  const place = (d: DeviceConfig, dev: MMIODevice & { irq: IRQLine }, size: number) => {
    as.addMmio(d.name, d.base!, d.size ?? size, dev);
    const line = spi(d);
    if (line) dev.irq.connect((l) => line.set(l));
    m.devices.set(d.name, dev);
  };

  for (const d of cfg.devices) {
    switch (d.type) {
      case 'gic-v2': break;
      case 'cfi-flash': {
        const off = flashOffsets.get(d)!;
        const size = d.size ?? 64 << 20;
        const bankWidth = (d.props['bank-width'] as number) ?? 4;
        let region: MemoryRegion | undefined;
        const dev = new PFlashCFI01({
          data: host.u8.subarray(off, off + size),
          sectorSize: 256 << 10,
          bankWidth,
          deviceWidth: bankWidth === 4 ? 2 : bankWidth,
          readOnly: false,
          log: devLog,
          onRomdChange: (romd) => { if (region) { region.romd = romd; flushAllTlbs(); } },
          onWrite: (o, len) => {
            for (let p = (d.base! + o) >>> 12; p <= ((d.base! + o + len - 1) >>> 12); p++) code.written(p);
          },
        });
        region = as.add(new MemoryRegion(d.name, d.base!, size, 'romd', off, dev));
        m.devices.set(d.name, dev);
        break;
      }
      case 'pl011': {
        place(d, new PL011(opts.chardevs.get(d.chardev ?? '') ?? new NullChar(), devLog), 0x1000);
        break;
      }
      case 'pl031': {
        place(d, new PL031(clock, opts.rtcBase ?? Math.floor(Date.now() / 1000), devLog), 0x1000);
        break;
      }
      case 'armv7-timer': {
        // irq order as in the DT: secure phys, non-secure phys, virt, hyp. Without
        // the Security Extensions the physical timer is the non-secure one.
        const ids = [d.irq ?? []].flat();
        if (gic) cpus.forEach((c, i) => {
          const ns = ids[1], virt = ids[2];
          if (ns !== undefined) c.gt.phys.out.connect((l) => gic!.ppi(i, ns - 16).set(l));
          if (virt !== undefined) c.gt.virt.out.connect((l) => gic!.ppi(i, virt - 16).set(l));
        });
        break;
      }
      case 'virtio-mmio':
      case 'virtio-blk': {
        const drive = d.props.drive as DriveConfig | undefined;
        const backend = d.type === 'virtio-blk' && drive ? new VirtioBlk(openDrive(drive), { serial: drive.serial }) : null;
        if (backend) m.closeHooks.push(() => backend.close());
        place(d, new VirtioMmio(d.name, backend, dma, devLog), 0x200);
        break;
      }
      case 'psci': break; // the CPUs handle HVC/SMC PSCI calls themselves
      default:
        throw new ConfigError(`${cfg.file}: device '${d.name}': type '${d.type}' is not implemented yet`);
    }
  }

  setupArmBoot(m, cpus);
  return m;
}
