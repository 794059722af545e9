/*
 * x87 reference values from a real CPU, for target/i386/x87.ts's unit test
 * (test/i386/x87.test.ts reads x87ref.expected). Each line: the instruction's
 * escape byte and ModRM (memory forms use ModRM mod=00 rm=101, the test
 * passes the operand's address), the control word, the two values loaded
 * first (a then b, so ST(0)=b, ST(1)=a; "pre" says how many), the memory
 * operand before; then FNSTSW, AX (FNSTSW AX) and EFLAGS (FCOMI) where the
 * instruction sets them, the tag word, every non-empty ST(i) as 80-bit hex
 * (sign/exponent then significand) from FNSAVE, and the memory operand after.
 * Arithmetic runs with CW.PC = 53 bits (0x027f) so results are the double
 * rounding of the exact value, which x87.ts (float64 registers) can match.
 */
#include "common.h"

/* No C library: raw system calls, the shared pr(), small string helpers. */
static char obuf[1 << 16];
static unsigned on;
static void flush(void) {
  unsigned o = 0;
  while (o < on) { long n; asm volatile("int $0x80" : "=a"(n) : "a"(4), "b"(1), "c"(obuf + o), "d"(on - o) : "memory"); if (n <= 0) break; o += n; }
  on = 0;
}
void xputc(int c) { obuf[on++] = c; if (on == sizeof obuf) flush(); }
void *memcpy(void *d, const void *s, unsigned n) { u8 *a = d; const u8 *b = s; while (n--) *a++ = *b++; return d; }
void *memset(void *d, int c, unsigned n) { u8 *a = d; while (n--) *a++ = c; return d; }
static unsigned strlen_(const char *s) { unsigned n = 0; while (s[n]) n++; return n; }
static unsigned hexbyte(const char *h) {
  unsigned v = 0;
  for (int i = 0; i < 2; i++) { char c = h[i]; v = v * 16 + (c <= '9' ? c - '0' : c - 'a' + 10); }
  return v;
}

struct res { u16 sw, ax; unsigned fl; u8 save[108]; u8 mop[16]; };
static u64 A, B;
static u16 CW;
static u8 MOP[16];

#define PRE0 ""
#define PRE1 "fldl %[b]\n\t"
#define PRE2 "fldl %[a]\n\tfldl %[b]\n\t"
#define OP(fn, insn, pre) static void fn(struct res *r) { \
  u16 sw = 0, ax = 0; unsigned fl = 0; memcpy(r->mop, MOP, 16); \
  asm volatile("fninit\n\tfldcw %[cw]\n\t" pre insn "\n\tfnstsw %[sw]\n\tfnsave %[save]" \
    : [sw] "=m"(sw), [save] "=m"(r->save), [m] "+m"(*(u8 (*)[16])r->mop), [ax] "+m"(ax), [fl] "+m"(fl) \
    : [cw] "m"(CW), [a] "m"(A), [b] "m"(B) : "eax", "cc", "memory"); \
  r->sw = sw; r->ax = ax; r->fl = fl; }

