/**
 * A compact i386 disassembler for `-d in_asm`: the mnemonic (from the opcode
 * maps, groups resolved by ModRM.reg) followed by the instruction bytes.
 * The translator's decoder supplies the length.
 */
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFT = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const G3 = ['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'];
const G5 = ['inc', 'dec', 'call', 'lcall', 'jmp', 'ljmp', 'push', '(bad)'];
const G6 = ['sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', '(bad)', '(bad)'];
const G7 = ['sgdt', 'sidt', 'lgdt', 'lidt', 'smsw', '(bad)', 'lmsw', 'invlpg'];
const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];

const ONE: Record<number, string> = {
  0x06: 'push es', 0x07: 'pop es', 0x0e: 'push cs', 0x16: 'push ss', 0x17: 'pop ss', 0x1e: 'push ds', 0x1f: 'pop ds',
  0x27: 'daa', 0x2f: 'das', 0x37: 'aaa', 0x3f: 'aas', 0x60: 'pusha', 0x61: 'popa', 0x62: 'bound', 0x63: 'arpl',
  0x68: 'push', 0x69: 'imul', 0x6a: 'push', 0x6b: 'imul', 0x6c: 'insb', 0x6d: 'insd', 0x6e: 'outsb', 0x6f: 'outsd',
  0x84: 'test', 0x85: 'test', 0x86: 'xchg', 0x87: 'xchg', 0x88: 'mov', 0x89: 'mov', 0x8a: 'mov', 0x8b: 'mov', 0x8c: 'mov', 0x8d: 'lea',
  0x8e: 'mov', 0x8f: 'pop', 0x90: 'nop', 0x98: 'cwde', 0x99: 'cdq', 0x9a: 'lcall', 0x9b: 'fwait', 0x9c: 'pushf', 0x9d: 'popf', 0x9e: 'sahf', 0x9f: 'lahf',
  0xa0: 'mov', 0xa1: 'mov', 0xa2: 'mov', 0xa3: 'mov', 0xa4: 'movsb', 0xa5: 'movsd', 0xa6: 'cmpsb', 0xa7: 'cmpsd', 0xa8: 'test', 0xa9: 'test',
  0xaa: 'stosb', 0xab: 'stosd', 0xac: 'lodsb', 0xad: 'lodsd', 0xae: 'scasb', 0xaf: 'scasd',
  0xc2: 'ret', 0xc3: 'ret', 0xc4: 'les', 0xc5: 'lds', 0xc6: 'mov', 0xc7: 'mov', 0xc8: 'enter', 0xc9: 'leave', 0xca: 'lret', 0xcb: 'lret',
  0xcc: 'int3', 0xcd: 'int', 0xce: 'into', 0xcf: 'iret', 0xd4: 'aam', 0xd5: 'aad', 0xd6: 'salc', 0xd7: 'xlat',
  0xe0: 'loopne', 0xe1: 'loope', 0xe2: 'loop', 0xe3: 'jecxz', 0xe4: 'in', 0xe5: 'in', 0xe6: 'out', 0xe7: 'out',
  0xe8: 'call', 0xe9: 'jmp', 0xea: 'ljmp', 0xeb: 'jmp', 0xec: 'in', 0xed: 'in', 0xee: 'out', 0xef: 'out', 0xf1: 'icebp',
  0xf4: 'hlt', 0xf5: 'cmc', 0xf8: 'clc', 0xf9: 'stc', 0xfa: 'cli', 0xfb: 'sti', 0xfc: 'cld', 0xfd: 'std',
};
const TWO: Record<number, string> = {
  0x02: 'lar', 0x03: 'lsl', 0x06: 'clts', 0x08: 'invd', 0x09: 'wbinvd', 0x0b: 'ud2', 0x1f: 'nop', 0x20: 'mov', 0x21: 'mov', 0x22: 'mov', 0x23: 'mov',
  0x30: 'wrmsr', 0x31: 'rdtsc', 0x32: 'rdmsr', 0x34: 'sysenter', 0x35: 'sysexit', 0xa0: 'push fs', 0xa1: 'pop fs', 0xa2: 'cpuid', 0xa3: 'bt',
  0xa4: 'shld', 0xa5: 'shld', 0xa8: 'push gs', 0xa9: 'pop gs', 0xab: 'bts', 0xac: 'shrd', 0xad: 'shrd', 0xae: 'fence', 0xaf: 'imul',
  0xb0: 'cmpxchg', 0xb1: 'cmpxchg', 0xb2: 'lss', 0xb3: 'btr', 0xb4: 'lfs', 0xb5: 'lgs', 0xb6: 'movzbl', 0xb7: 'movzwl', 0xbb: 'btc',
  0xbc: 'bsf', 0xbd: 'bsr', 0xbe: 'movsbl', 0xbf: 'movswl', 0xc0: 'xadd', 0xc1: 'xadd', 0xc7: 'cmpxchg8b',
};

