/**
 * A compact i386 disassembler for `-d in_asm` and the monitor, in AT&T
 * syntax as objdump prints it (`mov %esp,%ebp`, `add $0x10,%esp`,
 * `movl $0x1,0x8(%ebx,%esi,4)`, `jne 0x100020`). Operand forms come from a
 * table keyed by opcode (Intel operand order, printed reversed). The x87
 * escapes print as `fpu` with their ModRM byte.
 */
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const SHIFT = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const G3 = ['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'];
const G5 = ['inc', 'dec', 'call', 'lcall', 'jmp', 'ljmp', 'push', '(bad)'];
const G6 = ['sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', '(bad)', '(bad)'];
const G7 = ['sgdt', 'sidt', 'lgdt', 'lidt', 'smsw', '(bad)', 'lmsw', 'invlpg'];
const G8 = ['(bad)', '(bad)', '(bad)', '(bad)', 'bt', 'bts', 'btr', 'btc'];
const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const SREG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs', '?', '?'];
const SEG_PREFIX: Record<number, string> = { 0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs' };

/** [mnemonic, operands] per one-byte opcode; operands in Intel order. */
const ONE: Record<number, [string, string]> = {
  0x06: ['push', '%es'], 0x07: ['pop', '%es'], 0x0e: ['push', '%cs'], 0x16: ['push', '%ss'], 0x17: ['pop', '%ss'],
  0x1e: ['push', '%ds'], 0x1f: ['pop', '%ds'], 0x27: ['daa', ''], 0x2f: ['das', ''], 0x37: ['aaa', ''], 0x3f: ['aas', ''],
  0x60: ['pusha', ''], 0x61: ['popa', ''], 0x62: ['bound', 'Gv,M'], 0x63: ['arpl', 'Ew,Gw'], 0x68: ['push', 'Iz'],
  0x69: ['imul', 'Gv,Ev,Iz'], 0x6a: ['push', 'Ibs'], 0x6b: ['imul', 'Gv,Ev,Ibs'], 0x6c: ['insb', ''], 0x6d: ['ins', 'v'],
  0x6e: ['outsb', ''], 0x6f: ['outs', 'v'],
  0x80: ['G1', 'Eb,Ib'], 0x81: ['G1', 'Ev,Iz'], 0x82: ['G1', 'Eb,Ib'], 0x83: ['G1', 'Ev,Ibs'],
  0x84: ['test', 'Eb,Gb'], 0x85: ['test', 'Ev,Gv'], 0x86: ['xchg', 'Eb,Gb'], 0x87: ['xchg', 'Ev,Gv'],
  0x88: ['mov', 'Eb,Gb'], 0x89: ['mov', 'Ev,Gv'], 0x8a: ['mov', 'Gb,Eb'], 0x8b: ['mov', 'Gv,Ev'], 0x8c: ['mov', 'Ew,Sw'],
  0x8d: ['lea', 'Gv,M'], 0x8e: ['mov', 'Sw,Ew'], 0x8f: ['pop', 'Ev'], 0x90: ['nop', ''], 0x98: ['cwtl', ''], 0x99: ['cltd', ''],
  0x9a: ['lcall', 'Ap'], 0x9b: ['fwait', ''], 0x9c: ['pushf', ''], 0x9d: ['popf', ''], 0x9e: ['sahf', ''], 0x9f: ['lahf', ''],
  0xa0: ['mov', 'AL,Ob'], 0xa1: ['mov', 'eAX,Ov'], 0xa2: ['mov', 'Ob,AL'], 0xa3: ['mov', 'Ov,eAX'],
  0xa4: ['movsb', 'Xs'], 0xa5: ['movs', 'Xsv'], 0xa6: ['cmpsb', 'Xs'], 0xa7: ['cmps', 'Xsv'], 0xa8: ['test', 'AL,Ib'], 0xa9: ['test', 'eAX,Iz'],
  0xaa: ['stosb', 'Xs'], 0xab: ['stos', 'Xsv'], 0xac: ['lodsb', 'Xs'], 0xad: ['lods', 'Xsv'], 0xae: ['scasb', 'Xs'], 0xaf: ['scas', 'Xsv'],
  0xc0: ['G2', 'Eb,Ib'], 0xc1: ['G2', 'Ev,Ib'], 0xc2: ['ret', 'Iw'], 0xc3: ['ret', ''], 0xc4: ['les', 'Gv,M'], 0xc5: ['lds', 'Gv,M'],
  0xc6: ['mov', 'Eb,Ib'], 0xc7: ['mov', 'Ev,Iz'], 0xc8: ['enter', 'Iw,Ib'], 0xc9: ['leave', ''], 0xca: ['lret', 'Iw'], 0xcb: ['lret', ''],
  0xcc: ['int3', ''], 0xcd: ['int', 'Ib'], 0xce: ['into', ''], 0xcf: ['iret', ''],
  0xd0: ['G2', 'Eb,1'], 0xd1: ['G2', 'Ev,1'], 0xd2: ['G2', 'Eb,CL'], 0xd3: ['G2', 'Ev,CL'], 0xd4: ['aam', 'Ib'], 0xd5: ['aad', 'Ib'],
  0xd6: ['salc', ''], 0xd7: ['xlat', ''],
  0xe0: ['loopne', 'Jb'], 0xe1: ['loope', 'Jb'], 0xe2: ['loop', 'Jb'], 0xe3: ['jecxz', 'Jb'], 0xe4: ['in', 'AL,Ib'], 0xe5: ['in', 'eAX,Ib'],
  0xe6: ['out', 'Ib,AL'], 0xe7: ['out', 'Ib,eAX'], 0xe8: ['call', 'Jz'], 0xe9: ['jmp', 'Jz'], 0xea: ['ljmp', 'Ap'], 0xeb: ['jmp', 'Jb'],
  0xec: ['in', 'AL,DX'], 0xed: ['in', 'eAX,DX'], 0xee: ['out', 'DX,AL'], 0xef: ['out', 'DX,eAX'], 0xf1: ['icebp', ''],
  0xf4: ['hlt', ''], 0xf5: ['cmc', ''], 0xf6: ['G3', 'Eb'], 0xf7: ['G3', 'Ev'], 0xf8: ['clc', ''], 0xf9: ['stc', ''],
  0xfa: ['cli', ''], 0xfb: ['sti', ''], 0xfc: ['cld', ''], 0xfd: ['std', ''], 0xfe: ['G4', 'Eb'], 0xff: ['G5', 'Ev'],
};
const TWO: Record<number, [string, string]> = {
  0x00: ['G6', 'Ew'], 0x01: ['G7', 'M'], 0x02: ['lar', 'Gv,Ew'], 0x03: ['lsl', 'Gv,Ew'], 0x06: ['clts', ''], 0x08: ['invd', ''],
  0x09: ['wbinvd', ''], 0x0b: ['ud2', ''], 0x1f: ['nop', 'Ev'], 0x20: ['mov', 'Rd,Cd'], 0x21: ['mov', 'Rd,Dd'], 0x22: ['mov', 'Cd,Rd'],
  0x23: ['mov', 'Dd,Rd'], 0x30: ['wrmsr', ''], 0x31: ['rdtsc', ''], 0x32: ['rdmsr', ''], 0x34: ['sysenter', ''], 0x35: ['sysexit', ''],
  0xa0: ['push', '%fs'], 0xa1: ['pop', '%fs'], 0xa2: ['cpuid', ''], 0xa3: ['bt', 'Ev,Gv'], 0xa4: ['shld', 'Ev,Gv,Ib'],
  0xa5: ['shld', 'Ev,Gv,CL'], 0xa8: ['push', '%gs'], 0xa9: ['pop', '%gs'], 0xab: ['bts', 'Ev,Gv'], 0xac: ['shrd', 'Ev,Gv,Ib'],
  0xad: ['shrd', 'Ev,Gv,CL'], 0xae: ['G15', 'E'], 0xaf: ['imul', 'Gv,Ev'], 0xb0: ['cmpxchg', 'Eb,Gb'], 0xb1: ['cmpxchg', 'Ev,Gv'],
  0xb2: ['lss', 'Gv,M'], 0xb3: ['btr', 'Ev,Gv'], 0xb4: ['lfs', 'Gv,M'], 0xb5: ['lgs', 'Gv,M'], 0xb6: ['movzb', 'Gv,Eb'],
  0xb7: ['movzw', 'Gv,Ew'], 0xba: ['G8', 'Ev,Ib'], 0xbb: ['btc', 'Ev,Gv'], 0xbc: ['bsf', 'Gv,Ev'], 0xbd: ['bsr', 'Gv,Ev'],
  0xbe: ['movsb', 'Gv,Eb'], 0xbf: ['movsw', 'Gv,Ew'], 0xc0: ['xadd', 'Eb,Gb'], 0xc1: ['xadd', 'Ev,Gv'], 0xc7: ['cmpxchg8b', 'M'],
};

const hex = (v: number) => '0x' + (v >>> 0).toString(16);

export function disasX86(bytes: number[], pc: number, code32: boolean): string {
  let i = 0;
  let osz32 = code32, asz32 = code32, seg = '';
  const pre: string[] = [];
  for (; i < bytes.length; i++) {
    const p = bytes[i];
    if (p === 0xf3) pre.push('repz'); else if (p === 0xf2) pre.push('repnz'); else if (p === 0xf0) pre.push('lock');
    else if (p === 0x66) osz32 = !code32; else if (p === 0x67) asz32 = !code32;
    else if (SEG_PREFIX[p]) seg = SEG_PREFIX[p];
    else break;
  }
  const byte = () => bytes[i++] ?? 0;
  const imm = (n: number) => { let v = 0; for (let k = 0; k < n; k++) v |= byte() << (8 * k); return v >>> 0; };
  const end = () => (pc + bytes.length) >>> 0;
  let op = byte();
  let entry: [string, string] | undefined;
  let two = false;
  if (op === 0x0f) {
    two = true;
    op = byte();
    if (op >= 0x80 && op < 0x90) entry = ['j' + CC[op & 15], 'Jz'];
    else if (op >= 0x90 && op < 0xa0) entry = ['set' + CC[op & 15], 'Eb'];
    else if (op >= 0x40 && op < 0x50) entry = ['cmov' + CC[op & 15], 'Gv,Ev'];
    else if (op >= 0xc8 && op < 0xd0) entry = ['bswap', 'Zd'];
    else entry = TWO[op];
  } else if (op < 0x40 && (op & 7) < 6) {
    entry = [ALU[op >> 3], ['Eb,Gb', 'Ev,Gv', 'Gb,Eb', 'Gv,Ev', 'AL,Ib', 'eAX,Iz'][op & 7]];
  } else if (op >= 0x40 && op < 0x60) entry = [['inc', 'dec', 'push', 'pop'][(op - 0x40) >> 3], 'Zv'];
  else if (op >= 0x70 && op < 0x80) entry = ['j' + CC[op & 15], 'Jb'];
  else if (op >= 0x91 && op < 0x98) entry = ['xchg', 'Zv,eAX'];
  else if (op >= 0xb0 && op < 0xb8) entry = ['mov', 'Zb,Ib'];
  else if (op >= 0xb8 && op < 0xc0) entry = ['mov', 'Zv,Iv'];
  else if (op >= 0xd8 && op <= 0xdf) return [...pre, `fpu ${op.toString(16)} ${(bytes[i] ?? 0).toString(16).padStart(2, '0')}`].join(' ');
  else entry = ONE[op];
  if (!entry) return '(bad)';
  let [name, form] = entry;
  const needsModrm = /E|G|M|S|R|C|D/.test(form.replace(/eAX|DX|AL|CL/g, '')) || name.startsWith('G');
  const modrm = needsModrm ? byte() : 0;
  const mod = modrm >>> 6, reg = (modrm >>> 3) & 7, rm = modrm & 7;
  const regName = (n: number, sz: string) => '%' + (sz === 'b' ? R8[n] : sz === 'w' || (sz === 'v' && !osz32) ? R16[n] : R32[n]);
  let memText = '';
  if (needsModrm && mod !== 3) {
    if (asz32) {
      let base = rm, index = -1, scale = 0, disp = 0, hasBase = true;
      if (rm === 4) { const sib = byte(); scale = sib >>> 6; index = (sib >>> 3) & 7; base = sib & 7; if (index === 4) index = -1; }
      if (base === 5 && mod === 0) { hasBase = false; disp = imm(4) | 0; }
      if (mod === 1) disp = (byte() << 24) >> 24; else if (mod === 2) disp = imm(4) | 0;
      const d = disp === 0 && hasBase && mod === 0 ? '' : disp < 0 ? '-' + hex(-disp) : hex(disp);
      const parts = hasBase || index >= 0 ? `(${hasBase ? '%' + R32[base] : ''}${index >= 0 ? `,%${R32[index]},${1 << scale}` : ''})` : '';
      memText = d + parts;
    } else {
      const bases = ['%bx,%si', '%bx,%di', '%bp,%si', '%bp,%di', '%si', '%di', '%bp', '%bx'];
      let disp = 0;
      if (mod === 0 && rm === 6) memText = hex(imm(2));
      else {
        if (mod === 1) disp = (byte() << 24) >> 24; else if (mod === 2) disp = (imm(2) << 16) >> 16;
        memText = (mod === 0 ? '' : disp < 0 ? '-' + hex(-disp) : hex(disp)) + `(${bases[rm]})`;
      }
    }
    if (seg) memText = `%${seg}:` + memText;
  }
  // group opcodes
  if (name === 'G1') name = ALU[reg];
  else if (name === 'G2') name = SHIFT[reg];
  else if (name === 'G3') { name = G3[reg]; if (reg < 2) form += form === 'Eb' ? ',Ib' : ',Iz'; }
  else if (name === 'G4') name = ['inc', 'dec'][reg] ?? '(bad)';
  else if (name === 'G5') { name = G5[reg]; if (reg >= 2 && reg <= 5) form = '*Ev'; }
  else if (name === 'G6') name = G6[reg];
  else if (name === 'G7') { name = G7[reg]; if (reg === 4 || reg === 6) form = 'Ew'; }
  else if (name === 'G8') name = G8[reg];
  else if (name === 'G15') { name = mod === 3 ? ['', '', '', '', '', 'lfence', 'mfence', 'sfence'][reg] || '(bad)' : ['fxsave', 'fxrstor'][reg] ?? '(bad)'; form = mod === 3 ? '' : 'M'; }
  const ops: string[] = [];
  let hasReg = false;
  for (let f of form.split(',').filter((x) => x)) {
    let star = '';
    if (f.startsWith('*')) { star = '*'; f = f.slice(1); }
    const sz = f.length > 1 ? f[1] : '';
    if (f === 'AL' || f === 'CL') { ops.push('%' + f.toLowerCase()); hasReg = true; continue; }
    if (f === 'DX') { ops.push('(%dx)'); continue; }
    switch (f[0]) {
      case '%': ops.push(f); hasReg = true; break;
      case 'E': case 'M':
        if (mod === 3) { ops.push(star + regName(rm, sz || 'v')); hasReg = true; } else ops.push(star + memText);
        break;
      case 'G': ops.push(regName(reg, sz)); hasReg = true; break;
      case 'Z': ops.push(regName(op & 7, sz)); hasReg = true; break;
      case 'S': ops.push('%' + SREG[reg]); hasReg = true; break;
      case 'R': ops.push('%' + R32[rm]); hasReg = true; break;
      case 'C': ops.push('%cr' + reg); break;
      case 'D': ops.push('%db' + reg); break;
      case 'I': {
        const n = f === 'Ib' || f === 'Ibs' ? 1 : f === 'Iw' ? 2 : osz32 ? 4 : 2;
        let v = imm(n);
        if (f === 'Ibs') v = ((v << 24) >> 24) & (osz32 ? -1 : 0xffff);
        ops.push('$' + hex(v));
        break;
      }
      case 'J': {
        const n = f === 'Jb' ? 1 : osz32 ? 4 : 2;
        const v = imm(n);
        const d = n === 1 ? (v << 24) >> 24 : n === 2 ? (v << 16) >> 16 : v | 0;
        ops.push((osz32 ? (end() + d) >>> 0 : (end() + d) & 0xffff).toString(16)); // objdump prints branch targets as bare hex
        break;
      }
      case 'O': ops.push((seg ? `%${seg}:` : '') + hex(imm(asz32 ? 4 : 2))); break;
      case 'A': { const off = imm(osz32 ? 4 : 2), sel = imm(2); ops.push('$' + hex(off), '$' + hex(sel)); break; }
      case 'e': ops.push(osz32 ? '%eax' : '%ax'); hasReg = true; break;
      case '1': break; // objdump omits the count of shift-by-one forms
      default: break; // X (string operands implied), v (size only)
    }
  }
  // an AT&T size suffix where no register operand fixes the size
  if (!hasReg && (form.includes('E') || form.includes('M')) && mod !== 3 && !['lea', 'lgdt', 'lidt', 'sgdt', 'sidt', 'invlpg', 'lds', 'les', 'lss', 'lfs', 'lgs', 'bound', 'cmpxchg8b', 'fxsave', 'fxrstor'].includes(name) && !name.startsWith('set') && !star(form)) {
    const sz = form.includes('Eb') ? 'b' : form.includes('Ew') ? 'w' : osz32 ? 'l' : 'w';
    name += sz;
  }
  if (form === 'v' || form === 'Xsv') name += osz32 ? 'l' : 'w';
  if (two && name === 'movzb' || name === 'movzw' || name === 'movsb' && two || name === 'movsw' && two) name += osz32 ? 'l' : 'w';
  if (!two && (op === 0x98 || op === 0x99) && !osz32) name = op === 0x98 ? 'cbtw' : 'cwtd';
  if (!two && (op === 0x68 || op === 0x6a) && osz32 !== code32) name += osz32 ? 'l' : 'w';
  if (!two && op !== 0xa6 && op !== 0xa7 && op !== 0xae && op !== 0xaf) { const k = pre.indexOf('repz'); if (k >= 0) pre[k] = 'rep'; }
  const text = ops.length ? `${name} ${(op === 0xc8 && !two ? ops : ops.reverse()).join(',')}` : name;
  return [...pre, text].join(' ');
}

function star(form: string): boolean { return form.startsWith('*'); }
