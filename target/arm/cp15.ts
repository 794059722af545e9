/**
 * CP15 (system control coprocessor) of a Cortex-A15 as QEMU's virt board
 * presents it: no Security or Virtualization Extensions. Registers are plain
 * fields; `read`/`write` map an MRC/MCR encoding to them. An encoding not
 * listed is UNDEFINED, as on QEMU.
 */
import type { ArmCPU } from './cpu.js';
import { vfpEnabled } from './vfp.js';

/** Key of a 32-bit coprocessor register: (crn, opc1, crm, opc2). */
export const key = (crn: number, opc1: number, crm: number, opc2: number): number => (crn << 12) | (opc1 << 8) | (crm << 4) | opc2;

interface RegDef { read?: () => number; write?: (v: number) => void; name: string }

export class CP15 {
  // Identification (QEMU 7.2 cortex-a15)
  readonly midr = 0x414fc0f0;
  readonly ctr = 0x8444c004;
  readonly idPfr0 = 0x00001131;
  readonly idPfr1 = 0x00011011;
  readonly idDfr0 = 0x02010555;
  readonly idAfr0 = 0;
  readonly idMmfr = [0x10201105, 0x20000000, 0x01240000, 0x02102211];
  readonly idIsar = [0x02101110, 0x13112111, 0x21232041, 0x11112131, 0x10011142, 0];
  readonly clidr = 0x0a200023;
  readonly ccsidr = [0x701fe00a, 0x201fe00a, 0x711fe07a];
  readonly resetSctlr = 0x00c50078;

  sctlr = 0;
  actlr = 0;
  cpacr = 0;
  ttbr0 = 0; ttbr0hi = 0;
  ttbr1 = 0; ttbr1hi = 0;
  ttbcr = 0;
  dacr = 0;
  dfsr = 0; ifsr = 0;
  dfar = 0; ifar = 0;
  adfsr = 0; aifsr = 0;
  par = 0; parhi = 0;
  prrr = 0; nmrr = 0;
  vbar = 0;
  contextidr = 0;
  tpidrurw = 0; tpidruro = 0; tpidrprw = 0;
  csselr = 0;
  /** FPEXC lives with VFP; kept here so tbFlags can ask. */
  fpexc = 0;

  private regs = new Map<number, RegDef>();