export function disasX86(bytes: number[], pc: number, code32: boolean): string {
  void code32;
  let i = 0;
  const pre: string[] = [];
  while (i < bytes.length) {
    const p = bytes[i];
    if (p === 0xf3) pre.push('rep'); else if (p === 0xf2) pre.push('repne'); else if (p === 0xf0) pre.push('lock');
    else if (p === 0x66) pre.push('data16'); else if (p === 0x67) pre.push('addr16');
    else if ([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(p)) pre.push(['es', 'cs', 'ss', 'ds', 'fs', 'gs'][[0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].indexOf(p)]);
    else break;
    i++;
  }
  const op = bytes[i] ?? 0, m = bytes[i + 1] ?? 0, reg = (m >>> 3) & 7;
  let name: string;
  if (op === 0x0f) {
    const o2 = m, r2 = ((bytes[i + 2] ?? 0) >>> 3) & 7;
    if (o2 >= 0x80 && o2 < 0x90) name = 'j' + CC[o2 & 15];
    else if (o2 >= 0x90 && o2 < 0xa0) name = 'set' + CC[o2 & 15];
    else if (o2 >= 0x40 && o2 < 0x50) name = 'cmov' + CC[o2 & 15];
    else if (o2 >= 0xc8 && o2 < 0xd0) name = 'bswap ' + REG32[o2 & 7];
    else if (o2 === 0x00) name = G6[r2];
    else if (o2 === 0x01) name = G7[r2];
    else if (o2 === 0xba) name = ['(bad)', '(bad)', '(bad)', '(bad)', 'bt', 'bts', 'btr', 'btc'][r2];
    else name = TWO[o2] ?? '(bad)';
  } else if (op < 0x40 && (op & 7) < 6) name = ALU[op >> 3];
  else if (op >= 0x40 && op < 0x48) name = 'inc ' + REG32[op & 7];
  else if (op >= 0x48 && op < 0x50) name = 'dec ' + REG32[op & 7];
  else if (op >= 0x50 && op < 0x58) name = 'push ' + REG32[op & 7];
  else if (op >= 0x58 && op < 0x60) name = 'pop ' + REG32[op & 7];
  else if (op >= 0x70 && op < 0x80) name = 'j' + CC[op & 15];
  else if (op >= 0x80 && op <= 0x83) name = ALU[reg];
  else if (op >= 0x91 && op < 0x98) name = 'xchg ' + REG32[op & 7] + ',eax';
  else if (op >= 0xb0 && op < 0xc0) name = 'mov';
  else if (op === 0xc0 || op === 0xc1 || (op >= 0xd0 && op <= 0xd3)) name = SHIFT[reg];
  else if (op === 0xf6 || op === 0xf7) name = G3[reg];
  else if (op === 0xfe || op === 0xff) name = G5[reg];
  else if (op >= 0xd8 && op <= 0xdf) name = 'fpu';
  else name = ONE[op] ?? '(bad)';
  void pc;
  const hex = bytes.map((x) => x.toString(16).padStart(2, '0')).join(' ');
  return `${[...pre, name].join(' ').padEnd(24)} ; ${hex}`;
}
