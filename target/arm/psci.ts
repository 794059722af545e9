/**
 * PSCI 1.0 over HVC/SMC, handled by the emulator as QEMU does when the
 * guest has no EL2/EL3 firmware of its own (function IDs from ARM DEN 0022).
 */
import type { ArmCPU } from './cpu.js';
import { ExitTbRequest } from '../../tcg/helpers.js';

export const PSCI_VERSION = 0x84000000, CPU_SUSPEND = 0x84000001, CPU_OFF = 0x84000002, CPU_ON = 0x84000003,
  AFFINITY_INFO = 0x84000004, MIGRATE_INFO_TYPE = 0x84000006, SYSTEM_OFF = 0x84000008, SYSTEM_RESET = 0x84000009,
  PSCI_FEATURES = 0x8400000a;
const SMC64 = 0x40000000;
const NOT_SUPPORTED = -1, INVALID_PARAMETERS = -2;

export function psciCall(cpu: ArmCPU, _imm: number): void {
  const fn = (cpu.reg(0) >>> 0) & ~SMC64;
  const board = cpu.board;
  let ret: number;
  switch (fn >>> 0) {
    case PSCI_VERSION: ret = 0x00010000; break;
    case MIGRATE_INFO_TYPE: ret = 2; break;
    case PSCI_FEATURES: {
      const f = (cpu.reg(1) >>> 0) & ~SMC64;
      ret = [PSCI_VERSION, CPU_SUSPEND, CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE, SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES].includes(f >>> 0) ? 0 : NOT_SUPPORTED;
      break;
    }
    case SYSTEM_OFF:
      board?.shutdown('poweroff');
      throw ExitTbRequest.it;
    case SYSTEM_RESET:
      board?.shutdown('reset');
      throw ExitTbRequest.it;
    case CPU_ON:
      ret = board ? board.cpuOn(cpu.reg(1) & 0xff, cpu.reg(2), cpu.reg(3)) : NOT_SUPPORTED;
      break;
    case CPU_OFF:
      if (board) { board.cpuOff(cpu); throw ExitTbRequest.it; }
      ret = NOT_SUPPORTED;
      break;
    case AFFINITY_INFO:
      ret = board ? board.affinityInfo(cpu.reg(1) & 0xff) : INVALID_PARAMETERS;
      break;
    case CPU_SUSPEND:
      // A standby power state: behave like WFI.
      ret = 0;
      break;
    default:
      cpu.log('unimp', `PSCI: unknown function 0x${(fn >>> 0).toString(16)}`);
      ret = NOT_SUPPORTED;
  }
  cpu.setReg(0, ret);
}