  constructor(private cpu: ArmCPU) {
    const r = (crn: number, opc1: number, crm: number, opc2: number, name: string, read?: () => number, write?: (v: number) => void) =>
      this.regs.set(key(crn, opc1, crm, opc2), { name, read, write });
    const ro = (crn: number, opc1: number, crm: number, opc2: number, name: string, v: () => number) => r(crn, opc1, crm, opc2, name, v);
    const nop = (crn: number, opc1: number, crm: number, opc2: number, name: string) => r(crn, opc1, crm, opc2, name, undefined, () => {});

    ro(0, 0, 0, 0, 'MIDR', () => this.midr);
    ro(0, 0, 0, 1, 'CTR', () => this.ctr);
    ro(0, 0, 0, 2, 'TCMTR', () => 0);
    ro(0, 0, 0, 3, 'TLBTR', () => 0);
    ro(0, 0, 0, 4, 'MIDR', () => this.midr);
    ro(0, 0, 0, 5, 'MPIDR', () => (0x80000000 | this.cpu.index) >>> 0);
    ro(0, 0, 0, 6, 'REVIDR', () => 0);
    ro(0, 0, 0, 7, 'MIDR', () => this.midr);
    ro(0, 0, 1, 0, 'ID_PFR0', () => this.idPfr0);
    ro(0, 0, 1, 1, 'ID_PFR1', () => this.idPfr1);
    ro(0, 0, 1, 2, 'ID_DFR0', () => this.idDfr0);
    ro(0, 0, 1, 3, 'ID_AFR0', () => this.idAfr0);
    for (let i = 0; i < 4; i++) ro(0, 0, 1, 4 + i, `ID_MMFR${i}`, () => this.idMmfr[i]);
    for (let i = 0; i < 6; i++) ro(0, 0, 2, i, `ID_ISAR${i}`, () => this.idIsar[i]);
    for (let i = 6; i < 8; i++) ro(0, 0, 2, i, `ID_ISAR${i}`, () => 0);
    for (let c = 3; c < 8; c++) for (let o = 0; o < 8; o++) ro(0, 0, c, o, 'ID_RAZ', () => 0);
    ro(0, 1, 0, 0, 'CCSIDR', () => this.ccsidr[this.csselr] ?? 0);
    ro(0, 1, 0, 1, 'CLIDR', () => this.clidr);
    ro(0, 1, 0, 7, 'AIDR', () => 0);
    r(0, 2, 0, 0, 'CSSELR', () => this.csselr, (v) => { this.csselr = v & 0xf; });

    r(1, 0, 0, 0, 'SCTLR', () => this.sctlr, (v) => this.setSctlr(v));
    r(1, 0, 0, 1, 'ACTLR', () => this.actlr, (v) => { this.actlr = v; });
    r(1, 0, 0, 2, 'CPACR', () => this.cpacr, (v) => { this.cpacr = v & 0x00f00000 & (this.vfpPresent ? ~0 : 0); });

    r(2, 0, 0, 0, 'TTBR0', () => this.ttbr0, (v) => { this.ttbr0 = v; this.flushTlb(); });
    r(2, 0, 0, 1, 'TTBR1', () => this.ttbr1, (v) => { this.ttbr1 = v; this.flushTlb(); });
    r(2, 0, 0, 2, 'TTBCR', () => this.ttbcr, (v) => { this.ttbcr = v & 0x80000037 | 0; this.flushTlb(); });
    r(3, 0, 0, 0, 'DACR', () => this.dacr, (v) => { if (v !== this.dacr) { this.dacr = v; this.cpu.tlb.flush(true); } });

    r(5, 0, 0, 0, 'DFSR', () => this.dfsr, (v) => { this.dfsr = v; });
    r(5, 0, 0, 1, 'IFSR', () => this.ifsr, (v) => { this.ifsr = v; });
    r(5, 0, 1, 0, 'ADFSR', () => this.adfsr, (v) => { this.adfsr = v; });
    r(5, 0, 1, 1, 'AIFSR', () => this.aifsr, (v) => { this.aifsr = v; });
    r(6, 0, 0, 0, 'DFAR', () => this.dfar, (v) => { this.dfar = v; });
    r(6, 0, 0, 2, 'IFAR', () => this.ifar, (v) => { this.ifar = v; });

    // c7: cache maintenance is a no-op for an emulator without caches; barriers too.
    nop(7, 0, 0, 4, 'NOP(WFI)');
    nop(7, 0, 1, 0, 'ICIALLUIS');
    nop(7, 0, 1, 6, 'BPIALLIS');
    r(7, 0, 4, 0, 'PAR', () => this.par, (v) => { this.par = v; });
    nop(7, 0, 5, 0, 'ICIALLU');
    nop(7, 0, 5, 1, 'ICIMVAU');
    nop(7, 0, 5, 4, 'CP15ISB');
    nop(7, 0, 5, 6, 'BPIALL');
    nop(7, 0, 5, 7, 'BPIMVA');
    nop(7, 0, 6, 1, 'DCIMVAC');
    nop(7, 0, 6, 2, 'DCISW');
    for (let o = 0; o < 4; o++) r(7, 0, 8, o, 'ATS1C', undefined, (v) => this.ats(v, o));
    nop(7, 0, 10, 1, 'DCCMVAC');
    nop(7, 0, 10, 2, 'DCCSW');
    nop(7, 0, 10, 4, 'CP15DSB');
    nop(7, 0, 10, 5, 'CP15DMB');
    nop(7, 0, 11, 1, 'DCCMVAU');
    nop(7, 0, 14, 1, 'DCCIMVAC');
    nop(7, 0, 14, 2, 'DCCISW');

    // c8: TLB maintenance. ASIDs are not tracked in the softmmu TLB, so every form flushes what it names or more.
    for (const crm of [3, 5, 6, 7]) {
      r(8, 0, crm, 0, 'TLBIALL', undefined, () => this.flushTlb());
      r(8, 0, crm, 1, 'TLBIMVA', undefined, (v) => this.cpu.tlb.flushPage(v));
      r(8, 0, crm, 2, 'TLBIASID', undefined, () => this.flushTlb());
      r(8, 0, crm, 3, 'TLBIMVAA', undefined, (v) => this.cpu.tlb.flushPage(v));
    }

    // c9: performance monitors; present as "no counters" so Linux leaves them alone.
    for (let o = 0; o < 8; o++) r(9, 0, 12, o, 'PMU', () => 0, () => {});
    for (let o = 0; o < 3; o++) r(9, 0, 13, o, 'PMU', () => 0, () => {});
    for (let o = 0; o < 4; o++) r(9, 0, 14, o, 'PMU', () => 0, () => {});
    r(9, 1, 0, 2, 'L2CTLR', () => ((this.cpu.board ? 1 : 1) - 1) << 24, () => {});
    r(9, 1, 0, 3, 'L2ECTLR', () => 0, () => {});

    r(10, 0, 2, 0, 'PRRR', () => this.prrr, (v) => { this.prrr = v; });
    r(10, 0, 2, 1, 'NMRR', () => this.nmrr, (v) => { this.nmrr = v; });
    r(10, 0, 3, 0, 'AMAIR0', () => 0, () => {});
    r(10, 0, 3, 1, 'AMAIR1', () => 0, () => {});

    r(12, 0, 0, 0, 'VBAR', () => this.vbar, (v) => { this.vbar = v & ~0x1f; });
    ro(12, 0, 1, 0, 'ISR', () => (this.cpu.irqLevel ? 0x80 : 0) | (this.cpu.fiqLevel ? 0x40 : 0));

    r(13, 0, 0, 0, 'FCSEIDR', () => 0, () => {});
    r(13, 0, 0, 1, 'CONTEXTIDR', () => this.contextidr, (v) => { this.contextidr = v; });
    r(13, 0, 0, 2, 'TPIDRURW', () => this.tpidrurw, (v) => { this.tpidrurw = v; });
    r(13, 0, 0, 3, 'TPIDRURO', () => this.tpidruro, (v) => { this.tpidruro = v; });
    r(13, 0, 0, 4, 'TPIDRPRW', () => this.tpidrprw, (v) => { this.tpidrprw = v; });

    r(15, 4, 0, 0, 'CBAR', () => 0x08000000, () => {});
    this.cpu.gt.registerCp15?.(r);
  }