/* register forms */
OP(fadd_r, "fadd %%st(1), %%st", PRE2) OP(fmul_r, "fmul %%st(1), %%st", PRE2)
OP(fsub_r, ".byte 0xd8, 0xe1", PRE2) OP(fsubr_r, ".byte 0xd8, 0xe9", PRE2)
OP(fdiv_r, ".byte 0xd8, 0xf1", PRE2) OP(fdivr_r, ".byte 0xd8, 0xf9", PRE2)
OP(fadd_i, ".byte 0xdc, 0xc1", PRE2) OP(fmul_i, ".byte 0xdc, 0xc9", PRE2)
OP(fsubr_i, ".byte 0xdc, 0xe1", PRE2) OP(fsub_i, ".byte 0xdc, 0xe9", PRE2)
OP(fdivr_i, ".byte 0xdc, 0xf1", PRE2) OP(fdiv_i, ".byte 0xdc, 0xf9", PRE2)
OP(faddp, ".byte 0xde, 0xc1", PRE2) OP(fmulp, ".byte 0xde, 0xc9", PRE2)
OP(fsubrp, ".byte 0xde, 0xe1", PRE2) OP(fsubp, ".byte 0xde, 0xe9", PRE2)
OP(fdivrp, ".byte 0xde, 0xf1", PRE2) OP(fdivp, ".byte 0xde, 0xf9", PRE2)
OP(fcom, ".byte 0xd8, 0xd1", PRE2) OP(fcomp, ".byte 0xd8, 0xd9", PRE2) OP(fcompp, ".byte 0xde, 0xd9", PRE2)
OP(fucom, ".byte 0xdd, 0xe1", PRE2) OP(fucompp, ".byte 0xda, 0xe9", PRE2)
OP(fcomi, ".byte 0xdb, 0xf1\n\tpushf\n\tpopl %[fl]", PRE2) OP(fucomip, ".byte 0xdf, 0xe9\n\tpushf\n\tpopl %[fl]", PRE2)
OP(fxch, ".byte 0xd9, 0xc9", PRE2) OP(fstsw_ax, "fnstsw %%ax\n\tmov %%ax, %[ax]", PRE2)
OP(fprem, ".byte 0xd9, 0xf8", PRE2) OP(fprem1, ".byte 0xd9, 0xf5", PRE2) OP(fscale, ".byte 0xd9, 0xfd", PRE2)
OP(fpatan, ".byte 0xd9, 0xf3", PRE2) OP(fyl2x, ".byte 0xd9, 0xf1", PRE2)
/* unary (ST(0) = b) */
OP(fchs, ".byte 0xd9, 0xe0", PRE1) OP(fabs_, ".byte 0xd9, 0xe1", PRE1) OP(ftst, ".byte 0xd9, 0xe4", PRE1)
OP(fxam, ".byte 0xd9, 0xe5", PRE1) OP(fsqrt, ".byte 0xd9, 0xfa", PRE1) OP(frndint, ".byte 0xd9, 0xfc", PRE1)
OP(fsin, ".byte 0xd9, 0xfe", PRE1) OP(fcos, ".byte 0xd9, 0xff", PRE1) OP(fptan, ".byte 0xd9, 0xf2", PRE1)
OP(fsincos, ".byte 0xd9, 0xfb", PRE1) OP(f2xm1, ".byte 0xd9, 0xf0", PRE1) OP(fxtract, ".byte 0xd9, 0xf4", PRE1)
OP(fld_st0, ".byte 0xd9, 0xc0", PRE1) OP(fincstp, ".byte 0xd9, 0xf7", PRE1) OP(ffree, ".byte 0xdd, 0xc0", PRE1)
/* constants, underflow */
OP(fld1, ".byte 0xd9, 0xe8", PRE0) OP(fldl2t, ".byte 0xd9, 0xe9", PRE0) OP(fldl2e, ".byte 0xd9, 0xea", PRE0)
OP(fldpi, ".byte 0xd9, 0xeb", PRE0) OP(fldlg2, ".byte 0xd9, 0xec", PRE0) OP(fldln2, ".byte 0xd9, 0xed", PRE0)
OP(fldz, ".byte 0xd9, 0xee", PRE0) OP(fadd_empty, ".byte 0xd8, 0xc1", PRE0) OP(fxam_empty, ".byte 0xd9, 0xe5", PRE0)
/* memory forms: arithmetic with m64 / m32 / m32int / m16int, loads, stores */
OP(fadd_m64, "faddl %[m]", PRE1) OP(fsub_m64, "fsubl %[m]", PRE1) OP(fsubr_m64, "fsubrl %[m]", PRE1)
OP(fdiv_m64, "fdivl %[m]", PRE1) OP(fdivr_m64, "fdivrl %[m]", PRE1) OP(fcom_m64, "fcoml %[m]", PRE1)
OP(fmul_m32, "fmuls %[m]", PRE1) OP(fadd_m32, "fadds %[m]", PRE1) OP(fiadd_m32, "fiaddl %[m]", PRE1)
OP(fimul_m16, "fimuls %[m]", PRE1) OP(ficom_m16, "ficoms %[m]", PRE1) OP(fidivr_m32, "fidivrl %[m]", PRE1)
OP(fld_m32, "flds %[m]", PRE0) OP(fld_m64, "fldl %[m]", PRE0) OP(fld_m80, "fldt %[m]", PRE0)
OP(fild_m16, "filds %[m]", PRE0) OP(fild_m32, "fildl %[m]", PRE0) OP(fild_m64, "fildll %[m]", PRE0)
OP(fbld, "fbld %[m]", PRE0)
OP(fst_m32, "fsts %[m]", PRE1) OP(fstp_m64, "fstpl %[m]", PRE1) OP(fstp_m80, "fstpt %[m]", PRE1)
OP(fist_m16, "fists %[m]", PRE1) OP(fistp_m32, "fistpl %[m]", PRE1) OP(fistp_m64, "fistpll %[m]", PRE1)
OP(fisttp_m32, "fisttpl %[m]", PRE1) OP(fbstp, "fbstp %[m]", PRE1)
OP(fstcw_m, "fnstcw %[m]", PRE0) OP(fldcw_m, "fldcw %[m]\n\tfnstcw %[m]", PRE0)


