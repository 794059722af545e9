/*
 * x86 integer instruction test, built twice from this source: as an i386
 * Linux static binary (native.c; its output is x86test.expected) and as a
 * multiboot kernel (kernel.c + start.S) that must print the same in tsemu
 * and in qemu-system-i386.
 *
 * Every line shows inputs, results and the arithmetic flags
 * (CF PF AF ZF SF OF, mask 0x8d5) after the operation. Flags the SDM calls
 * undefined for an instruction are masked out (printed as 0) and the mask is
 * noted at each group; the host this was generated on is an AMD EPYC, whose
 * undefined flags differ from Intel's and from QEMU's.
 */
#include "common.h"

#define CF 0x001
#define PF 0x004
#define AF 0x010
#define ZF 0x040
#define SF 0x080
#define OF 0x800
#define ARITH (CF | PF | AF | ZF | SF | OF)
/* EFLAGS inputs: all arithmetic flags clear, or all set (bit 1 is always 1). */
static const u32 FIN[2] = { 0x002, 0x002 | ARITH };

static const u32 V8[] = { 0, 1, 0x7f, 0x80, 0xff, 0x5a };
static const u32 V16[] = { 0, 1, 0x7fff, 0x8000, 0xffff, 0x1234 };
static const u32 V32[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678 };
static const u32 *const VALS[3] = { V8, V16, V32 };
static const int NV = 6;
static const int WIDTH[3] = { 8, 16, 32 };

static void hx(u32 v, int sz) {
  if (sz == 0) pr("%02x", v & 0xff); else if (sz == 1) pr("%04x", v & 0xffff); else pr("%08x", v);
}
static void res(const char *name, u32 r, u32 f, u32 mask, int sz) {
  pr(" %s=", name); hx(r, sz); pr("/%03x", f & mask);
}

/* ---- binary ALU ops ---- */
#define BIN(N, I) \
static u32 N##8(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "b %b[b], %b[r]\n\tpushf\n\tpop %[f]" : [r] "+q"(a), [f] "=&r"(f) : [b] "q"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##16(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "w %w[b], %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##32(u32 a, u32 b, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "l %k[b], %k[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : [b] "r"(b), [fi] "r"(fi) : "cc"); *fo = f; return a; }
BIN(add, "add") BIN(adc, "adc") BIN(sub, "sub") BIN(sbb, "sbb") BIN(cmp, "cmp")
BIN(and, "and") BIN(or, "or") BIN(xor, "xor") BIN(test, "test")
typedef u32 (*binfn)(u32, u32, u32, u32 *);
/* AND/OR/XOR/TEST: AF undefined. */
static const struct { const char *n; binfn f[3]; u32 mask; int twoflags; } BINOPS[] = {
  { "add", { add8, add16, add32 }, ARITH, 0 }, { "adc", { adc8, adc16, adc32 }, ARITH, 1 },
  { "sub", { sub8, sub16, sub32 }, ARITH, 0 }, { "sbb", { sbb8, sbb16, sbb32 }, ARITH, 1 },
  { "cmp", { cmp8, cmp16, cmp32 }, ARITH, 0 }, { "and", { and8, and16, and32 }, ARITH & ~AF, 0 },
  { "or", { or8, or16, or32 }, ARITH & ~AF, 0 }, { "xor", { xor8, xor16, xor32 }, ARITH & ~AF, 0 },
  { "test", { test8, test16, test32 }, ARITH & ~AF, 0 },
};

static void test_alu(void) {
  pr("== ALU (AND/OR/XOR/TEST: AF masked)\n");
  for (int sz = 0; sz < 3; sz++)
    for (int i = 0; i < NV; i++)
      for (int j = 0; j < NV; j++) {
        u32 a = VALS[sz][i], b = VALS[sz][j], f;
        pr("alu%d ", WIDTH[sz]); hx(a, sz); pr(","); hx(b, sz); pr(":");
        for (unsigned k = 0; k < sizeof BINOPS / sizeof BINOPS[0]; k++) {
          for (int c = 0; c <= BINOPS[k].twoflags; c++) {
            u32 r = BINOPS[k].f[sz](a, b, BINOPS[k].twoflags ? (c ? 0x003 : 0x002) : FIN[(i + j) & 1], &f);
            res(BINOPS[k].twoflags ? (c ? (k == 1 ? "adc1" : "sbb1") : BINOPS[k].n) : BINOPS[k].n, r, f, BINOPS[k].mask, sz);
          }
        }
        pr("\n");
      }
}

/* ---- unary ---- */
#define UN(N, I) \
static u32 N##8(u32 a, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "b %b[r]\n\tpushf\n\tpop %[f]" : [r] "+q"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##16(u32 a, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "w %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##32(u32 a, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "l %k[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : [fi] "r"(fi) : "cc"); *fo = f; return a; }
UN(inc, "inc") UN(dec, "dec") UN(neg, "neg") UN(not, "not")
typedef u32 (*unfn)(u32, u32, u32 *);
static const struct { const char *n; unfn f[3]; } UNOPS[] = {
  { "inc", { inc8, inc16, inc32 } }, { "dec", { dec8, dec16, dec32 } },
  { "neg", { neg8, neg16, neg32 } }, { "not", { not8, not16, not32 } },
};

static void test_unary(void) {
  pr("== INC/DEC/NEG/NOT (CF in: INC/DEC keep it)\n");
  for (int sz = 0; sz < 3; sz++)
    for (int i = 0; i < NV; i++)
      for (int c = 0; c < 2; c++) {
        u32 a = VALS[sz][i], f;
        pr("un%d ", WIDTH[sz]); hx(a, sz); pr(" fin=%03x:", FIN[c] & ARITH);
        for (int k = 0; k < 4; k++) { u32 r = UNOPS[k].f[sz](a, FIN[c], &f); res(UNOPS[k].n, r, f, ARITH, sz); }
        pr("\n");
      }
}