  get vfpPresent(): boolean { return true; }
  vfpEnabled(): boolean { return vfpEnabled(this.cpu); }

  reset(): void {
    this.sctlr = this.resetSctlr;
    this.actlr = this.cpacr = this.ttbr0 = this.ttbr1 = this.ttbcr = this.dacr = 0;
    this.ttbr0hi = this.ttbr1hi = 0;
    this.dfsr = this.ifsr = this.dfar = this.ifar = this.par = this.parhi = 0;
    this.prrr = 0x00098aa4; this.nmrr = 0x44e048e0;
    this.vbar = this.contextidr = this.tpidrurw = this.tpidruro = this.tpidrprw = 0;
    this.csselr = 0;
    this.fpexc = 0;
  }

  private setSctlr(v: number): void {
    // Bits that are RAO/RAZ on this core keep their reset values; M, A, C, Z, I, V, EE, TRE, AFE, TE are writable.
    const writable = 0x1 | 0x2 | 0x4 | 0x800 | 0x1000 | 0x2000 | (1 << 25) | (1 << 28) | (1 << 29) | (1 << 30) | (1 << 19) | (1 << 20) | 0x20;
    this.sctlr = ((this.resetSctlr & ~writable) | (v & writable)) >>> 0;
    this.flushTlb();
  }

  flushTlb(): void { this.cpu.tlb.flush(); }

  /** ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW: address translation into PAR. */
  private ats(va: number, op: number): void {
    const mmuIdx = op >= 2 ? 1 : 0;
    const access = op & 1 ? 1 : 0;
    const r = this.cpu.probeTranslate(va, access, mmuIdx);
    if (typeof r === 'number') this.par = ((r & 0xfffff000) >>> 0) | 0;
    else this.par = 1 | ((r.fsr & 0xf) << 1) | (((r.fsr >> 10) & 1) << 5) | (r.ext ? 1 << 6 : 0);
  }

  /** The register at (crn, opc1, crm, opc2), or undefined when the encoding is UNDEFINED. */
  lookup(crn: number, opc1: number, crm: number, opc2: number): RegDef | undefined {
    return this.regs.get(key(crn, opc1, crm, opc2));
  }
}
