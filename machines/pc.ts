/**
 * The PC board (QEMU's hw/i386/pc.c, reduced to what has been needed so
 * far): RAM from 0, the I/O port space with ISA devices (16550 UARTs,
 * isa-debug-exit), the CPUs, and the boot paths:
 *
 * - `-bios FILE`: the ROM is mapped so that it ends at 4 GiB (the CPU's
 *   reset vector 0xFFFFFFF0 is its last 16 bytes) and its last 128 KiB also
 *   appear at 0xE0000-0xFFFFF, as QEMU maps it; that copy is writable shadow
 *   RAM (reloaded at reset), standing in for the i440FX PAM registers.
 * - `-kernel FILE`: a Linux bzImage (machines/linux-x86.ts: the 32-bit boot
 *   protocol, `-initrd` one file, `-append` the command line), or a
 *   multiboot v1 kernel (machines/multiboot.ts), entered in flat 32-bit
 *   protected mode with EAX = 0x2BADB002 and EBX = the multiboot information.
 * - neither: the CPU starts at the reset vector, where nothing is mapped.
 *
 * ISA interrupts go through the 8259 pair (`i8259` in the YAML) to CPU 0;
 * the 8254 PIT (`i8254`) drives IRQ 0 and port 0x61; the CMOS RTC
 * (`mc146818`) is at 0x70 on IRQ 8; the 8042 keyboard controller (`i8042`,
 * with port 0x92) resets the machine and gates A20.
 * Not modelled yet: the VGA hole (0xA0000-0xBFFFF is RAM unless
 * -bios is given), PCI, the APIC.
 */
import { readImage } from './read-image.js';
import { MemoryRegion } from '../softmmu/memory.js';
import { IOPortSpace } from '../softmmu/ioport.js';
import { Machine, type MachineCPU } from '../softmmu/machine.js';
import { WasmBackend } from '../tcg/wasm/backend.js';
import type { HostMemory } from '../softmmu/host-memory.js';
import type { AddressSpace } from '../softmmu/memory.js';
import type { CodePages } from '../softmmu/cputlb.js';
import type { VirtualClock } from '../softmmu/clock.js';
import type { Logger } from '../softmmu/log.js';
import { ConfigError, type MachineConfig } from './config.js';
import { createCore, attachJit, type BuildOptions } from './builder.js';
import { NullChar } from '../ui/chardev.js';
import { Serial16550 } from '../hw/char/serial16550.js';
import { IsaDebugExit } from '../hw/misc/isa-debug-exit.js';
import { I8259 } from '../hw/intc/i8259.js';
import { I8254 } from '../hw/timer/i8254.js';
import { MC146818 } from '../hw/rtc/mc146818.js';
import { I8042, Port92, type I8042Board } from '../hw/input/i8042.js';
import { IsaDebugcon } from '../hw/char/isa-debugcon.js';
import { FileChar } from '../ui/chardev-file.js';
import { planMultiboot, MULTIBOOT_BOOTLOADER_MAGIC } from './multiboot.js';
import { isBzImage, planLinuxX86 } from './linux-x86.js';
import { X86CPU as X86CPUImpl } from '../target/i386/cpu.js';

/** What the board needs from target/i386's X86CPU. */
export interface PcCPU extends MachineCPU {
  init(): void;
  reset(): void;
  enterMultiboot(eip: number, eax: number, ebx: number): void;
  enterLinux32(eip: number, bootParams: number, gdt: number): void;
  setIRQ(level: boolean): void;
  /** The A20 gate (the keyboard controller's output port, port 0x92). */
  setA20?(enabled: boolean): void;
  /** The interrupt acknowledge cycle: the vector of the interrupt being taken. */
  irqAck?: () => number;
  /** Called on a triple fault (shutdown cycle). */
  onTripleFault?: () => void;
}
type PcCPUClass = new (index: number, host: HostMemory, as: AddressSpace, code: CodePages, clock: VirtualClock,
  log: Logger, model: string, io: IOPortSpace) => PcCPU;

/** target/i386's CPU, checked against what the board needs. */
const X86CPU: PcCPUClass = X86CPUImpl;

const ISA_BIOS_SIZE = 128 << 10;
const LOW_RAM_TOP = 0xe0000;   // with -bios, RAM below the isa-bios alias
const HIGH_RAM_BASE = 0x100000;


