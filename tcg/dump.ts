/** Text form of IR for `-d op`. */
import { Op, OP_WORDS, OP_NAMES, COND_NAMES } from './ir.js';
import { helperNames } from './helpers.js';

export function dumpOps(code: Int32Array): string {
  const out: string[] = [];
  for (let i = 0; i < code.length; i += OP_WORDS) {
    const op = code[i] as Op;
    const a = (k: number) => code[i + k];
    const t = (k: number) => (a(k) < 0 ? '_' : `t${a(k)}`);
    let s: string;
    switch (op) {
      case Op.MOVI: s = `movi ${t(1)}, 0x${(a(2) >>> 0).toString(16)}`; break;
      case Op.LD_ENV: s = `ld_env ${t(1)}, env+${a(2)}`; break;
      case Op.ST_ENV: s = `st_env env+${a(2)}, ${t(1)}`; break;
      case Op.QLD: s = `qemu_ld ${t(1)}, [${t(2)}], memop=0x${a(3).toString(16)}`; break;
      case Op.QST: s = `qemu_st ${t(1)}, [${t(2)}], memop=0x${a(3).toString(16)}`; break;
      case Op.SETCOND: s = `setcond ${t(1)}, ${t(2)}, ${t(3)}, ${COND_NAMES[a(4)]}`; break;
      case Op.MOVCOND: s = `movcond ${t(1)}, ${t(2)}, ${t(3)}, ${t(4)}, ${t(5)}, ${COND_NAMES[a(6)]}`; break;
      case Op.BRCOND: s = `brcond ${t(1)}, ${t(2)}, ${COND_NAMES[a(3)]}, L${a(4)}`; break;
      case Op.BR: s = `br L${a(1)}`; break;
      case Op.LABEL: s = `L${a(1)}:`; break;
      case Op.CALL: s = `call ${helperNames[a(1)]}, ${t(2)}, ${t(3)}, ${t(4)}, ${t(5)}, ${t(6)}`; break;
      case Op.INSN_START: s = ` ---- ${(a(1) >>> 0).toString(16).padStart(8, '0')} ${a(2).toString(16)}`; break;
      case Op.GOTO_TB: s = `goto_tb ${a(1)}`; break;
      case Op.LOOKUP_TB: s = `lookup_and_goto_ptr`; break;
      case Op.EXIT_TB: s = `exit_tb ${a(1)}`; break;
      case Op.MULU2: case Op.MULS2: s = `${OP_NAMES[op]} ${t(1)}, ${t(2)}, ${t(3)}, ${t(4)}`; break;
      case Op.ADD2: case Op.SUB2: s = `${OP_NAMES[op]} ${t(1)}, ${t(2)}, ${t(3)}, ${t(4)}, ${t(5)}, ${t(6)}`; break;
      case Op.MOV: case Op.NOT: case Op.NEG: case Op.CLZ: case Op.EXT8S: case Op.EXT8U: case Op.EXT16S: case Op.EXT16U: case Op.BSWAP32:
        s = `${OP_NAMES[op]} ${t(1)}, ${t(2)}`; break;
      default: s = `${OP_NAMES[op]} ${t(1)}, ${t(2)}, ${t(3)}`;
    }
    out.push(' ' + s);
  }
  return out.join('\n');
}