/* ---- shifts and rotates ---- */
#define SH(N, I) \
static u32 N##8(u32 a, u32 c, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "b %%cl, %b[r]\n\tpushf\n\tpop %[f]" : [r] "+q"(a), [f] "=&r"(f) : "c"(c), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##16(u32 a, u32 c, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "w %%cl, %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : "c"(c), [fi] "r"(fi) : "cc"); *fo = f; return a; } \
static u32 N##32(u32 a, u32 c, u32 fi, u32 *fo) { u32 f; asm volatile("push %[fi]\n\tpopf\n\t" I "l %%cl, %k[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(a), [f] "=&r"(f) : "c"(c), [fi] "r"(fi) : "cc"); *fo = f; return a; }
SH(shl, "shl") SH(shr, "shr") SH(sar, "sar") SH(rol, "rol") SH(ror, "ror") SH(rcl, "rcl") SH(rcr, "rcr")
typedef u32 (*shfn)(u32, u32, u32, u32 *);
static const struct { const char *n; shfn f[3]; int rot; } SHOPS[] = {
  { "shl", { shl8, shl16, shl32 }, 0 }, { "shr", { shr8, shr16, shr32 }, 0 }, { "sar", { sar8, sar16, sar32 }, 0 },
  { "rol", { rol8, rol16, rol32 }, 1 }, { "ror", { ror8, ror16, ror32 }, 1 }, { "rcl", { rcl8, rcl16, rcl32 }, 1 },
  { "rcr", { rcr8, rcr16, rcr32 }, 1 },
};

/* The SDM's undefined flags for a shift/rotate by (count & 31): none for 0 (flags
   unchanged); AF for shifts; OF unless the count is 1; CF for SHL/SHR when the
   count is >= the operand width. */
static u32 shmask(int k, u32 cnt, int width) {
  cnt &= 31;
  if (cnt == 0) return ARITH;
  u32 m = ARITH;
  if (!SHOPS[k].rot) m &= ~AF;
  if (cnt != 1) m &= ~OF;
  if (k <= 1 && cnt >= (u32)width) m &= ~CF;
  return m;
}