export function buildPcMachine(cfg: MachineConfig, opts: BuildOptions): Machine {
  if (cfg.memory.base !== 0) throw new ConfigError(`${cfg.file}: memory.base must be 0 on a PC`);
  const ramSize = cfg.memory.size;
  if (ramSize < 2 << 20) throw new ConfigError(`${cfg.file}: a PC needs at least 2 MiB of RAM`);
  if (ramSize > 0xe0000000) throw new ConfigError(`${cfg.file}: at most 3.5 GiB of RAM (the rest of the 32-bit space holds the PCI hole and BIOS)`);
  const { host, as, clock, code, cache, exec, devLog } = createCore(opts);
  const io = new IOPortSpace();
  io.onUnassigned = (port, write, size) => opts.log.log('unimp', `ioport: unassigned ${write ? 'write to' : 'read from'} 0x${port.toString(16)} (size ${size})`);

  // 1. HostMemory: RAM, the BIOS ROM, CPUs, the JIT's jump table.
  const bios = cfg.boot.bios ? readImage(cfg.boot.bios, 'bios') : undefined;
  if (bios && (bios.length % 0x10000 || bios.length === 0 || bios.length > 16 << 20)) {
    throw new ConfigError(`tsemu: bios '${cfg.boot.bios}': size ${bios.length} is not a multiple of 64 KiB up to 16 MiB`);
  }
  const ramOff = host.reserve(ramSize);
  if (bios) {
    // The legacy area 0xE0000-0xFFFFF shows the BIOS instead of RAM.
    as.add(new MemoryRegion('ram-below-1m', 0, LOW_RAM_TOP, 'ram', ramOff, null));
    as.add(new MemoryRegion('ram', HIGH_RAM_BASE, ramSize - HIGH_RAM_BASE, 'ram', ramOff + HIGH_RAM_BASE, null));
    const romOff = host.reserve(bios.length);
    as.add(new MemoryRegion('pc.bios', 2 ** 32 - bios.length, bios.length, 'rom', romOff, null));
    const isa = Math.min(ISA_BIOS_SIZE, bios.length);
    // Shadow RAM: on QEMU's i440FX the BIOS copies itself to RAM here and makes it writable through the
    // PAM registers (SeaBIOS keeps its variables in this segment). There is no i440FX yet, so the area
    // is RAM from the start, loaded with the ROM's last 128 KiB at every reset.
    as.add(new MemoryRegion('isa-bios', 0x100000 - isa, isa, 'ram', host.reserve(isa), null));
  } else {
    as.add(new MemoryRegion('ram', 0, ramSize, 'ram', ramOff, null));
  }
  const Cpu = X86CPU;
  const cpus: PcCPU[] = [];
  for (let i = 0; i < cfg.cpu.count; i++) cpus.push(new Cpu(i, host, as, code, clock, opts.log, cfg.cpu.model, io));
  const jitJumpTable = host.reserve(WasmBackend.JUMP_TABLE_BYTES);
  host.create();
  if (bios) host.u8.set(bios, as.find(2 ** 32 - bios.length)!.hostOffset);
  const loadShadow = () => {
    if (!bios) return;
    const isa = Math.min(ISA_BIOS_SIZE, bios.length);
    as.load(0x100000 - isa, bios.subarray(bios.length - isa));
  };

  const m = new Machine(cfg, host, as, clock, opts.log, exec);
  m.io = io;
  attachJit(exec, host, cache, opts, jitJumpTable, cpus);
  m.cpus = cpus;
  for (const c of cpus) c.init();
  // A triple fault resets the PC (the chipset turns the shutdown cycle into a reset, as QEMU does; -no-reboot exits).
  for (const c of cpus) c.onTripleFault = () => m.requestShutdown('reset');
  for (const c of cpus) {
    c.tlb.onFlush = () => cache.clearJumpCache(c.index);
    c.tlb.onFlushPage = (va) => cache.clearJumpCachePage(c.index, va);
  }
  as.onMapChange = () => { for (const c of cpus) c.tlb.flush(); };

  // 2. ISA devices on the I/O port bus. The PIC first, so the others can connect their lines.
  let pic: I8259 | undefined;
  const picCfg = cfg.devices.find((d) => d.type === 'i8259');
  if (picCfg) {
    const p = pic = new I8259(devLog);
    io.add(`${picCfg.name}-master`, 0x20, 2, p.masterPorts);
    io.add(`${picCfg.name}-slave`, 0xa0, 2, p.slavePorts);
    io.add(`${picCfg.name}-elcr`, 0x4d0, 2, p.elcrPorts);
    m.devices.set(picCfg.name, { type: 'i8259', read: () => 0, write: () => {}, reset: () => p.reset(), state: () => p.state() });
    // INTR goes to the bootstrap processor (no APIC yet); INTA asks the PIC for the vector.
    p.output.connect((l) => { cpus[0].setIRQ(l); if (l) m.kick(); });
    cpus[0].irqAck = () => p.ack();
  }
  const isaIrq = (d: (typeof cfg.devices)[number]) => {
    const n = [d.irq ?? []].flat()[0];
    if (n === undefined || !pic) return undefined;
    if (n > 15) throw new ConfigError(`${cfg.file}: device '${d.name}': ISA interrupt ${n} is not 0-15`);
    const p = pic;
    return (l: boolean) => p.setIRQ(n, l);
  };
  for (const d of cfg.devices) {
    switch (d.type) {
      case 'i8259': break;
      case 'serial16550': {
        const dev = new Serial16550(opts.chardevs.get(d.chardev ?? '') ?? new NullChar(), devLog);
        io.add(d.name, d.props['iobase'] as number, 8, dev);
        m.devices.set(d.name, dev);
        const line = isaIrq(d);
        if (line) dev.irq.connect(line);
        break;
      }
      case 'i8254': {
        const dev = new I8254(clock, devLog);
        io.add(d.name, 0x40, 4, dev.ports);
        io.add(`${d.name}-port61`, 0x61, 1, dev.port61);
        m.devices.set(d.name, dev.ports);
        const line = isaIrq(d);
        if (line) dev.irq.connect(line);
        break;
      }
      case 'mc146818': {
        const dev = new MC146818(clock, opts.rtcBase ?? Math.floor(Date.now() / 1000), { ramSize, cpus: cfg.cpu.count }, devLog);
        io.add(d.name, 0x70, 2, dev);
        m.devices.set(d.name, dev);
        const line = isaIrq(d);
        if (line) dev.irq.connect(line);
        break;
      }
      case 'i8042': {
        const board: I8042Board = {
          reset: () => m.requestShutdown('reset'),
          setA20: (on) => { for (const c of cpus) c.setA20?.(on); },
        };
        const dev = new I8042(board, devLog);
        io.add(d.name, 0x60, 1, dev);
        io.add(`${d.name}-cmd`, 0x64, 1, { type: 'i8042', read: (_o, sz, cpu) => dev.read(4, sz, cpu), write: (_o, v, sz, cpu) => dev.write(4, v, sz, cpu), reset: () => {} });
        const p92 = new Port92(board);
        io.add(`${d.name}-port92`, 0x92, 1, p92);
        m.devices.set(d.name, dev);
        m.devices.set(`${d.name}-port92`, p92);
        const ids = [d.irq ?? []].flat();
        if (pic && ids[0] !== undefined) { const p = pic; dev.kbdIrq.connect((l) => p.setIRQ(ids[0], l)); }
        if (pic && ids[1] !== undefined) { const p = pic; dev.mouseIrq.connect((l) => p.setIRQ(ids[1], l)); }
        break;
      }
      case 'isa-debugcon': {
        const target = d.props['target'] as string;
        const out = target === 'stdio' ? { write: (b: Uint8Array) => { process.stderr.write(b); }, setReceiver: () => {} } : new FileChar(target, `-debugcon file:${target}`);
        const dev = new IsaDebugcon(out);
        io.add(d.name, d.props['iobase'] as number, 1, dev);
        m.devices.set(d.name, dev);
        break;
      }
      case 'isa-debug-exit': {
        const dev = new IsaDebugExit((status) => m.requestExit(status));
        io.add(d.name, d.props['iobase'] as number, d.props['iosize'] as number, dev);
        m.devices.set(d.name, dev);
        break;
      }
      default:
        throw new ConfigError(`${cfg.file}: device '${d.name}': type '${d.type}' is not available on a PC`);
    }
  }

  // 3. Boot.
  const boot = cfg.boot;
  // Application processors wait for a startup IPI (not modelled: they stay off).
  const apsOff = () => { for (let i = 1; i < cpus.length; i++) { cpus[i].off = true; cpus[i].halted = true; } };
  let loadAll: () => void;
  if (boot.kernel && !bios) {
    const kernel = readImage(boot.kernel, 'kernel');
    let chunks: { addr: number; data: Uint8Array }[], enter: () => void;
    if (isBzImage(kernel)) {
      const plan = planLinuxX86(kernel, boot.kernel, boot.initrd ? readImage(boot.initrd, 'initrd') : undefined, boot.append ?? '', ramSize);
      chunks = plan.chunks;
      enter = () => cpus[0].enterLinux32(plan.entry, plan.bootParams, plan.gdt);
    } else {
      const plan = planMultiboot({ kernelPath: boot.kernel, kernel, append: boot.append, initrd: boot.initrd }, { ramSize });
      chunks = plan.chunks;
      enter = () => cpus[0].enterMultiboot(plan.entry, MULTIBOOT_BOOTLOADER_MAGIC, plan.mbi);
    }
    loadAll = () => { for (const ch of chunks) m.as.load(ch.addr, ch.data); enter(); apsOff(); };
  } else {
    if (boot.kernel) throw new ConfigError('tsemu: -kernel with -bios is not supported on the PC yet (the BIOS would have to load it)');
    // The CPUs reset to 0xFFFFFFF0.
    loadAll = () => { loadShadow(); apsOff(); };
  }
  m.resetHooks.push(loadAll);
  loadAll();
  return m;
}