struct op { const char *enc; void (*fn)(struct res *); int pre; };
static void hexb(const u8 *p, int n) { for (int i = n - 1; i >= 0; i--) pr("%02x", p[i]); }
static void hex64(u64 v) { pr("%08x%08x", (u32)(v >> 32), (u32)v); }

static void run(const struct op *o, u16 cw, u64 a, u64 b, const u8 *mop) {
  struct res r;
  A = a; B = b; CW = cw; memset(MOP, 0, 16); if (mop) memcpy(MOP, mop, 16);
  o->fn(&r);
  unsigned tw = r.save[8] | r.save[9] << 8, top = (r.sw >> 11) & 7;
  pr("%s pre=%d cw=%04x a=", o->enc, o->pre, cw); hex64(a); pr(" b="); hex64(b); pr(" m="); hexb(MOP, 10);
  pr(" -> sw=%04x ax=%04x fl=%03x tw=%04x st=", r.sw, r.ax, r.fl & 0x45, tw);
  for (int i = 0; i < 8; i++) {
    int phys = (top + i) & 7;
    if (((tw >> (phys * 2)) & 3) == 3) continue;
    pr("%d:", i); hexb(r.save + 28 + i * 10, 10); pr(",");
  }
  pr(" m="); hexb(r.mop, 10); pr("\n");
}

static u64 dbits(double d) { u64 u; memcpy(&u, &d, 8); return u; }