static void test_shift(void) {
  pr("== shifts/rotates by CL (undefined: AF for shifts, OF for count != 1, CF for SHL/SHR count >= width)\n");
  static const u32 A8[] = { 0x81, 0x7f, 0x5a }, A16[] = { 0x8001, 0x7fff, 0x5a5a }, A32[] = { 0x80000001, 0x7fffffff, 0x5a5a5a5a };
  static const u32 *const AS[3] = { A8, A16, A32 };
  for (int sz = 0; sz < 3; sz++) {
    int w = WIDTH[sz];
    u32 counts[] = { 0, 1, w - 1, w, w + 1, 31, 32, 33 };
    for (int i = 0; i < 3; i++)
      for (int ci = 0; ci < 8; ci++)
        for (int c = 0; c < 2; c++) {
          u32 a = AS[sz][i], cnt = counts[ci], f;
          pr("sh%d ", w); hx(a, sz); pr(" cl=%d fin=%03x:", cnt, FIN[c] & ARITH);
          for (int k = 0; k < 7; k++) { u32 r = SHOPS[k].f[sz](a, cnt, FIN[c], &f); res(SHOPS[k].n, r, f, shmask(k, cnt, w), sz); }
          pr("\n");
        }
  }
  pr("== shifts by 1 and by imm8 (D0/D1 and C0/C1 forms)\n");
  for (int i = 0; i < 3; i++) {
    u32 a = A32[i], f1, f2, f3, f4, f5, f6;
    u32 r1 = a, r2 = a, r3 = a, r4 = a & 0xff, r5 = a & 0xffff, r6 = a;
    asm volatile("push %[fi]\n\tpopf\n\tshll $1, %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r1), [f] "=&r"(f1) : [fi] "r"(0x2) : "cc");
    asm volatile("push %[fi]\n\tpopf\n\tsarl $7, %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r2), [f] "=&r"(f2) : [fi] "r"(0x2) : "cc");
    asm volatile("push %[fi]\n\tpopf\n\trcrl $1, %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r3), [f] "=&r"(f3) : [fi] "r"(0x3) : "cc");
    asm volatile("push %[fi]\n\tpopf\n\trolb $4, %b[r]\n\tpushf\n\tpop %[f]" : [r] "+q"(r4), [f] "=&r"(f4) : [fi] "r"(0x2) : "cc");
    asm volatile("push %[fi]\n\tpopf\n\tshrw $1, %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r5), [f] "=&r"(f5) : [fi] "r"(0x2) : "cc");
    asm volatile("push %[fi]\n\tpopf\n\trcll $9, %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r6), [f] "=&r"(f6) : [fi] "r"(0x3) : "cc");
    pr("shimm %08x:", a);
    res("shl1", r1, f1, ARITH & ~AF, 2); res("sar7", r2, f2, ARITH & ~AF & ~OF, 2); res("rcr1", r3, f3, ARITH, 2);
    res("rol4b", r4, f4, ARITH & ~OF, 0); res("shr1w", r5, f5, ARITH & ~AF, 1); res("rcl9", r6, f6, ARITH & ~OF, 2);
    pr("\n");
  }
  pr("== SHLD/SHRD (AF undefined, OF unless count 1; 16-bit counts > 16 are undefined: not tested)\n");
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      static const u32 cnts[] = { 0, 1, 4, 15, 16, 31, 32, 33 };
      u32 a = A32[i], b = A32[(j + 1) % 3] ^ 0x0f0f0f0f;
      pr("shxd %08x,%08x:", a, b);
      for (int ci = 0; ci < 8; ci++) {
        u32 cnt = cnts[ci], r1 = a, r2 = a, r3 = a & 0xffff, f1, f2, f3;
        asm volatile("push %[fi]\n\tpopf\n\tshldl %%cl, %[b], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r1), [f] "=&r"(f1) : [b] "r"(b), "c"(cnt), [fi] "r"(0x2) : "cc");
        asm volatile("push %[fi]\n\tpopf\n\tshrdl %%cl, %[b], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r2), [f] "=&r"(f2) : [b] "r"(b), "c"(cnt), [fi] "r"(0x2) : "cc");
        asm volatile("push %[fi]\n\tpopf\n\tshldw %%cl, %w[b], %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r3), [f] "=&r"(f3) : [b] "r"(b), "c"(cnt), [fi] "r"(0x2) : "cc");
        u32 m = (cnt & 31) == 0 ? ARITH : (cnt & 31) == 1 ? ARITH & ~AF : ARITH & ~AF & ~OF;
        pr(" %d:", cnt); hx(r1, 2); pr("/%03x,", f1 & m); hx(r2, 2); pr("/%03x", f2 & m);
        if ((cnt & 31) <= 16) { pr(","); hx(r3, 1); pr("/%03x", f3 & m); }
      }
      pr("\n");
    }
}

/* ---- multiply / divide ---- */
static void test_muldiv(void) {
  pr("== MUL/IMUL (SF ZF AF PF undefined)\n");
  const u32 mm = CF | OF;
  for (int sz = 0; sz < 3; sz++)
    for (int i = 0; i < NV; i++)
      for (int j = 0; j < NV; j++) {
        u32 a = VALS[sz][i], b = VALS[sz][j], lo, hi, f;
        pr("mul%d ", WIDTH[sz]); hx(a, sz); pr(","); hx(b, sz); pr(":");
        if (sz == 0) {
          lo = a;
          asm volatile("mulb %b[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), [f] "=&r"(f) : [b] "q"(b) : "cc");
          pr(" mul=%04x/%03x", lo & 0xffff, f & mm);
          lo = a;
          asm volatile("imulb %b[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), [f] "=&r"(f) : [b] "q"(b) : "cc");
          pr(" imul=%04x/%03x", lo & 0xffff, f & mm);
        } else if (sz == 1) {
          lo = a;
          asm volatile("mulw %w[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), "=&d"(hi), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" mul=%04x:%04x/%03x", hi & 0xffff, lo & 0xffff, f & mm);
          lo = a;
          asm volatile("imulw %w[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), "=&d"(hi), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" imul=%04x:%04x/%03x", hi & 0xffff, lo & 0xffff, f & mm);
          lo = a;
          asm volatile("imulw %w[b], %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(lo), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" imul2=%04x/%03x", lo & 0xffff, f & mm);
          asm volatile("imulw $-3, %w[b], %w[r]\n\tpushf\n\tpop %[f]" : [r] "=&r"(lo), [f] "=&r"(f) : [b] "r"(a) : "cc");
          pr(" imul3=%04x/%03x", lo & 0xffff, f & mm);
        } else {
          lo = a;
          asm volatile("mull %[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), "=&d"(hi), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" mul=%08x:%08x/%03x", hi, lo, f & mm);
          lo = a;
          asm volatile("imull %[b]\n\tpushf\n\tpop %[f]" : "+a"(lo), "=&d"(hi), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" imul=%08x:%08x/%03x", hi, lo, f & mm);
          lo = a;
          asm volatile("imull %[b], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(lo), [f] "=&r"(f) : [b] "r"(b) : "cc");
          pr(" imul2=%08x/%03x", lo, f & mm);
          asm volatile("imull $0x10001, %[b], %[r]\n\tpushf\n\tpop %[f]" : [r] "=&r"(lo), [f] "=&r"(f) : [b] "r"(a) : "cc");
          pr(" imul3=%08x/%03x", lo, f & mm);
        }
        pr("\n");
      }
  pr("== DIV/IDIV (all flags undefined; quotient overflow is #DE, tested below)\n");
  static const u32 N32[] = { 0, 1, 100, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678 };
  static const u32 D32[] = { 1, 3, 7, 0x7f, 0x80, 0xff, 0xffff, 0xffffffff, 0x80000000 };
  for (int i = 0; i < 7; i++) {
    pr("div %08x:", N32[i]);
    for (int j = 0; j < 9; j++) {
      u32 n = N32[i], d = D32[j], q, r;
      /* 32-bit: EDX:EAX = sign/zero extension of n, so no overflow except INT_MIN/-1 for IDIV. */
      asm volatile("xor %%edx, %%edx\n\tdivl %[d]" : "=a"(q), "=&d"(r) : "a"(n), [d] "r"(d) : "cc");
      pr(" %x/%x", q, r);
      if (!(n == 0x80000000 && d == 0xffffffff)) {
        asm volatile("cdq\n\tidivl %[d]" : "=a"(q), "=&d"(r) : "a"(n), [d] "r"(d) : "cc");
        pr(",%x/%x", q, r);
      }
      /* 16-bit DX:AX / d16 with DX = 0x0001 when it cannot overflow */
      u32 d16 = d & 0xffff;
      if (d16 > 1) {
        u32 ax = n & 0xffff, dx = d16 > 1 ? 1 : 0;
        asm volatile("divw %w[d]" : "+a"(ax), "+d"(dx) : [d] "r"(d16) : "cc");
        pr(",%x/%x", ax & 0xffff, dx & 0xffff);
      }
      /* 8-bit AX / d8, checked for overflow first */
      u32 d8 = d & 0xff;
      if (d8 && ((n & 0xffff) / d8) <= 0xff) {
        u32 ax = n & 0xffff;
        asm volatile("divb %b[d]" : "+a"(ax) : [d] "q"(d8) : "cc");
        pr(",%x", ax & 0xffff);
      }
      s32 sn = (short)(n & 0xffff), sd = (signed char)d8;
      if (sd && sn / sd >= -128 && sn / sd <= 127) {
        u32 ax = n & 0xffff;
        asm volatile("idivb %b[d]" : "+a"(ax) : [d] "q"(d8) : "cc");
        pr(",%x", ax & 0xffff);
      }
    }
    pr("\n");
  }
}

/* ---- BCD ---- */
static void test_bcd(void) {
  pr("== DAA DAS (OF undefined) AAA AAS (OF SF ZF PF undefined)\n");
  for (u32 al = 0; al < 256; al += 7) {
    pr("bcd %02x:", al);
    for (int c = 0; c < 4; c++) {
      u32 fi = 0x2 | (c & 1 ? CF : 0) | (c & 2 ? AF : 0), r, f;
      r = al; asm volatile("push %[fi]\n\tpopf\n\tdaa\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : [fi] "r"(fi) : "cc");
      pr(" %02x/%03x", r & 0xff, f & ARITH & ~OF);
      r = al; asm volatile("push %[fi]\n\tpopf\n\tdas\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : [fi] "r"(fi) : "cc");
      pr(",%02x/%03x", r & 0xff, f & ARITH & ~OF);
      r = al | 0x0100; asm volatile("push %[fi]\n\tpopf\n\taaa\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : [fi] "r"(fi) : "cc");
      pr(",%04x/%03x", r & 0xffff, f & (CF | AF));
      r = al | 0x0100; asm volatile("push %[fi]\n\tpopf\n\taas\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : [fi] "r"(fi) : "cc");
      pr(",%04x/%03x", r & 0xffff, f & (CF | AF));
    }
    pr("\n");
  }
  pr("== AAM AAD (OF AF CF undefined)\n");
  static const u32 AX[] = { 0x0000, 0x0063, 0x00ff, 0x0909, 0x1234, 0xff80 };
  for (int i = 0; i < 6; i++) {
    u32 r, f;
    pr("aam %04x:", AX[i]);
    r = AX[i]; asm volatile("aam\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : : "cc"); pr(" %04x/%03x", r & 0xffff, f & (SF | ZF | PF));
    r = AX[i]; asm volatile("aam $16\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : : "cc"); pr(" %04x/%03x", r & 0xffff, f & (SF | ZF | PF));
    r = AX[i]; asm volatile("aad\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : : "cc"); pr(" %04x/%03x", r & 0xffff, f & (SF | ZF | PF));
    r = AX[i]; asm volatile("aad $7\n\tpushf\n\tpop %[f]" : "+a"(r), [f] "=&r"(f) : : "cc"); pr(" %04x/%03x", r & 0xffff, f & (SF | ZF | PF));
    pr("\n");
  }
}

/* ---- string instructions ---- */
static u8 sbuf[256], dbuf[256];
static u32 sum(const u8 *p, int n) { u32 s = 0; for (int i = 0; i < n; i++) s = s * 31 + p[i]; return s; }
static void fill(void) { for (int i = 0; i < 256; i++) { sbuf[i] = i * 7 + 3; dbuf[i] = 0xee; } }

static void test_string(void) {
  pr("== string ops (ESI/EDI/ECX shown as deltas/remaining)\n");
  u32 si, di, cx, ax, f;
  static const int SZ[3] = { 1, 2, 4 };
  for (int sz = 0; sz < 3; sz++)
    for (int dir = 0; dir < 2; dir++) {
      fill();
      si = (u32)(sbuf + (dir ? 200 : 16)); di = (u32)(dbuf + (dir ? 200 : 16)); cx = 9;
      if (sz == 0) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep movsb\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : [d] "r"(dir) : "memory", "cc");
      if (sz == 1) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep movsw\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : [d] "r"(dir) : "memory", "cc");
      if (sz == 2) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep movsl\n\tcld" : "+S"(si), "+D"(di), "+c"(cx) : [d] "r"(dir) : "memory", "cc");
      pr("movs%d df=%d: esi=%d edi=%d ecx=%d sum=%08x\n", SZ[sz], dir, (s32)(si - (u32)sbuf), (s32)(di - (u32)dbuf), cx, sum(dbuf, 256));
      fill();
      di = (u32)(dbuf + (dir ? 100 : 10)); cx = 5; ax = 0x44332211;
      if (sz == 0) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep stosb\n\tcld" : "+D"(di), "+c"(cx) : "a"(ax), [d] "r"(dir) : "memory", "cc");
      if (sz == 1) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep stosw\n\tcld" : "+D"(di), "+c"(cx) : "a"(ax), [d] "r"(dir) : "memory", "cc");
      if (sz == 2) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\trep stosl\n\tcld" : "+D"(di), "+c"(cx) : "a"(ax), [d] "r"(dir) : "memory", "cc");
      pr("stos%d df=%d: edi=%d ecx=%d sum=%08x\n", SZ[sz], dir, (s32)(di - (u32)dbuf), cx, sum(dbuf, 256));
      fill();
      si = (u32)(sbuf + 20); ax = 0;
      if (sz == 0) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\tlodsb\n\tlodsb\n\tcld" : "+S"(si), "+a"(ax) : [d] "r"(dir) : "memory", "cc");
      if (sz == 1) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\tlodsw\n\tlodsw\n\tcld" : "+S"(si), "+a"(ax) : [d] "r"(dir) : "memory", "cc");
      if (sz == 2) asm volatile("cmp $0, %[d]\n\tje 1f\n\tstd\n1:\tlodsl\n\tlodsl\n\tcld" : "+S"(si), "+a"(ax) : [d] "r"(dir) : "memory", "cc");
      pr("lods%d df=%d: esi=%d eax=%08x\n", SZ[sz], dir, (s32)(si - (u32)sbuf), ax);
    }
  /* REPE CMPS / REPNE SCAS with the flags they leave */
  fill();
  for (int i = 0; i < 64; i++) dbuf[i] = sbuf[i];
  dbuf[37] ^= 1;
  static const u32 counts[] = { 0, 1, 30, 37, 38, 64 };
  for (int k = 0; k < 6; k++) {
    si = (u32)sbuf; di = (u32)dbuf; cx = counts[k];
    asm volatile("push %[fi]\n\tpopf\n\trepe cmpsb\n\tpushf\n\tpop %[f]" : "+S"(si), "+D"(di), "+c"(cx), [f] "=&r"(f) : [fi] "r"(0x2 | ZF) : "memory", "cc");
    pr("repe cmpsb n=%d: esi=%d edi=%d ecx=%d f=%03x", counts[k], (s32)(si - (u32)sbuf), (s32)(di - (u32)dbuf), cx, f & ARITH);
    si = (u32)sbuf; di = (u32)dbuf; cx = counts[k] / 4;
    asm volatile("push %[fi]\n\tpopf\n\trepe cmpsl\n\tpushf\n\tpop %[f]" : "+S"(si), "+D"(di), "+c"(cx), [f] "=&r"(f) : [fi] "r"(0x2) : "memory", "cc");
    pr(" | cmpsl: esi=%d ecx=%d f=%03x", (s32)(si - (u32)sbuf), cx, f & ARITH);
    si = (u32)sbuf; di = (u32)dbuf; cx = counts[k];
    asm volatile("push %[fi]\n\tpopf\n\trepne cmpsb\n\tpushf\n\tpop %[f]" : "+S"(si), "+D"(di), "+c"(cx), [f] "=&r"(f) : [fi] "r"(0x2) : "memory", "cc");
    pr(" | repne cmpsb: esi=%d ecx=%d f=%03x\n", (s32)(si - (u32)sbuf), cx, f & ARITH);
  }
  for (int k = 0; k < 6; k++) {
    u32 want = sbuf[counts[k] ? counts[k] - 1 : 5];
    di = (u32)sbuf; cx = 64;
    asm volatile("push %[fi]\n\tpopf\n\trepne scasb\n\tpushf\n\tpop %[f]" : "+D"(di), "+c"(cx), [f] "=&r"(f) : "a"(want), [fi] "r"(0x2) : "memory", "cc");
    pr("repne scasb %02x: edi=%d ecx=%d f=%03x", want, (s32)(di - (u32)sbuf), cx, f & ARITH);
    di = (u32)sbuf; cx = 64;
    asm volatile("push %[fi]\n\tpopf\n\trepe scasb\n\tpushf\n\tpop %[f]" : "+D"(di), "+c"(cx), [f] "=&r"(f) : "a"(sbuf[0]), [fi] "r"(0x2) : "memory", "cc");
    pr(" | repe scasb: edi=%d ecx=%d f=%03x\n", (s32)(di - (u32)sbuf), cx, f & ARITH);
  }
}

/* ---- bit operations ---- */
static void test_bits(void) {
  pr("== BT/BTS/BTR/BTC (only CF defined) BSF/BSR (only ZF defined; dest undefined for 0)\n");
  static const u32 offs[] = { 0, 5, 15, 16, 31, 32, 37, 0xffffffff };
  u32 v = 0x8421f00f;
  for (int i = 0; i < 8; i++) {
    u32 o = offs[i], r, f;
    pr("bt %08x,%d:", v, (s32)o);
    r = v; asm volatile("btl %[o], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r), [f] "=&r"(f) : [o] "r"(o) : "cc"); pr(" bt=%03x", f & CF);
    r = v; asm volatile("btsl %[o], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r), [f] "=&r"(f) : [o] "r"(o) : "cc"); pr(" bts=%08x/%03x", r, f & CF);
    r = v; asm volatile("btrl %[o], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r), [f] "=&r"(f) : [o] "r"(o) : "cc"); pr(" btr=%08x/%03x", r, f & CF);
    r = v; asm volatile("btcl %[o], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r), [f] "=&r"(f) : [o] "r"(o) : "cc"); pr(" btc=%08x/%03x", r, f & CF);
    r = v; asm volatile("btcw %w[o], %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r), [f] "=&r"(f) : [o] "r"(o) : "cc"); pr(" btcw=%08x/%03x", r, f & CF);
    /* memory forms: the bit offset is a signed index from the operand address */
    static u32 mem[4];
    mem[0] = 0x11111111; mem[1] = 0x22222222; mem[2] = 0x44444444; mem[3] = 0x88888888;
    s32 so = (s32)o;   /* -1 .. 37: inside mem[] when measured from mem[1] */
    asm volatile("btsl %[o], %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(mem[1]), [f] "=&r"(f) : [o] "r"(so) : "cc", "memory");
    pr(" btsm(%d)=%08x.%08x.%08x/%03x", so, mem[0], mem[1], mem[2], f & CF);
    asm volatile("btcl $37, %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(mem[1]), [f] "=&r"(f) : : "cc", "memory");
    pr(" btci=%08x/%03x\n", mem[1], f & CF);
  }
  static const u32 bv[] = { 0, 1, 0x80000000, 0x00f00f00, 0xffffffff, 0x00010000 };
  for (int i = 0; i < 6; i++) {
    u32 r1 = 0xdead, r2 = 0xdead, r3 = 0xdead, f1, f2, f3;
    asm volatile("bsfl %[s], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r1), [f] "=&r"(f1) : [s] "r"(bv[i]) : "cc");
    asm volatile("bsrl %[s], %[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r2), [f] "=&r"(f2) : [s] "r"(bv[i]) : "cc");
    asm volatile("bsfw %w[s], %w[r]\n\tpushf\n\tpop %[f]" : [r] "+r"(r3), [f] "=&r"(f3) : [s] "r"(bv[i] >> 4) : "cc");
    pr("bsf/bsr %08x: zf=%x,%x,%x", bv[i], f1 & ZF, f2 & ZF, f3 & ZF);
    if (bv[i]) pr(" bsf=%d bsr=%d", r1, r2);
    if ((bv[i] >> 4) & 0xffff) pr(" bsfw=%x", r3 & 0xffff);
    pr("\n");
  }
}

/* ---- SETcc / CMOVcc / Jcc ---- */
static void test_cond(void) {
  pr("== SETcc/CMOVcc/Jcc for every CF PF ZF SF OF combination (bit n = condition n: o no b ae e ne be a s ns p np l ge le g)\n");
  for (u32 c = 0; c < 32; c++) {
    u32 fi = 0x2 | (c & 1 ? CF : 0) | (c & 2 ? PF : 0) | (c & 4 ? ZF : 0) | (c & 8 ? SF : 0) | (c & 16 ? OF : 0);
    u32 set = 0, mov = 0, jmp = 0;
#define COND(n, cc) { u8 b; u32 m = 0, j = 0; \
      asm volatile("push %[fi]\n\tpopf\n\tset" cc " %[b]\n\tcmov" cc "l %[one], %[m]\n\tj" cc " 1f\n\tjmp 2f\n1:\tmov $1, %[j]\n2:" \
        : [b] "=&q"(b), [m] "+r"(m), [j] "+r"(j) : [fi] "r"(fi), [one] "r"(1) : "cc"); \
      set |= (u32)b << n; mov |= m << n; jmp |= j << n; }
    COND(0, "o") COND(1, "no") COND(2, "b") COND(3, "ae") COND(4, "e") COND(5, "ne") COND(6, "be") COND(7, "a")
    COND(8, "s") COND(9, "ns") COND(10, "p") COND(11, "np") COND(12, "l") COND(13, "ge") COND(14, "le") COND(15, "g")
    pr("cc f=%03x: set=%04x cmov=%04x jcc=%04x\n", fi & ARITH, set, mov, jmp);
  }
  u32 f; u8 ah;
  asm volatile("push %[fi]\n\tpopf\n\tlahf\n\tmov %%ah, %[r]" : [r] "=q"(ah) : [fi] "r"(0x2 | ARITH) : "eax", "cc");
  pr("lahf all=%02x", ah);
  asm volatile("push %[fi]\n\tpopf\n\tmov $0xd5, %%ah\n\tsahf\n\tpushf\n\tpop %[f]" : [f] "=r"(f) : [fi] "r"(0x2) : "eax", "cc");
  pr(" sahf=%03x", f & ARITH);
  asm volatile("push %[fi]\n\tpopf\n\tstc\n\tcmc\n\tcmc\n\tpushf\n\tpop %[f]" : [f] "=r"(f) : [fi] "r"(0x2) : "cc");
  pr(" stc.cmc.cmc=%03x", f & ARITH);
  asm volatile("push %[fi]\n\tpopf\n\tclc\n\tpushf\n\tpop %[f]" : [f] "=r"(f) : [fi] "r"(0x2 | ARITH) : "cc");
  pr(" clc=%03x\n", f & ARITH);
}

/* ---- atomics and friends ---- */
static void test_xchg(void) {
  pr("== CMPXCHG/CMPXCHG8B/XADD/XCHG/BSWAP/MOVSX/MOVZX/CBW...\n");
  static const u32 vals[] = { 0x12345678, 0x80000000, 0 };
  for (int i = 0; i < 3; i++)
    for (int eq = 0; eq < 2; eq++) {
      u32 mem = vals[i], ax = eq ? vals[i] : vals[i] + 1, f;
      asm volatile("lock cmpxchgl %[n], %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(mem), "+a"(ax), [f] "=&r"(f) : [n] "r"(0xcafe) : "cc", "memory");
      pr("cmpxchg32 %08x eq=%d: mem=%08x eax=%08x f=%03x", vals[i], eq, mem, ax, f & ARITH);
      u32 r = vals[i] & 0xff; ax = eq ? r : r ^ 0x80;
      asm volatile("cmpxchgb %b[n], %b[r]\n\tpushf\n\tpop %[f]" : [r] "+q"(r), "+a"(ax), [f] "=&r"(f) : [n] "q"(0x33) : "cc");
      pr(" | 8: r=%02x al=%02x f=%03x", r & 0xff, ax & 0xff, f & ARITH);
      u16 m16 = vals[i] >> 8; ax = eq ? m16 : 0x5555;
      asm volatile("cmpxchgw %w[n], %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(m16), "+a"(ax), [f] "=&r"(f) : [n] "r"(0xbeef) : "cc", "memory");
      pr(" | 16: m=%04x ax=%04x f=%03x\n", m16, ax & 0xffff, f & ARITH);
    }
  for (int eq = 0; eq < 2; eq++) {
    static u64 m8;
    m8 = 0x1122334455667788ull;
    u32 lo = eq ? 0x55667788 : 1, hi = 0x11223344, f;
    asm volatile("lock cmpxchg8b %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(m8), "+a"(lo), "+d"(hi), [f] "=&r"(f) : "b"(0xaaaabbbb), "c"(0xccccdddd) : "cc", "memory");
    pr("cmpxchg8b eq=%d: mem=%08x%08x edx:eax=%08x:%08x zf=%x\n", eq, (u32)(m8 >> 32), (u32)m8, hi, lo, f & ZF);
  }
  for (int i = 0; i < 3; i++) {
    u32 mem = vals[i], r = 0x80000001, f;
    asm volatile("lock xaddl %[r], %[m]\n\tpushf\n\tpop %[f]" : [m] "+m"(mem), [r] "+r"(r), [f] "=&r"(f) : : "cc", "memory");
    pr("xadd32 %08x: mem=%08x r=%08x f=%03x", vals[i], mem, r, f & ARITH);
    u32 a = vals[i] & 0xff, b = 0x81;
    asm volatile("xaddb %b[b], %b[a]\n\tpushf\n\tpop %[f]" : [a] "+q"(a), [b] "+q"(b), [f] "=&r"(f) : : "cc");
    pr(" | 8: a=%02x b=%02x f=%03x", a & 0xff, b & 0xff, f & ARITH);
    u32 x = vals[i], y = 0x99;
    asm volatile("xchgl %[x], %[y]" : [x] "+r"(x), [y] "+r"(y));
    u32 bs = vals[i];
    asm volatile("bswap %[r]" : [r] "+r"(bs));
    pr(" | xchg=%08x,%08x bswap=%08x\n", x, y, bs);
  }
  static const u32 ex[] = { 0x7f, 0x80, 0x8000, 0x12348765, 0xffffffff };
  for (int i = 0; i < 5; i++) {
    u32 a = ex[i], b1, b2, b3, b4, b5, b6, cw, cd, dx;
    asm("movsbl %b[a], %[r]" : [r] "=r"(b1) : [a] "q"(a));
    asm("movzbl %b[a], %[r]" : [r] "=r"(b2) : [a] "q"(a));
    asm("movswl %w[a], %[r]" : [r] "=r"(b3) : [a] "r"(a));
    asm("movzwl %w[a], %[r]" : [r] "=r"(b4) : [a] "r"(a));
    b5 = 0xaaaaaaaa; asm("movsbw %b[a], %w[r]" : [r] "+r"(b5) : [a] "q"(a));
    b6 = 0xaaaaaaaa; asm("movzbw %b[a], %w[r]" : [r] "+r"(b6) : [a] "q"(a));
    cw = a; asm("cbw" : "+a"(cw)); cd = a; asm("cwde" : "+a"(cd));
    u32 ax = a, edx = 0x5555aaaa; asm("cwd" : "+a"(ax), "+d"(edx));
    u32 ax2 = a; asm("cdq" : "+a"(ax2), "=d"(dx));
    pr("ext %08x: %08x %08x %08x %08x %08x %08x cbw=%08x cwde=%08x cwd=%08x cdq=%08x\n", a, b1, b2, b3, b4, b5, b6, cw, cd, edx, dx);
  }
}

/* ---- control flow and stack ---- */
extern void enter_leave(u32 *out);
extern void pusha_popa(u32 *out);

static void test_stack(void) {
  pr("== ENTER/LEAVE PUSHA/POPA LOOP JCXZ XLAT, 16-bit address forms\n");
  u32 o[20];
  enter_leave(o);
  pr("enter:");
  for (int i = 0; i < 18; i++) pr(" %x", o[i]);
  pr("\n");
  pusha_popa(o);
  pr("pusha:");
  for (int i = 0; i < 15; i++) pr(" %x", o[i]);
  pr("\n");
  /* LOOP family */
  static const u32 cnts[] = { 1, 5, 0x10000 };
  for (int i = 0; i < 3; i++) {
    u32 n = 0, cx = cnts[i];
    asm volatile("1:\tinc %[n]\n\tcmp $100, %[n]\n\tje 2f\n\tloop 1b\n2:" : [n] "+r"(n), "+c"(cx) : : "cc");
    u32 n2 = 0, cx2 = cnts[i];
    asm volatile("1:\tinc %[n]\n\tcmp $3, %[n]\n\tloopne 1b" : [n] "+r"(n2), "+c"(cx2) : : "cc");
    u32 n3 = 0, cx3 = cnts[i];
    asm volatile("1:\tinc %[n]\n\tcmp $100, %[n]\n\tloopnz 2f\n\tjmp 3f\n2:\txor %%eax, %%eax\n\tcmp $0, %%eax\n\tloope 1b\n3:" : [n] "+r"(n3), "+c"(cx3) : : "cc", "eax");
    /* LOOP with a 16-bit address size uses CX only */
    u32 n4 = 0, cx4 = 0x00030000 | (cnts[i] & 0xffff);
    asm volatile("1:\tinc %[n]\n\tcmp $100, %[n]\n\tje 2f\n\taddr16 loop 1b\n2:" : [n] "+r"(n4), "+c"(cx4) : : "cc");
    u32 j1 = 0, j2 = 0;
    asm volatile("jecxz 1f\n\tmov $1, %[j]\n1:" : [j] "+r"(j1) : "c"(cnts[i] & 0xffff0000) );
    asm volatile("addr16 jecxz 1f\n\tmov $1, %[j]\n1:" : [j] "+r"(j2) : "c"(cnts[i] & 0xffff0000) );
    pr("loop %x: n=%d ecx=%x | loopne n=%d ecx=%x | loopnz/loope n=%d ecx=%x | loop16 n=%d ecx=%08x | jecxz=%d jcxz=%d\n",
       cnts[i], n, cx, n2, cx2, n3, cx3, n4, cx4, j1, j2);
  }
  static u8 table[256];
  for (int i = 0; i < 256; i++) table[i] = 255 - i * 3;
  for (u32 al = 0; al < 256; al += 85) {
    u32 a = 0x12345600 | al;
    asm("xlat" : "+a"(a) : "b"(table) : "memory");
    pr(" xlat %02x=%08x", al, a);
  }
  pr("\n");
  /* 16-bit effective addresses: LEA with an address-size prefix wraps at 64 KiB */
  static const struct { u32 bx, si, di, bp; } ea[] = { { 0x1000, 0x0234, 0x0010, 0x2000 }, { 0xfff0, 0x0020, 0xffff, 0x8000 }, { 0x12345678, 0xabcdef01, 0x11112222, 0x33334444 } };
  for (int i = 0; i < 3; i++) {
    u32 r1 = 0xeeeeeeee, r2, r3, r4, r5 = 0xeeeeeeee;
    asm("addr16 lea 0x7ff0(%%bx,%%si), %w[r]" : [r] "+r"(r1) : "b"(ea[i].bx), "S"(ea[i].si));
    asm("addr16 lea -2(%%bx,%%di), %[r]" : [r] "=r"(r2) : "b"(ea[i].bx), "D"(ea[i].di));
    asm("push %%ebp\n\tmov %[bp], %%ebp\n\taddr16 lea 0x10(%%bp,%%si), %%eax\n\tpop %%ebp" : "=a"(r3) : [bp] "d"(ea[i].bp), "S"(ea[i].si));
    asm("addr16 lea 0x1234, %[r]" : [r] "=r"(r4));
    asm("addr16 lea (%%di), %w[r]" : [r] "+r"(r5) : "D"(ea[i].di));
    pr("lea16 bx=%x si=%x di=%x bp=%x: %08x %08x %08x %08x %08x\n", ea[i].bx, ea[i].si, ea[i].di, ea[i].bp, r1, r2, r3, r4, r5);
  }
  /* Operand-size prefixed moves keep the upper halves */
  u32 r = 0x11223344;
  asm("movw $0xaabb, %w[r]\n\tmovb $0xcc, %h[r]" : [r] "+q"(r));
  u32 p = 0xdeadbeef, q = 0;
  asm("pushw %w[p]\n\tpushw $0x1234\n\tpopl %[q]" : [q] "=r"(q) : [p] "r"(p));
  pr("opsize: mov16/8h=%08x pushw=%08x\n", r, q);
}

/* ---- exceptions ---- */
#define X(name) extern void name(void); extern char name##_at[];
X(t_de_div) X(t_de_idiv) X(t_de_div8) X(t_de_aam) X(t_ud_ud2) X(t_ud_lock) X(t_ud_lea) X(t_bp_int3) X(t_bp_cd03)
X(t_of_into) X(t_br_bound) X(t_gp_ds) X(t_gp_es) X(t_pf_read) X(t_pf_write) X(t_pf_ro) X(t_nofault)

static void exc(const char *what, void (*fn)(void), char *at) {
  last_fault.vec = -1;
  int faulted = run_guarded(fn);
  pr("exc %s: ", what);
  if (!faulted) { pr("no exception\n"); return; }
  pr("vec=%d", last_fault.vec);
  if (last_fault.vec != 14) pr(" err=%x", last_fault.err);
  pr(" eip=%s%d", last_fault.eip >= (u32)at ? "+" : "", (s32)(last_fault.eip - (u32)at));
  if (last_fault.vec == 14) {
    /* U/S (bit 2) differs: natively the access is from ring 3, in the kernel from
       ring 0 (the paging test covers U/S). CR2 is shown relative to a page base. */
    u32 c = last_fault.cr2;
    pr(" err&~4=%x cr2=%s+%x", last_fault.err & ~4u, (c & ~0xfffu) == (u32)ro_page ? "ro_page" : (c & ~0xfffu) == UNMAPPED_A ? "A" : (c & ~0xfffu) == UNMAPPED_B ? "B" : "?", c & 0xfff);
  }
  pr("\n");
}

static void test_exceptions(void) {
  pr("== exceptions: vector, error code, EIP relative to the instruction (#PF: err without U/S, CR2)\n");
  exc("div0", t_de_div, t_de_div_at);
  exc("idiv-ovf", t_de_idiv, t_de_idiv_at);
  exc("div8-ovf", t_de_div8, t_de_div8_at);
  exc("aam0", t_de_aam, t_de_aam_at);
  exc("ud2", t_ud_ud2, t_ud_ud2_at);
  exc("lock-reg", t_ud_lock, t_ud_lock_at);
  exc("lea-reg", t_ud_lea, t_ud_lea_at);
  exc("int3", t_bp_int3, t_bp_int3_at);
  exc("int-3", t_bp_cd03, t_bp_cd03_at);
  exc("into", t_of_into, t_of_into_at);
  exc("bound", t_br_bound, t_br_bound_at);
  exc("mov-ds-ldt", t_gp_ds, t_gp_ds_at);
  exc("mov-es-gdt", t_gp_es, t_gp_es_at);
  exc("pf-read", t_pf_read, t_pf_read_at);
  exc("pf-write", t_pf_write, t_pf_write_at);
  exc("pf-ro", t_pf_ro, t_pf_ro_at);
  exc("none", t_nofault, t_nofault_at);
}

__attribute__((aligned(4096))) const u8 ro_page[4096] = { 1, 2, 3 };

void x86test_main(void) {
  pr("X86TEST START\n");
  test_alu();
  test_unary();
  test_shift();
  test_muldiv();
  test_bcd();
  test_string();
  test_bits();
  test_cond();
  test_xchg();
  test_stack();
  test_exceptions();
  pr("X86TEST DONE\n");
}