int main(void) {
  static const struct op BIN[] = {
    { "d8c1", fadd_r, 2 }, { "d8c9", fmul_r, 2 }, { "d8e1", fsub_r, 2 }, { "d8e9", fsubr_r, 2 }, { "d8f1", fdiv_r, 2 }, { "d8f9", fdivr_r, 2 },
    { "dcc1", fadd_i, 2 }, { "dcc9", fmul_i, 2 }, { "dce1", fsubr_i, 2 }, { "dce9", fsub_i, 2 }, { "dcf1", fdivr_i, 2 }, { "dcf9", fdiv_i, 2 },
    { "dec1", faddp, 2 }, { "dec9", fmulp, 2 }, { "dee1", fsubrp, 2 }, { "dee9", fsubp, 2 }, { "def1", fdivrp, 2 }, { "def9", fdivp, 2 },
    { "d8d1", fcom, 2 }, { "d8d9", fcomp, 2 }, { "ded9", fcompp, 2 }, { "dde1", fucom, 2 }, { "dae9", fucompp, 2 },
    { "dbf1", fcomi, 2 }, { "dfe9", fucomip, 2 }, { "d9c9", fxch, 2 }, { "dfe0", fstsw_ax, 2 },
    { "d9f8", fprem, 2 }, { "d9f5", fprem1, 2 }, { "d9fd", fscale, 2 }, { "d9f3", fpatan, 2 }, { "d9f1", fyl2x, 2 },
  };
  static const struct op UN[] = {
    { "d9e0", fchs, 1 }, { "d9e1", fabs_, 1 }, { "d9e4", ftst, 1 }, { "d9e5", fxam, 1 }, { "d9fa", fsqrt, 1 }, { "d9fc", frndint, 1 },
    { "d9fe", fsin, 1 }, { "d9ff", fcos, 1 }, { "d9f2", fptan, 1 }, { "d9fb", fsincos, 1 }, { "d9f0", f2xm1, 1 }, { "d9f4", fxtract, 1 },
    { "d9c0", fld_st0, 1 }, { "d9f7", fincstp, 1 }, { "ddc0", ffree, 1 },
  };
  static const struct op CONST[] = {
    { "d9e8", fld1, 0 }, { "d9e9", fldl2t, 0 }, { "d9ea", fldl2e, 0 }, { "d9eb", fldpi, 0 }, { "d9ec", fldlg2, 0 }, { "d9ed", fldln2, 0 },
    { "d9ee", fldz, 0 }, { "d8c1", fadd_empty, 0 }, { "d9e5", fxam_empty, 0 },
  };
  static const struct op MEMAR[] = {
    { "dc05", fadd_m64, 1 }, { "dc25", fsub_m64, 1 }, { "dc2d", fsubr_m64, 1 }, { "dc35", fdiv_m64, 1 }, { "dc3d", fdivr_m64, 1 }, { "dc15", fcom_m64, 1 },
  };
  static const struct op MEM32[] = { { "d80d", fmul_m32, 1 }, { "d805", fadd_m32, 1 } };
  static const struct op MEMI32[] = { { "da05", fiadd_m32, 1 }, { "da3d", fidivr_m32, 1 } };
  static const struct op MEMI16[] = { { "de0d", fimul_m16, 1 }, { "de15", ficom_m16, 1 } };
  static const struct op STORES[] = {
    { "d915", fst_m32, 1 }, { "dd1d", fstp_m64, 1 }, { "db3d", fstp_m80, 1 }, { "df15", fist_m16, 1 }, { "db1d", fistp_m32, 1 },
    { "df3d", fistp_m64, 1 }, { "db0d", fisttp_m32, 1 }, { "df35", fbstp, 1 },
  };
  double V[] = { 1.5, -2.25, 0.0, 1e150, -1e-150, 7.0, 1.0 / 0.0 };
  double U[] = { 0.5, -0.0, 2.5, -3.5, 1e-5, 100.25, 1e10, -1.0 / 0.0 };
  const int NVAL = 7, NU = 8;
  u64 one = dbits(1.0);
  for (unsigned k = 0; k < sizeof BIN / sizeof BIN[0]; k++)
    for (int i = 0; i < NVAL; i++)
      for (int j = 0; j < NVAL; j++) run(&BIN[k], 0x027f, dbits(V[i]), dbits(V[j]), 0);
  for (unsigned k = 0; k < sizeof UN / sizeof UN[0]; k++) {
    for (int i = 0; i < NVAL; i++) run(&UN[k], 0x027f, one, dbits(V[i]), 0);
    for (int i = 0; i < NU; i++) run(&UN[k], 0x027f, one, dbits(U[i]), 0);
  }
  for (int rc = 0; rc < 4; rc++) for (int i = 0; i < NU; i++) run(&UN[5], 0x027f | rc << 10, one, dbits(U[i]), 0);
  for (unsigned k = 0; k < sizeof CONST / sizeof CONST[0]; k++) run(&CONST[k], 0x027f, one, one, 0);
  u8 m[16];
  memset(m, 0, 16);
  for (unsigned k = 0; k < sizeof MEMAR / sizeof MEMAR[0]; k++)
    for (int i = 0; i < NVAL; i++) for (int j = 0; j < 3; j++) { u64 x = dbits(V[j * 2]); memcpy(m, &x, 8); run(&MEMAR[k], 0x027f, one, dbits(V[i]), m); }
  for (unsigned k = 0; k < 2; k++)
    for (int i = 0; i < NVAL; i++) { float f = 0.1f; memset(m, 0, 16); memcpy(m, &f, 4); run(&MEM32[k], 0x027f, one, dbits(V[i]), m); }
  for (unsigned k = 0; k < 2; k++)
    for (int i = 0; i < NVAL; i++) { int n = -3; memset(m, 0, 16); memcpy(m, &n, 4); run(&MEMI32[k], 0x027f, one, dbits(V[i]), m); }
  for (unsigned k = 0; k < 2; k++)
    for (int i = 0; i < NVAL; i++) { short n = 1000; memset(m, 0, 16); memcpy(m, &n, 2); run(&MEMI16[k], 0x027f, one, dbits(V[i]), m); }
  /* loads */
  static const struct { const char *enc; void (*fn)(struct res *); const char *hex; } LOADS[] = {
    { "d905", fld_m32, "3fc00000" }, { "d905", fld_m32, "ff800000" }, { "d905", fld_m32, "00000001" }, { "d905", fld_m32, "ffc00000" },
    { "dd05", fld_m64, "400921fb54442d18" }, { "dd05", fld_m64, "8000000000000001" },
    { "db2d", fld_m80, "4000c90fdaa22168c235" }, { "db2d", fld_m80, "3fffffffffffffffffff" }, { "db2d", fld_m80, "3fff8000000000000400" },
    { "db2d", fld_m80, "3fff8000000000000c00" }, { "db2d", fld_m80, "7fff8000000000000000" }, { "db2d", fld_m80, "c3e0ffffffffffffffff" },
    { "df05", fild_m16, "8000" }, { "df05", fild_m16, "7fff" }, { "db05", fild_m32, "80000000" }, { "db05", fild_m32, "ffffffff" },
    { "df2d", fild_m64, "001fffffffffffff" }, { "df2d", fild_m64, "8000000000000000" }, { "df25", fbld, "80000000001234567890" },
    { "df25", fbld, "00999999999999999999" },
  };
  for (unsigned k = 0; k < sizeof LOADS / sizeof LOADS[0]; k++) {
    const char *h = LOADS[k].hex; int n = strlen_(h) / 2;
    memset(m, 0, 16);
    for (int i = 0; i < n; i++) m[i] = hexbyte(h + (n - 1 - i) * 2);
    struct op o = { LOADS[k].enc, LOADS[k].fn, 0 };
    run(&o, 0x037f, one, one, m);
  }
  /* stores, each rounding mode */
  double S[] = { 2.5, -2.5, 0.1, -1e-40, 123456789.75, 1e10, -40000.0, 1e300, 0.0 / 0.0 };
  for (unsigned k = 0; k < sizeof STORES / sizeof STORES[0]; k++)
    for (int rc = 0; rc < 4; rc++)
      for (int i = 0; i < 9; i++) { memset(m, 0xaa, 16); run(&STORES[k], 0x037f | rc << 10, one, dbits(S[i]), m); }
  { struct op o = { "d93d", fstcw_m, 0 }; run(&o, 0x0e7f, one, one, 0); }
  { struct op o = { "d92d", fldcw_m, 0 }; memset(m, 0, 16); m[0] = 0x72; m[1] = 0x0c; run(&o, 0x037f, one, one, m); }
  flush();
  return 0;
}

asm(".text\n.globl _start\n_start:\n\txor %ebp, %ebp\n\tand $-16, %esp\n\tcall main\n\tmov %eax, %ebx\n\tmov $252, %eax\n\tint $0x80\n");
