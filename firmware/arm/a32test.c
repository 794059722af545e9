/*
 * a32test.bin: ARMv7-A (A32) instruction and system test for tsemu.
 *
 * Prints one line per case (instruction, inputs, results, flags, all in
 * hex) so the output can be compared byte for byte with a reference
 * emulator (a32test.expected was produced with QEMU).  Only architecturally
 * defined results are printed.
 *
 * Conventions in the output:
 *   f=X   NZCV as one hex digit (N=8 Z=4 C=2 V=1)
 *   q=X   the Q flag, ge=X the four GE bits (shown where relevant)
 *   Input flags are printed before "->", results after it.
 *   Instruction templates are printed with the operands named a, b, c, d:
 *   a and b are inputs, c is the destination (and RdLo / accumulator input
 *   where the instruction reads it), d is RdHi or the accumulator Ra.
 *
 * Fixed RAM areas used (outside the linker-managed 0x40100000..0x401fffff):
 *   0x40200000  L1 translation table (16 KiB)
 *   0x40204000  L2 coarse page table (1 KiB)
 *   0x40208000  RAM copy of the vector table for the VBAR test
 *   0x40300000 .. 0x4031ffff  MMU test data: every word holds its own PA
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

/* ---------------------------------------------------------------------- */
/* Output helpers                                                         */

static void p(const char *s) { uart_puts(s); }
static void ph(u32 v) { uart_hex32(v); }
static void pc_(char c) { uart_putc(c); }
static void nl(void) { uart_putc('\n'); }
static void hdr(const char *s) { p("== "); p(s); p(" ==\n"); }
static void pkv(const char *k, u32 v) { p(k); pc_('='); ph(v); }
static void pf(u32 cpsr) { p(" f="); uart_hexn(cpsr >> 28, 1); }
static void pq(u32 cpsr) { p(" q="); uart_hexn((cpsr >> 27) & 1, 1); }
static void pge(u32 cpsr) { p(" ge="); uart_hexn((cpsr >> 16) & 0xf, 1); }

/* Print an inline-asm template with "%[x]" replaced by "x", padded. */
static void ptmpl(const char *t, int width)
{
    int n = 0;
    while (*t) {
        if (t[0] == '%' && t[1] == '[') {
            t += 2;
            while (*t && *t != ']') {
                pc_(*t++);
                n++;
            }
            if (*t)
                t++;
        } else {
            pc_(*t++);
            n++;
        }
    }
    while (n++ < width)
        pc_(' ');
}

static void pad_to(const char *s, int width)
{
    int n = 0;
    while (*s) {
        pc_(*s++);
        n++;
    }
    while (n++ < width)
        pc_(' ');
}

/* ---------------------------------------------------------------------- */
/* Generic register-operand test harness.
 *
 * Every test function sets the APSR (NZCVQ and GE) from in[4], executes one
 * instruction on operands a=in[0], b=in[1], c=in[2], d=in[3] (c and d are
 * read-write), then captures c, d and the CPSR.                            */

typedef void (*tfn)(const u32 *in, u32 *out);

#define T(fn, ins)                                                           \
    static void fn(const u32 *in, u32 *out)                                  \
    {                                                                        \
        u32 a = in[0], b = in[1], c = in[2], d = in[3], f;                   \
        asm volatile("msr APSR_nzcvqg, %[fi]\n\t" ins "\n\tmrs %[f], APSR"   \
                     : [c] "+&r"(c), [d] "+&r"(d), [f] "=&r"(f)              \
                     : [a] "r"(a), [b] "r"(b), [fi] "r"(in[4])               \
                     : "cc");                                                \
        out[0] = c;                                                          \
        out[1] = d;                                                          \
        out[2] = f;                                                          \
    }

/* operand usage / display mask */
#define IA 0x001
#define IB 0x002
#define IC 0x004
#define ID 0x008
#define OC 0x010
#define OD 0x020
#define SQ 0x040
#define SG 0x080
#define M_R1 (IA | OC)
#define M_R2 (IA | IB | OC)
#define M_R3 (IA | IB | ID | OC)
#define M_R2D (IA | IB | ID | OC)
#define M_L2 (IA | IB | OC | OD)
#define M_L4 (IA | IB | IC | ID | OC | OD)
#define M_C1 (IA)
#define M_C2 (IA | IB)
#define M_C (IC | OC)
#define M_W (OC)
#define M_RC (IA | IC | OC)

struct tdesc {
    const char *tmpl;
    tfn fn;
    u32 mode;
};

#define X_DEF(fn, s, m) T(fn, s)
#define X_ENT(fn, s, m) { s, fn, m },

#define TMPL_WIDTH 30

static void run1(const struct tdesc *t, u32 a, u32 b, u32 c, u32 d, u32 fin)
{
    u32 in[5] = { a, b, c, d, fin }, out[3];
    t->fn(in, out);
    ptmpl(t->tmpl, TMPL_WIDTH);
    if (t->mode & IA) pkv(" a", a);
    if (t->mode & IB) pkv(" b", b);
    if (t->mode & IC) pkv(" c", c);
    if (t->mode & ID) pkv(" d", d);
    pf(fin);
    if (t->mode & SQ) pq(fin);
    if (t->mode & SG) pge(fin);
    p(" ->");
    if (t->mode & OC) pkv(" c", out[0]);
    if (t->mode & OD) pkv(" d", out[1]);
    pf(out[2]);
    if (t->mode & SQ) pq(out[2]);
    if (t->mode & SG) pge(out[2]);
    nl();
}

#define FL(nzcv) ((u32)(nzcv) << 28)
#define GE(g) ((u32)(g) << 16)

/* ---------------------------------------------------------------------- */
/* Value sets                                                             */

static const u32 V6[] = { 0x00000000, 0x00000001, 0x7fffffff,
                          0x80000000, 0xffffffff, 0x12345678 };
static const u32 V4[] = { 0x00000001, 0x7fffffff, 0x80000000, 0xffffffff };
static const u32 V4I[] = { 0x00000000, 0x7fffffff, 0x80000000, 0xffffffff };
/* for shifts: all four combinations of bit31/bit0 */
static const u32 VSH[] = { 0x80000001, 0x7ffffffe, 0x9abcdef0, 0x12345679 };
static const u32 VAMT[] = { 0, 1, 31, 32, 33, 255, 256, 0x80000001 };

/* ---------------------------------------------------------------------- */
/* CP15 identification registers                                          */

#define MRC(op1, crn, crm, op2)                                              \
    ({                                                                       \
        u32 v_;                                                              \
        asm volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2     \
                     : "=r"(v_));                                            \
        v_;                                                                  \
    })
#define MCR(op1, crn, crm, op2, v)                                           \
    asm volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2         \
                 ::"r"(v) : "memory")

static inline void isb(void) { asm volatile("isb" ::: "memory"); }
static inline void dsb(void) { asm volatile("dsb" ::: "memory"); }

static void test_cp15_id(void)
{
    hdr("cp15 id");
    pkv("MIDR    ", MRC(0, c0, c0, 0)); nl();
    pkv("CTR     ", MRC(0, c0, c0, 1)); nl();
    pkv("MPIDR   ", MRC(0, c0, c0, 5)); nl();
    pkv("ID_PFR0 ", MRC(0, c0, c1, 0)); nl();
    pkv("ID_MMFR0", MRC(0, c0, c1, 4)); nl();
    pkv("ID_ISAR0", MRC(0, c0, c2, 0)); nl();
    pkv("ID_ISAR1", MRC(0, c0, c2, 1)); nl();
    pkv("ID_ISAR2", MRC(0, c0, c2, 2)); nl();
    pkv("ID_ISAR3", MRC(0, c0, c2, 3)); nl();
    pkv("ID_ISAR4", MRC(0, c0, c2, 4)); nl();
    pkv("ID_ISAR5", MRC(0, c0, c2, 5)); nl();
}

/* ---------------------------------------------------------------------- */
/* Data processing, register operands                                     */

#define DP_S_LIST(X)                                                         \
    X(t_ands, "ands %[c], %[a], %[b]", M_R2)                                 \
    X(t_eors, "eors %[c], %[a], %[b]", M_R2)                                 \
    X(t_subs, "subs %[c], %[a], %[b]", M_R2)                                 \
    X(t_rsbs, "rsbs %[c], %[a], %[b]", M_R2)                                 \
    X(t_adds, "adds %[c], %[a], %[b]", M_R2)                                 \
    X(t_adcs, "adcs %[c], %[a], %[b]", M_R2)                                 \
    X(t_sbcs, "sbcs %[c], %[a], %[b]", M_R2)                                 \
    X(t_rscs, "rscs %[c], %[a], %[b]", M_R2)                                 \
    X(t_tst, "tst %[a], %[b]", M_C2)                                         \
    X(t_teq, "teq %[a], %[b]", M_C2)                                         \
    X(t_cmp, "cmp %[a], %[b]", M_C2)                                         \
    X(t_cmn, "cmn %[a], %[b]", M_C2)                                         \
    X(t_orrs, "orrs %[c], %[a], %[b]", M_R2)                                 \
    X(t_movs, "movs %[c], %[b]", IB | OC)                                    \
    X(t_bics, "bics %[c], %[a], %[b]", M_R2)                                 \
    X(t_mvns, "mvns %[c], %[b]", IB | OC)

#define DP_N_LIST(X)                                                         \
    X(t_and, "and %[c], %[a], %[b]", M_R2)                                   \
    X(t_eor, "eor %[c], %[a], %[b]", M_R2)                                   \
    X(t_sub, "sub %[c], %[a], %[b]", M_R2)                                   \
    X(t_rsb, "rsb %[c], %[a], %[b]", M_R2)                                   \
    X(t_add, "add %[c], %[a], %[b]", M_R2)                                   \
    X(t_adc, "adc %[c], %[a], %[b]", M_R2)                                   \
    X(t_sbc, "sbc %[c], %[a], %[b]", M_R2)                                   \
    X(t_rsc, "rsc %[c], %[a], %[b]", M_R2)                                   \
    X(t_orr, "orr %[c], %[a], %[b]", M_R2)                                   \
    X(t_mov, "mov %[c], %[b]", IB | OC)                                      \
    X(t_bic, "bic %[c], %[a], %[b]", M_R2)                                   \
    X(t_mvn, "mvn %[c], %[b]", IB | OC)

DP_S_LIST(X_DEF)
DP_N_LIST(X_DEF)
static const struct tdesc dp_s_tab[] = { DP_S_LIST(X_ENT) };
static const struct tdesc dp_n_tab[] = { DP_N_LIST(X_ENT) };

static void test_dp(void)
{
    hdr("dp S");
    for (unsigned t = 0; t < ARRAY_SIZE(dp_s_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(V6); i++)
            for (unsigned j = 0; j < ARRAY_SIZE(V6); j++) {
                /* MOVS/MVNS only use b: skip redundant a values */
                if (!(dp_s_tab[t].mode & IA) && i)
                    continue;
                run1(&dp_s_tab[t], V6[i], V6[j], 0, 0, FL(0x0));
                run1(&dp_s_tab[t], V6[i], V6[j], 0, 0, FL(0x3));
            }
    hdr("dp non-S");
    for (unsigned t = 0; t < ARRAY_SIZE(dp_n_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(V4); i++)
            for (unsigned j = 0; j < ARRAY_SIZE(V4); j++) {
                if (!(dp_n_tab[t].mode & IA) && i)
                    continue;
                run1(&dp_n_tab[t], V4[i], V4[j], 0, 0, FL(0x6));
                if (t >= 5 && t <= 7) /* ADC SBC RSC: carry clear too */
                    run1(&dp_n_tab[t], V4[i], V4[j], 0, 0, FL(0x9));
            }
}

/* ---------------------------------------------------------------------- */
/* Rotated immediates                                                     */

#define DP_IMM_LIST(X)                                                       \
    X(t_i_movs_ff, "movs %[c], #0xff", M_W)                                  \
    X(t_i_movs_ff000000, "movs %[c], #0xff000000", M_W)                      \
    X(t_i_movs_3fc, "movs %[c], #0x3fc", M_W)                                \
    X(t_i_movs_80000000, "movs %[c], #0x80000000", M_W)                      \
    X(t_i_movs_f000000f, "movs %[c], #0xf000000f", M_W)                      \
    X(t_i_movs_0r2, "movs %[c], #0, 2", M_W)                                 \
    X(t_i_movs_2r2, "movs %[c], #2, 2", M_W)                                 \
    X(t_i_mov_r8, "mov %[c], #0x80, 8", M_W)                                 \
    X(t_i_mvns_ff000000, "mvns %[c], #0xff000000", M_W)                      \
    X(t_i_mvns_0, "mvns %[c], #0", M_W)                                      \
    X(t_i_ands_f0000000, "ands %[c], %[a], #0xf0000000", M_R1)               \
    X(t_i_ands_ff, "ands %[c], %[a], #0xff", M_R1)                           \
    X(t_i_eors_c0000003, "eors %[c], %[a], #0xc0000003", M_R1)               \
    X(t_i_orrs_3fc, "orrs %[c], %[a], #0x3fc", M_R1)                         \
    X(t_i_bics_80000001, "bics %[c], %[a], #0x80000001", M_R1)               \
    X(t_i_tst_80000000, "tst %[a], #0x80000000", M_C1)                       \
    X(t_i_teq_3fc00000, "teq %[a], #0x3fc00000", M_C1)                       \
    X(t_i_tst_1, "tst %[a], #1", M_C1)                                       \
    X(t_i_adds_80000000, "adds %[c], %[a], #0x80000000", M_R1)               \
    X(t_i_subs_1, "subs %[c], %[a], #1", M_R1)                               \
    X(t_i_rsbs_0, "rsbs %[c], %[a], #0", M_R1)                               \
    X(t_i_adcs_ff, "adcs %[c], %[a], #0xff", M_R1)                           \
    X(t_i_sbcs_100, "sbcs %[c], %[a], #0x100", M_R1)                         \
    X(t_i_rscs_0, "rscs %[c], %[a], #0", M_R1)                               \
    X(t_i_cmp_0, "cmp %[a], #0", M_C1)                                       \
    X(t_i_cmn_1, "cmn %[a], #1", M_C1)                                       \
    X(t_i_cmp_80000000, "cmp %[a], #0x80000000", M_C1)                       \
    X(t_i_add_ff000000, "add %[c], %[a], #0xff000000", M_R1)                 \
    X(t_i_sub_104, "sub %[c], %[a], #0x104", M_R1)

DP_IMM_LIST(X_DEF)
static const struct tdesc dp_imm_tab[] = { DP_IMM_LIST(X_ENT) };

static void test_dp_imm(void)
{
    hdr("dp immediate");
    for (unsigned t = 0; t < ARRAY_SIZE(dp_imm_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(V4I); i++) {
            if (!(dp_imm_tab[t].mode & IA) && i)
                continue;
            run1(&dp_imm_tab[t], V4I[i], 0, 0, 0, FL(0x0));
            run1(&dp_imm_tab[t], V4I[i], 0, 0, 0, FL(0x3));
        }
}

/* ---------------------------------------------------------------------- */
/* Shifter operand                                                        */

#define SH_IMM_LIST(X)                                                       \
    X(t_sh_lsl0, "movs %[c], %[a], lsl #0", M_R1)                            \
    X(t_sh_lsl1, "movs %[c], %[a], lsl #1", M_R1)                            \
    X(t_sh_lsl31, "movs %[c], %[a], lsl #31", M_R1)                          \
    X(t_sh_lsr1, "movs %[c], %[a], lsr #1", M_R1)                            \
    X(t_sh_lsr31, "movs %[c], %[a], lsr #31", M_R1)                          \
    X(t_sh_lsr32, "movs %[c], %[a], lsr #32", M_R1)                          \
    X(t_sh_asr1, "movs %[c], %[a], asr #1", M_R1)                            \
    X(t_sh_asr31, "movs %[c], %[a], asr #31", M_R1)                          \
    X(t_sh_asr32, "movs %[c], %[a], asr #32", M_R1)                          \
    X(t_sh_ror1, "movs %[c], %[a], ror #1", M_R1)                            \
    X(t_sh_ror31, "movs %[c], %[a], ror #31", M_R1)                          \
    X(t_sh_rrx, "movs %[c], %[a], rrx", M_R1)                                \
    X(t_sh_mvn_rrx, "mvns %[c], %[a], rrx", M_R1)                            \
    X(t_sh_nlsr32, "mov %[c], %[a], lsr #32", M_R1)                          \
    X(t_sh_nrrx, "mov %[c], %[a], rrx", M_R1)

#define SH_REG_LIST(X)                                                       \
    X(t_sh_lslr, "movs %[c], %[a], lsl %[b]", M_R2)                          \
    X(t_sh_lsrr, "movs %[c], %[a], lsr %[b]", M_R2)                          \
    X(t_sh_asrr, "movs %[c], %[a], asr %[b]", M_R2)                          \
    X(t_sh_rorr, "movs %[c], %[a], ror %[b]", M_R2)                          \
    X(t_sh_nasrr, "mov %[c], %[a], asr %[b]", M_R2)

SH_IMM_LIST(X_DEF)
SH_REG_LIST(X_DEF)
static const struct tdesc sh_imm_tab[] = { SH_IMM_LIST(X_ENT) };
static const struct tdesc sh_reg_tab[] = { SH_REG_LIST(X_ENT) };

static void test_shifter(void)
{
    hdr("shifter immediate");
    for (unsigned t = 0; t < ARRAY_SIZE(sh_imm_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(V6); i++) {
            run1(&sh_imm_tab[t], V6[i], 0, 0, 0, FL(0x0));
            run1(&sh_imm_tab[t], V6[i], 0, 0, 0, FL(0x3));
        }
    hdr("shifter register");
    for (unsigned t = 0; t < ARRAY_SIZE(sh_reg_tab); t++)
        for (unsigned k = 0; k < ARRAY_SIZE(VAMT); k++)
            for (unsigned i = 0; i < ARRAY_SIZE(VSH); i++) {
                run1(&sh_reg_tab[t], VSH[i], VAMT[k], 0, 0, FL(0x0));
                if (t < 4)
                    run1(&sh_reg_tab[t], VSH[i], VAMT[k], 0, 0, FL(0x3));
            }
}

/* Every opcode with shifted register operands */
#define DPSH(op, kind)                                                       \
    X(t_ds_##op##_lsl1, #op " %[c], %[a], %[b], lsl #1", kind)               \
    X(t_ds_##op##_asr32, #op " %[c], %[a], %[b], asr #32", kind)             \
    X(t_ds_##op##_rrx, #op " %[c], %[a], %[b], rrx", kind)                   \
    X(t_ds_##op##_rorr, #op " %[c], %[a], %[b], ror %[d]", kind | ID)
#define DPSH_C(op)                                                           \
    X(t_ds_##op##_lsl1, #op " %[a], %[b], lsl #1", M_C2)                     \
    X(t_ds_##op##_asr32, #op " %[a], %[b], asr #32", M_C2)                   \
    X(t_ds_##op##_rrx, #op " %[a], %[b], rrx", M_C2)                         \
    X(t_ds_##op##_rorr, #op " %[a], %[b], ror %[d]", M_C2 | ID)
#define DPSH_M(op)                                                           \
    X(t_ds_##op##_lsl1, #op " %[c], %[b], lsl #1", IB | OC)                  \
    X(t_ds_##op##_asr32, #op " %[c], %[b], asr #32", IB | OC)                \
    X(t_ds_##op##_rrx, #op " %[c], %[b], rrx", IB | OC)                      \
    X(t_ds_##op##_rorr, #op " %[c], %[b], ror %[d]", IB | ID | OC)

#define DPSH_LIST(X)                                                         \
    DPSH(ands, M_R2) DPSH(eors, M_R2) DPSH(subs, M_R2) DPSH(rsbs, M_R2)      \
    DPSH(adds, M_R2) DPSH(adcs, M_R2) DPSH(sbcs, M_R2) DPSH(rscs, M_R2)      \
    DPSH_C(tst) DPSH_C(teq) DPSH_C(cmp) DPSH_C(cmn)                          \
    DPSH(orrs, M_R2) DPSH_M(movs) DPSH(bics, M_R2) DPSH_M(mvns)              \
    DPSH(add, M_R2) DPSH(rsb, M_R2)

#define X X_DEF
DPSH_LIST(X)
#undef X
#define X X_ENT
static const struct tdesc dpsh_tab[] = { DPSH_LIST(X) };
#undef X

static void test_dp_shifted(void)
{
    static const u32 pa[4] = { 0x00000001, 0x7fffffff, 0x80000000, 0xffffffff };
    static const u32 pb[4] = { 0x80000001, 0xffffffff, 0x00000003, 0x7ffffffe };
    static const u32 pd[4] = { 0, 1, 32, 33 };
    hdr("dp shifted operand");
    for (unsigned t = 0; t < ARRAY_SIZE(dpsh_tab); t++)
        for (unsigned i = 0; i < 4; i++) {
            if (!(dpsh_tab[t].mode & IA) && i >= 2)
                continue;
            run1(&dpsh_tab[t], pa[i], pb[i], 0, pd[i], FL(0x3));
            if ((t & 3) == 2) /* RRX: carry clear too */
                run1(&dpsh_tab[t], pa[i], pb[i], 0, pd[i], FL(0x0));
        }
}

/* ---------------------------------------------------------------------- */
/* Multiplies                                                             */

#define MUL_LIST(X)                                                          \
    X(t_mul, "mul %[c], %[a], %[b]", M_R2)                                   \
    X(t_muls, "muls %[c], %[a], %[b]", M_R2)                                 \
    X(t_mla, "mla %[c], %[a], %[b], %[d]", M_R3)                             \
    X(t_mlas, "mlas %[c], %[a], %[b], %[d]", M_R3)                           \
    X(t_mls, "mls %[c], %[a], %[b], %[d]", M_R3)                             \
    X(t_umull, "umull %[c], %[d], %[a], %[b]", M_L2)                         \
    X(t_umulls, "umulls %[c], %[d], %[a], %[b]", M_L2)                       \
    X(t_umlal, "umlal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(t_umlals, "umlals %[c], %[d], %[a], %[b]", M_L4)                       \
    X(t_smull, "smull %[c], %[d], %[a], %[b]", M_L2)                         \
    X(t_smulls, "smulls %[c], %[d], %[a], %[b]", M_L2)                       \
    X(t_smlal, "smlal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(t_smlals, "smlals %[c], %[d], %[a], %[b]", M_L4)                       \
    X(t_umaal, "umaal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(t_smlabb, "smlabb %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlabt, "smlabt %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlatb, "smlatb %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlatt, "smlatt %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smulbb, "smulbb %[c], %[a], %[b]", M_R2)                             \
    X(t_smulbt, "smulbt %[c], %[a], %[b]", M_R2)                             \
    X(t_smultb, "smultb %[c], %[a], %[b]", M_R2)                             \
    X(t_smultt, "smultt %[c], %[a], %[b]", M_R2)                             \
    X(t_smulwb, "smulwb %[c], %[a], %[b]", M_R2)                             \
    X(t_smulwt, "smulwt %[c], %[a], %[b]", M_R2)                             \
    X(t_smlawb, "smlawb %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlawt, "smlawt %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlalbb, "smlalbb %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smlalbt, "smlalbt %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smlaltb, "smlaltb %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smlaltt, "smlaltt %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smuad, "smuad %[c], %[a], %[b]", M_R2 | SQ)                          \
    X(t_smuadx, "smuadx %[c], %[a], %[b]", M_R2 | SQ)                        \
    X(t_smusd, "smusd %[c], %[a], %[b]", M_R2)                               \
    X(t_smusdx, "smusdx %[c], %[a], %[b]", M_R2)                             \
    X(t_smlad, "smlad %[c], %[a], %[b], %[d]", M_R3 | SQ)                    \
    X(t_smladx, "smladx %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlsd, "smlsd %[c], %[a], %[b], %[d]", M_R3 | SQ)                    \
    X(t_smlsdx, "smlsdx %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(t_smlald, "smlald %[c], %[d], %[a], %[b]", M_L4)                       \
    X(t_smlaldx, "smlaldx %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smlsld, "smlsld %[c], %[d], %[a], %[b]", M_L4)                       \
    X(t_smlsldx, "smlsldx %[c], %[d], %[a], %[b]", M_L4)                     \
    X(t_smmul, "smmul %[c], %[a], %[b]", M_R2)                               \
    X(t_smmulr, "smmulr %[c], %[a], %[b]", M_R2)                             \
    X(t_smmla, "smmla %[c], %[a], %[b], %[d]", M_R3)                         \
    X(t_smmlar, "smmlar %[c], %[a], %[b], %[d]", M_R3)                       \
    X(t_smmls, "smmls %[c], %[a], %[b], %[d]", M_R3)                         \
    X(t_smmlsr, "smmlsr %[c], %[a], %[b], %[d]", M_R3)

MUL_LIST(X_DEF)
static const struct tdesc mul_tab[] = { MUL_LIST(X_ENT) };

static const u32 mul_cases[][4] = {
    { 0x00000000, 0x00000000, 0x00000000, 0x00000000 },
    { 0x00000001, 0x00000001, 0x00000001, 0x00000001 },
    { 0x7fffffff, 0x7fffffff, 0xffffffff, 0x7fffffff },
    { 0x80000000, 0x80000000, 0x80000000, 0x80000000 },
    { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
    { 0x80000000, 0xffffffff, 0x00000001, 0x7fffffff },
    { 0x7fffffff, 0x80000000, 0x7fffffff, 0xffffffff },
    { 0x80008000, 0x80008000, 0x7fffffff, 0x00000000 },
    { 0x7fff7fff, 0x80008000, 0x80000000, 0x00000001 },
    { 0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321 },
    { 0xffff0001, 0x00017fff, 0x00000000, 0x80000000 },
    { 0x00010002, 0x00030004, 0x7ffffffc, 0x00000005 },
    { 0x80007fff, 0x7fff8000, 0x40000000, 0x3fffffff },
};

static void test_mul(void)
{
    hdr("multiply");
    for (unsigned t = 0; t < ARRAY_SIZE(mul_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(mul_cases); i++)
            run1(&mul_tab[t], mul_cases[i][0], mul_cases[i][1],
                 mul_cases[i][2], mul_cases[i][3], FL(0x3));
    /* Q is sticky: a non-saturating SMLABB leaves Q=1 set */
    run1(&mul_tab[14], 2, 3, 0, 4, FL(0x0) | (1u << 27));
}

/* ---------------------------------------------------------------------- */
/* Divide                                                                 */

#define DIV_LIST(X)                                                          \
    X(t_sdiv, "sdiv %[c], %[a], %[b]", M_R2)                                 \
    X(t_udiv, "udiv %[c], %[a], %[b]", M_R2)

DIV_LIST(X_DEF)
static const struct tdesc div_tab[] = { DIV_LIST(X_ENT) };

static void test_div(void)
{
    static const u32 cases[][2] = {
        { 0, 0 }, { 1, 0 }, { 0xffffffff, 0 }, { 0x80000000, 0 },
        { 7, 2 }, { 0xfffffff9, 2 }, { 7, 0xfffffffe }, { 0xfffffff9, 0xfffffffe },
        { 0x80000000, 0xffffffff }, { 0x80000000, 1 }, { 0xffffffff, 0xffffffff },
        { 0x7fffffff, 0x10 }, { 100, 7 }, { 0x12345678, 0x1234 }, { 0, 5 },
        { 0xffffffff, 1 }, { 0x80000000, 0x80000000 }, { 5, 0xffffffff },
    };
    hdr("divide");
    for (unsigned t = 0; t < ARRAY_SIZE(div_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
            run1(&div_tab[t], cases[i][0], cases[i][1], 0, 0, FL(0x0));
}

/* ---------------------------------------------------------------------- */
/* MOVW/MOVT, bitfields, extends, reverses, CLZ                            */

#define MISC_LIST(X)                                                         \
    X(t_movw0, "movw %[c], #0", M_W)                                         \
    X(t_movw1, "movw %[c], #0xffff", M_W)                                    \
    X(t_movw2, "movw %[c], #0x8001", M_W)                                    \
    X(t_movt0, "movt %[c], #0", M_C)                                         \
    X(t_movt1, "movt %[c], #0xffff", M_C)                                    \
    X(t_movt2, "movt %[c], #0x8001", M_C)                                    \
    X(t_bfi_0_1, "bfi %[c], %[a], #0, #1", M_RC)                             \
    X(t_bfi_0_32, "bfi %[c], %[a], #0, #32", M_RC)                           \
    X(t_bfi_4_8, "bfi %[c], %[a], #4, #8", M_RC)                             \
    X(t_bfi_31_1, "bfi %[c], %[a], #31, #1", M_RC)                           \
    X(t_bfi_16_16, "bfi %[c], %[a], #16, #16", M_RC)                         \
    X(t_bfi_1_31, "bfi %[c], %[a], #1, #31", M_RC)                           \
    X(t_bfi_8_12, "bfi %[c], %[a], #8, #12", M_RC)                           \
    X(t_bfc_0_1, "bfc %[c], #0, #1", M_C)                                    \
    X(t_bfc_0_32, "bfc %[c], #0, #32", M_C)                                  \
    X(t_bfc_4_8, "bfc %[c], #4, #8", M_C)                                    \
    X(t_bfc_31_1, "bfc %[c], #31, #1", M_C)                                  \
    X(t_bfc_16_16, "bfc %[c], #16, #16", M_C)                                \
    X(t_bfc_8_12, "bfc %[c], #8, #12", M_C)                                  \
    X(t_ubfx_0_1, "ubfx %[c], %[a], #0, #1", M_R1)                           \
    X(t_ubfx_0_32, "ubfx %[c], %[a], #0, #32", M_R1)                         \
    X(t_ubfx_4_8, "ubfx %[c], %[a], #4, #8", M_R1)                           \
    X(t_ubfx_31_1, "ubfx %[c], %[a], #31, #1", M_R1)                         \
    X(t_ubfx_16_16, "ubfx %[c], %[a], #16, #16", M_R1)                       \
    X(t_ubfx_1_31, "ubfx %[c], %[a], #1, #31", M_R1)                         \
    X(t_ubfx_8_12, "ubfx %[c], %[a], #8, #12", M_R1)                         \
    X(t_sbfx_0_1, "sbfx %[c], %[a], #0, #1", M_R1)                           \
    X(t_sbfx_0_32, "sbfx %[c], %[a], #0, #32", M_R1)                         \
    X(t_sbfx_4_8, "sbfx %[c], %[a], #4, #8", M_R1)                           \
    X(t_sbfx_31_1, "sbfx %[c], %[a], #31, #1", M_R1)                         \
    X(t_sbfx_16_16, "sbfx %[c], %[a], #16, #16", M_R1)                       \
    X(t_sbfx_1_31, "sbfx %[c], %[a], #1, #31", M_R1)                         \
    X(t_sbfx_8_12, "sbfx %[c], %[a], #8, #12", M_R1)

MISC_LIST(X_DEF)
static const struct tdesc misc_tab[] = { MISC_LIST(X_ENT) };

#define EXT4(op)                                                             \
    X(t_##op##_0, #op " %[c], %[a]", M_R1)                                   \
    X(t_##op##_8, #op " %[c], %[a], ror #8", M_R1)                           \
    X(t_##op##_16, #op " %[c], %[a], ror #16", M_R1)                         \
    X(t_##op##_24, #op " %[c], %[a], ror #24", M_R1)
#define EXTA4(op)                                                            \
    X(t_##op##_0, #op " %[c], %[a], %[b]", M_R2)                             \
    X(t_##op##_8, #op " %[c], %[a], %[b], ror #8", M_R2)                     \
    X(t_##op##_16, #op " %[c], %[a], %[b], ror #16", M_R2)                   \
    X(t_##op##_24, #op " %[c], %[a], %[b], ror #24", M_R2)
#define EXT_LIST(X)                                                          \
    EXT4(sxtb) EXT4(sxth) EXT4(uxtb) EXT4(uxth) EXT4(sxtb16) EXT4(uxtb16)    \
    EXTA4(sxtab) EXTA4(sxtah) EXTA4(uxtab) EXTA4(uxtah) EXTA4(sxtab16)       \
    EXTA4(uxtab16)

#define X X_DEF
EXT_LIST(X)
#undef X
#define X X_ENT
static const struct tdesc ext_tab[] = { EXT_LIST(X) };
#undef X

#define REV_LIST(X)                                                          \
    X(t_rev, "rev %[c], %[a]", M_R1)                                         \
    X(t_rev16, "rev16 %[c], %[a]", M_R1)                                     \
    X(t_revsh, "revsh %[c], %[a]", M_R1)                                     \
    X(t_rbit, "rbit %[c], %[a]", M_R1)                                       \
    X(t_clz, "clz %[c], %[a]", M_R1)

REV_LIST(X_DEF)
static const struct tdesc rev_tab[] = { REV_LIST(X_ENT) };

static void test_misc(void)
{
    static const u32 vals[] = { 0x00000000, 0xffffffff, 0x12345678, 0x80000001 };
    static const u32 cvals[] = { 0xffffffff, 0x00000000, 0xa5a5a5a5, 0x12345678 };
    static const u32 ea[] = { 0x807f01ff, 0x12345678, 0xffffffff, 0x00000000 };
    static const u32 eb[] = { 0x7f80fe00, 0x89abcdef, 0x80008080, 0xffffffff };
    static const u32 rv[] = { 0x00000000, 0x00000001, 0x80000000, 0xffffffff,
                              0x12345678, 0x000080ff, 0x00ff7f80, 0x0000ffff,
                              0x00010000, 0x7fffffff };
    hdr("movw/movt bitfield");
    for (unsigned t = 0; t < ARRAY_SIZE(misc_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(vals); i++) {
            if (!(misc_tab[t].mode & (IA | IC)) && i)
                continue;
            run1(&misc_tab[t], vals[i], 0, cvals[i], 0, FL(0x0));
        }
    hdr("extend");
    for (unsigned t = 0; t < ARRAY_SIZE(ext_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(ea); i++)
            run1(&ext_tab[t], ea[i], eb[i], 0, 0, FL(0x0));
    hdr("reverse clz");
    for (unsigned t = 0; t < ARRAY_SIZE(rev_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(rv); i++)
            run1(&rev_tab[t], rv[i], 0, 0, 0, FL(0x0));
}

/* ---------------------------------------------------------------------- */
/* Saturation and Q arithmetic                                            */

#define SAT_LIST(X)                                                          \
    X(t_ssat1, "ssat %[c], #1, %[a]", M_R1 | SQ)                             \
    X(t_ssat8, "ssat %[c], #8, %[a]", M_R1 | SQ)                             \
    X(t_ssat16, "ssat %[c], #16, %[a]", M_R1 | SQ)                           \
    X(t_ssat32, "ssat %[c], #32, %[a]", M_R1 | SQ)                           \
    X(t_ssat16l4, "ssat %[c], #16, %[a], lsl #4", M_R1 | SQ)                 \
    X(t_ssat16a4, "ssat %[c], #16, %[a], asr #4", M_R1 | SQ)                 \
    X(t_ssat8a32, "ssat %[c], #8, %[a], asr #32", M_R1 | SQ)                 \
    X(t_usat0, "usat %[c], #0, %[a]", M_R1 | SQ)                             \
    X(t_usat1, "usat %[c], #1, %[a]", M_R1 | SQ)                             \
    X(t_usat8, "usat %[c], #8, %[a]", M_R1 | SQ)                             \
    X(t_usat16, "usat %[c], #16, %[a]", M_R1 | SQ)                           \
    X(t_usat31, "usat %[c], #31, %[a]", M_R1 | SQ)                           \
    X(t_usat8l1, "usat %[c], #8, %[a], lsl #1", M_R1 | SQ)                   \
    X(t_usat16a31, "usat %[c], #16, %[a], asr #31", M_R1 | SQ)

#define SAT16_LIST(X)                                                        \
    X(t_ssat16_1, "ssat16 %[c], #1, %[a]", M_R1 | SQ)                        \
    X(t_ssat16_8, "ssat16 %[c], #8, %[a]", M_R1 | SQ)                        \
    X(t_ssat16_16, "ssat16 %[c], #16, %[a]", M_R1 | SQ)                      \
    X(t_usat16_0, "usat16 %[c], #0, %[a]", M_R1 | SQ)                        \
    X(t_usat16_8, "usat16 %[c], #8, %[a]", M_R1 | SQ)                        \
    X(t_usat16_15, "usat16 %[c], #15, %[a]", M_R1 | SQ)

#define QARITH_LIST(X)                                                       \
    X(t_qadd, "qadd %[c], %[a], %[b]", M_R2 | SQ)                            \
    X(t_qsub, "qsub %[c], %[a], %[b]", M_R2 | SQ)                            \
    X(t_qdadd, "qdadd %[c], %[a], %[b]", M_R2 | SQ)                          \
    X(t_qdsub, "qdsub %[c], %[a], %[b]", M_R2 | SQ)

SAT_LIST(X_DEF)
SAT16_LIST(X_DEF)
QARITH_LIST(X_DEF)
static const struct tdesc sat_tab[] = { SAT_LIST(X_ENT) };
static const struct tdesc sat16_tab[] = { SAT16_LIST(X_ENT) };
static const struct tdesc qarith_tab[] = { QARITH_LIST(X_ENT) };

static void test_saturate(void)
{
    static const u32 sv[] = { 0x00000000, 0x00000001, 0x7fffffff, 0x80000000,
                              0xffffffff, 0x00007fff, 0x00008000, 0xffff8000,
                              0xffff7fff, 0x000000ff, 0x00000100, 0xffffff80 };
    static const u32 sv16[] = { 0x00000000, 0x7fff8000, 0x00ff0100, 0xff80007f,
                                0xffffffff, 0x00010002, 0x80007fff, 0xfffe0003 };
    static const u32 qv[] = { 0x00000000, 0x00000001, 0x7fffffff, 0x80000000,
                              0xffffffff, 0x40000000, 0xc0000000 };
    hdr("saturate");
    for (unsigned t = 0; t < ARRAY_SIZE(sat_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(sv); i++)
            run1(&sat_tab[t], sv[i], 0, 0, 0, FL(0x0));
    for (unsigned t = 0; t < ARRAY_SIZE(sat16_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(sv16); i++)
            run1(&sat16_tab[t], sv16[i], 0, 0, 0, FL(0x0));
    hdr("q arithmetic");
    for (unsigned t = 0; t < ARRAY_SIZE(qarith_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(qv); i++)
            for (unsigned j = 0; j < ARRAY_SIZE(qv); j++)
                run1(&qarith_tab[t], qv[i], qv[j], 0, 0, FL(0x0));
}

/* ---------------------------------------------------------------------- */
/* Parallel add/subtract, SEL, USAD8, PKH                                  */

#define PAR6(pfx)                                                            \
    X(t_##pfx##add16, #pfx "add16 %[c], %[a], %[b]", M_R2 | SG)              \
    X(t_##pfx##asx, #pfx "asx %[c], %[a], %[b]", M_R2 | SG)                  \
    X(t_##pfx##sax, #pfx "sax %[c], %[a], %[b]", M_R2 | SG)                  \
    X(t_##pfx##sub16, #pfx "sub16 %[c], %[a], %[b]", M_R2 | SG)              \
    X(t_##pfx##add8, #pfx "add8 %[c], %[a], %[b]", M_R2 | SG)                \
    X(t_##pfx##sub8, #pfx "sub8 %[c], %[a], %[b]", M_R2 | SG)
#define PAR_LIST(X) PAR6(s) PAR6(q) PAR6(sh) PAR6(u) PAR6(uq) PAR6(uh)

#define X X_DEF
PAR_LIST(X)
#undef X
#define X X_ENT
static const struct tdesc par_tab[] = { PAR_LIST(X) };
#undef X

#define PAR2_LIST(X)                                                         \
    X(t_sel, "sel %[c], %[a], %[b]", M_R2 | SG)                              \
    X(t_usad8, "usad8 %[c], %[a], %[b]", M_R2)                               \
    X(t_usada8, "usada8 %[c], %[a], %[b], %[d]", M_R3)                       \
    X(t_pkhbt0, "pkhbt %[c], %[a], %[b]", M_R2)                              \
    X(t_pkhbt1, "pkhbt %[c], %[a], %[b], lsl #1", M_R2)                      \
    X(t_pkhbt16, "pkhbt %[c], %[a], %[b], lsl #16", M_R2)                    \
    X(t_pkhbt31, "pkhbt %[c], %[a], %[b], lsl #31", M_R2)                    \
    X(t_pkhtb1, "pkhtb %[c], %[a], %[b], asr #1", M_R2)                      \
    X(t_pkhtb16, "pkhtb %[c], %[a], %[b], asr #16", M_R2)                    \
    X(t_pkhtb31, "pkhtb %[c], %[a], %[b], asr #31", M_R2)                    \
    X(t_pkhtb32, "pkhtb %[c], %[a], %[b], asr #32", M_R2)

PAR2_LIST(X_DEF)
static const struct tdesc par2_tab[] = { PAR2_LIST(X_ENT) };

static void test_parallel(void)
{
    static const u32 pa[] = { 0x00000000, 0x7fff8000, 0x80007fff, 0xffffffff,
                              0x807f7f80, 0x12345678, 0x00010001 };
    static const u32 pb[] = { 0x00000000, 0x00010001, 0xffff8000, 0x00010001,
                              0x01808001, 0x9abcdef0, 0xffffffff };
    hdr("parallel add/sub");
    for (unsigned t = 0; t < ARRAY_SIZE(par_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(pa); i++)
            run1(&par_tab[t], pa[i], pb[i], 0, 0, FL(0x0) | GE(0xa));
    hdr("sel usad8 pkh");
    for (unsigned g = 0; g < 16; g++)
        run1(&par2_tab[0], 0x11223344, 0xaabbccdd, 0, 0, FL(0x0) | GE(g));
    static const u32 ua[] = { 0x00000000, 0xff00ff00, 0x01020304, 0x80808080, 0xffffffff };
    static const u32 ub[] = { 0x00000000, 0x00ff00ff, 0x04030201, 0x7f7f7f7f, 0x00000000 };
    static const u32 ud[] = { 0x00000000, 0x00000001, 0xfffffff0, 0x7fffffff, 0xffffffff };
    for (unsigned t = 1; t <= 2; t++)
        for (unsigned i = 0; i < ARRAY_SIZE(ua); i++)
            run1(&par2_tab[t], ua[i], ub[i], 0, ud[i], FL(0x0));
    static const u32 ka[] = { 0x12345678, 0x80008000, 0xffffffff };
    static const u32 kb[] = { 0x9abcdef0, 0x7fff0001, 0x00000000 };
    for (unsigned t = 3; t < ARRAY_SIZE(par2_tab); t++)
        for (unsigned i = 0; i < ARRAY_SIZE(ka); i++)
            run1(&par2_tab[t], ka[i], kb[i], 0, 0, FL(0x0));
}

/* ---------------------------------------------------------------------- */
/* Loads and stores.  Fixed registers: r0 = base, r1 = offset / status,
 * r2, r3 = data.                                                         */

typedef void (*lsfn)(u32 *io);

#define LS(fn, ins)                                                          \
    static void fn(u32 *io)                                                  \
    {                                                                        \
        register u32 r0 asm("r0") = io[0];                                   \
        register u32 r1 asm("r1") = io[1];                                   \
        register u32 r2 asm("r2") = io[2];                                   \
        register u32 r3 asm("r3") = io[3];                                   \
        asm volatile(ins : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)            \
                     :: "memory", "cc");                                     \
        io[0] = r0;                                                          \
        io[1] = r1;                                                          \
        io[2] = r2;                                                          \
        io[3] = r3;                                                          \
    }

struct lsdesc {
    const char *tmpl;
    lsfn fn;
    u32 r1;
};

#define L_DEF(fn, s, r1) LS(fn, s)
#define L_ENT(fn, s, r1) { s, fn, r1 },

#define LDST_LIST(X)                                                         \
    X(l_ldr0, "ldr r2, [r0]", 0)                                             \
    X(l_ldr4, "ldr r2, [r0, #4]", 0)                                         \
    X(l_ldrm4, "ldr r2, [r0, #-4]", 0)                                       \
    X(l_ldrmax, "ldr r2, [r0, #-32]", 0)                                     \
    X(l_ldrr, "ldr r2, [r0, r1]", 8)                                         \
    X(l_ldrmr, "ldr r2, [r0, -r1]", 8)                                       \
    X(l_ldrlsl, "ldr r2, [r0, r1, lsl #2]", 3)                               \
    X(l_ldrlsr, "ldr r2, [r0, r1, lsr #1]", 0x18)                            \
    X(l_ldrasr, "ldr r2, [r0, r1, asr #2]", 0xffffffe0)                      \
    X(l_ldrror, "ldr r2, [r0, r1, ror #30]", 0x00000003)                     \
    X(l_ldrmlsl, "ldr r2, [r0, -r1, lsl #3]", 2)                             \
    X(l_ldrpre, "ldr r2, [r0, #4]!", 0)                                      \
    X(l_ldrprem, "ldr r2, [r0, #-8]!", 0)                                    \
    X(l_ldrprer, "ldr r2, [r0, r1]!", 12)                                    \
    X(l_ldrpresh, "ldr r2, [r0, -r1, lsl #2]!", 4)                           \
    X(l_ldrpost, "ldr r2, [r0], #4", 0)                                      \
    X(l_ldrpostm, "ldr r2, [r0], #-4", 0)                                    \
    X(l_ldrpostr, "ldr r2, [r0], r1", 16)                                    \
    X(l_ldrpostsh, "ldr r2, [r0], -r1, lsl #1", 8)                           \
    X(l_ldrb0, "ldrb r2, [r0]", 0)                                           \
    X(l_ldrb1, "ldrb r2, [r0, #1]", 0)                                       \
    X(l_ldrbm3, "ldrb r2, [r0, #-3]", 0)                                     \
    X(l_ldrbr, "ldrb r2, [r0, r1]", 7)                                       \
    X(l_ldrbpost, "ldrb r2, [r0], #1", 0)                                    \
    X(l_ldrbpre, "ldrb r2, [r0, #3]!", 0)                                    \
    X(l_ldrbpremr, "ldrb r2, [r0, -r1]!", 5)                                 \
    X(l_str4, "str r2, [r0, #4]", 0)                                         \
    X(l_strprem, "str r2, [r0, #-4]!", 0)                                    \
    X(l_strpostr, "str r2, [r0], r1", 8)                                     \
    X(l_strlsl, "str r2, [r0, r1, lsl #2]!", 2)                              \
    X(l_strmr, "str r2, [r0, -r1]", 12)                                      \
    X(l_strb1, "strb r2, [r0, #1]", 0)                                       \
    X(l_strbpost, "strb r2, [r0], #-1", 0)                                   \
    X(l_strbr, "strb r2, [r0, r1]!", 6)                                      \
    X(l_ldrh2, "ldrh r2, [r0, #2]", 0)                                       \
    X(l_ldrhm2, "ldrh r2, [r0, #-2]", 0)                                     \
    X(l_ldrhr, "ldrh r2, [r0, r1]", 6)                                       \
    X(l_ldrhmr, "ldrh r2, [r0, -r1]", 10)                                    \
    X(l_ldrhpost, "ldrh r2, [r0], #2", 0)                                    \
    X(l_ldrhpre, "ldrh r2, [r0, #6]!", 0)                                    \
    X(l_ldrhpostr, "ldrh r2, [r0], -r1", 4)                                  \
    X(l_ldrsh0, "ldrsh r2, [r0]", 0)                                         \
    X(l_ldrsh2, "ldrsh r2, [r0, #2]", 0)                                     \
    X(l_ldrshm6, "ldrsh r2, [r0, #-6]", 0)                                   \
    X(l_ldrshr, "ldrsh r2, [r0, r1]", 10)                                    \
    X(l_ldrshpost, "ldrsh r2, [r0], #-2", 0)                                 \
    X(l_ldrsb0, "ldrsb r2, [r0]", 0)                                         \
    X(l_ldrsb1, "ldrsb r2, [r0, #1]", 0)                                     \
    X(l_ldrsb5, "ldrsb r2, [r0, #5]", 0)                                     \
    X(l_ldrsbm1, "ldrsb r2, [r0, #-1]", 0)                                   \
    X(l_ldrsbr, "ldrsb r2, [r0, r1]!", 3)                                    \
    X(l_strh2, "strh r2, [r0, #2]", 0)                                       \
    X(l_strhpost, "strh r2, [r0], #-2", 0)                                   \
    X(l_strhpre, "strh r2, [r0, r1]!", 6)                                    \
    X(l_ldrd0, "ldrd r2, r3, [r0]", 0)                                       \
    X(l_ldrd8, "ldrd r2, r3, [r0, #8]", 0)                                   \
    X(l_ldrdpre, "ldrd r2, r3, [r0, #-8]!", 0)                               \
    X(l_ldrdpost, "ldrd r2, r3, [r0], #8", 0)                                \
    X(l_ldrdr, "ldrd r2, r3, [r0, r1]", 16)                                  \
    X(l_ldrdmr, "ldrd r2, r3, [r0, -r1]", 12)                                \
    X(l_ldrdpostr, "ldrd r2, r3, [r0], -r1", 4)                              \
    X(l_strd8, "strd r2, r3, [r0, #8]", 0)                                   \
    X(l_strdpre, "strd r2, r3, [r0, #-16]!", 0)                              \
    X(l_strdpost, "strd r2, r3, [r0], r1", 12)                               \
    X(l_ldrlit, "ldr r2, 1f\n\tb 2f\n1:\t.word 0xcafef00d\n2:", 0)           \
    X(l_ldrt, "ldrt r2, [r0], #4", 0)                                        \
    X(l_ldrtr, "ldrt r2, [r0], -r1", 8)                                      \
    X(l_ldrbt, "ldrbt r2, [r0], #1", 0)                                      \
    X(l_ldrbtr, "ldrbt r2, [r0], r1, lsl #1", 3)                             \
    X(l_ldrht, "ldrht r2, [r0], #2", 0)                                      \
    X(l_ldrsht, "ldrsht r2, [r0], #-2", 0)                                   \
    X(l_ldrsbt, "ldrsbt r2, [r0], #1", 0)                                    \
    X(l_strt, "strt r2, [r0], #4", 0)                                        \
    X(l_strbt, "strbt r2, [r0], #-1", 0)                                     \
    X(l_strht, "strht r2, [r0], r1", 2)

LDST_LIST(L_DEF)
static const struct lsdesc ldst_tab[] = { LDST_LIST(L_ENT) };

#define EXCL_LIST(X)                                                         \
    X(x_ldrex, "ldrex r2, [r0]\n\tadd r2, r2, #1\n\tstrex r1, r2, [r0]", 0)  \
    X(x_ldrexb, "ldrexb r2, [r0]\n\tadd r2, r2, #1\n\tstrexb r1, r2, [r0]", 0) \
    X(x_ldrexh, "ldrexh r2, [r0]\n\tadd r2, r2, #1\n\tstrexh r1, r2, [r0]", 0) \
    X(x_ldrexd, "ldrexd r2, r3, [r0]\n\tadds r2, r2, #1\n\tadc r3, r3, #0\n\t" \
                "strexd r1, r2, r3, [r0]", 0)                                \
    X(x_clrex, "ldrex r2, [r0]\n\tclrex\n\tstrex r1, r3, [r0]", 0)           \
    X(x_clrexb, "clrex\n\tstrexb r1, r3, [r0]", 0)                           \
    X(x_clrexd, "ldrexd r2, r3, [r0]\n\tclrex\n\tstrexd r1, r2, r3, [r0]", 0) \
    X(x_twice, "ldrex r2, [r0]\n\tstrex r1, r3, [r0]\n\t"                    \
               "strex r2, r3, [r0]\n\torr r1, r1, r2, lsl #4", 0)            \
    X(x_swp, "swp r2, r1, [r0]", 0x11223344)                                 \
    X(x_swpb, "swpb r2, r1, [r0]", 0xaabbccdd)

EXCL_LIST(L_DEF)
static const struct lsdesc excl_tab[] = { EXCL_LIST(L_ENT) };

static u32 lsbuf[16] __attribute__((aligned(16)));
#define LSBASE 32

static u8 pat_byte(unsigned i) { return (u8)(i * 0x1d + 0x81); }

static void ls_reset(void)
{
    u8 *b = (u8 *)lsbuf;
    for (unsigned i = 0; i < sizeof(lsbuf); i++)
        b[i] = pat_byte(i);
}

static void pbase(const char *k, u32 v)
{
    p(k);
    u32 off = v - (u32)lsbuf;
    if (off < sizeof(lsbuf) + 1) {
        p("=buf+");
        uart_hexn(off, 2);
    } else {
        pc_('=');
        ph(v);
    }
}

static void ls_mem_diff(void)
{
    const u8 *b = (const u8 *)lsbuf;
    int any = 0;
    for (unsigned w = 0; w < 16; w++) {
        int diff = 0;
        for (unsigned k = 0; k < 4; k++)
            if (b[w * 4 + k] != pat_byte(w * 4 + k))
                diff = 1;
        if (diff) {
            p(any ? " " : " mem:");
            p(" [+");
            uart_hexn(w * 4, 2);
            p("]=");
            ph(lsbuf[w]);
            any = 1;
        }
    }
}

static void run_ls(const struct lsdesc *t, u32 r2, u32 r3)
{
    u32 io[4] = { (u32)lsbuf + LSBASE, t->r1, r2, r3 };
    ls_reset();
    t->fn(io);
    ptmpl(t->tmpl, 0);
    p(" |");
    pbase(" r0", (u32)lsbuf + LSBASE);
    pkv(" r1", t->r1);
    p(" ->");
    pbase(" r0", io[0]);
    pkv(" r1", io[1]);
    pkv(" r2", io[2]);
    pkv(" r3", io[3]);
    ls_mem_diff();
    nl();
}

/* Print the templates on one line even if they contain newlines. */
static void run_ls_flat(const struct lsdesc *t, u32 r2, u32 r3)
{
    struct lsdesc tmp = *t;
    static char buf[160];
    unsigned n = 0;
    for (const char *s = t->tmpl; *s && n < sizeof(buf) - 1; s++) {
        if (*s == '\n')
            { buf[n++] = ';'; buf[n++] = ' '; }
        else if (*s != '\t')
            buf[n++] = *s;
    }
    buf[n] = 0;
    tmp.tmpl = buf;
    run_ls(&tmp, r2, r3);
}

static void test_ldst(void)
{
    hdr("load/store");
    p("buffer bytes: buf[i] = i*0x1d + 0x81, r0 starts at buf+20\n");
    for (unsigned t = 0; t < ARRAY_SIZE(ldst_tab); t++)
        run_ls_flat(&ldst_tab[t], 0x8899aabb, 0x11223344);

    hdr("exclusive/swp");
    /* SWP/SWPB need SCTLR.SW=1 on v7 with the MP extensions */
    u32 sctlr = MRC(0, c1, c0, 0);
    MCR(0, c1, c0, 0, sctlr | (1u << 10));
    isb();
    asm volatile("clrex" ::: "memory");
    for (unsigned t = 0; t < ARRAY_SIZE(excl_tab); t++)
        run_ls_flat(&excl_tab[t], 0x8899aabb, 0x55667788);
    MCR(0, c1, c0, 0, sctlr);
    isb();
}

/* ---------------------------------------------------------------------- */
/* LDM/STM.  r0 = base, r4-r7 = data.                                     */

#define LM(fn, ins)                                                          \
    static void fn(u32 *io)                                                  \
    {                                                                        \
        register u32 r0 asm("r0") = io[0];                                   \
        register u32 r4 asm("r4") = io[1];                                   \
        register u32 r5 asm("r5") = io[2];                                   \
        register u32 r6 asm("r6") = io[3];                                   \
        register u32 r7 asm("r7") = io[4];                                   \
        asm volatile(ins : "+r"(r0), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7)  \
                     :: "memory");                                           \
        io[0] = r0;                                                          \
        io[1] = r4;                                                          \
        io[2] = r5;                                                          \
        io[3] = r6;                                                          \
        io[4] = r7;                                                          \
    }
#define LM_DEF(fn, s) LM(fn, s)
#define LM_ENT(fn, s) { s, fn, 0 },

#define LDM_LIST(X)                                                          \
    X(m_ldmia, "ldmia r0, {r4-r7}")                                          \
    X(m_ldmiaw, "ldmia r0!, {r4-r7}")                                        \
    X(m_ldmib, "ldmib r0, {r4, r5}")                                         \
    X(m_ldmibw, "ldmib r0!, {r4-r7}")                                        \
    X(m_ldmda, "ldmda r0, {r4-r7}")                                          \
    X(m_ldmdaw, "ldmda r0!, {r4, r6}")                                       \
    X(m_ldmdb, "ldmdb r0, {r4-r7}")                                          \
    X(m_ldmdbw, "ldmdb r0!, {r5, r7}")                                       \
    X(m_ldmia1, "ldmia r0!, {r6}")                                           \
    X(m_ldmbase, "ldmib r0, {r0, r4}")                                       \
    X(m_stmia, "stmia r0, {r4-r7}")                                          \
    X(m_stmiaw, "stmia r0!, {r4-r7}")                                        \
    X(m_stmib, "stmib r0, {r4, r5}")                                         \
    X(m_stmibw, "stmib r0!, {r4-r7}")                                        \
    X(m_stmda, "stmda r0, {r4-r7}")                                          \
    X(m_stmdaw, "stmda r0!, {r5, r6}")                                       \
    X(m_stmdb, "stmdb r0, {r4-r7}")                                          \
    X(m_stmdbw, "stmdb r0!, {r4, r7}")                                       \
    X(m_stmbase, "stmia r0, {r0, r4, r5}")                                   \
    X(m_stmbase2, "stmdb r0, {r0, r6}")

LDM_LIST(LM_DEF)
static const struct lsdesc ldm_tab[] = { LDM_LIST(LM_ENT) };

extern void user_regs_test(u32 *out);
extern void exc_return_test(u32 *out);

static void test_ldm(void)
{
    hdr("ldm/stm");
    for (unsigned t = 0; t < ARRAY_SIZE(ldm_tab); t++) {
        u32 io[5] = { (u32)lsbuf + LSBASE, 0x44444444, 0x55555555,
                      0x66666666, 0x77777777 };
        ls_reset();
        ldm_tab[t].fn(io);
        ptmpl(ldm_tab[t].tmpl, 24);
        p(" | r0=buf+20 r4-r7=44444444.. ->");
        pbase(" r0", io[0]);
        pkv(" r4", io[1]);
        pkv(" r5", io[2]);
        pkv(" r6", io[3]);
        pkv(" r7", io[4]);
        ls_mem_diff();
        nl();
    }

    hdr("ldm/stm user registers");
    u32 out[32];
    for (unsigned i = 0; i < 32; i++)
        out[i] = 0xeeeeeeee;
    user_regs_test(out);
    p("stmia {r8-r14}^ from SVC:");
    for (unsigned i = 0; i < 7; i++) { pc_(' '); ph(out[i]); }
    nl();
    p("stmia {r8-r14}^ from FIQ:");
    for (unsigned i = 8; i < 15; i++) { pc_(' '); ph(out[i]); }
    nl();
    p("ldmia {r13,r14}^ from SVC: usr sp="); ph(out[16]);
    p(" usr lr="); ph(out[17]); nl();
    p("ldmia {r8,r9}^ from FIQ: usr r8="); ph(out[18]);
    p(" usr r9="); ph(out[19]);
    p(" fiq r8="); ph(out[20]);
    p(" fiq r9="); ph(out[21]); nl();

    hdr("exception return");
    for (unsigned i = 0; i < 8; i++)
        out[i] = 0xeeeeeeee;
    exc_return_test(out);
    p("ldmia sp!, {r1,pc}^ (SVC, spsr=500001d3): cpsr="); ph(out[0]);
    p(" r1="); ph(out[1]); nl();
    p("ldmia r2, {pc}^ (UND, spsr=900001d3): cpsr="); ph(out[2]); nl();
    p("movs pc, lr (ABT, spsr=300001d3): cpsr="); ph(out[3]); nl();
    p("subs pc, lr, #4 (IRQ, spsr=600501d3): cpsr="); ph(out[4]); nl();
    p("movs pc, lr (SVC->USR, spsr=800001d0) then svc: cpsr="); ph(out[5]);
    p(" r5="); ph(out[6]); nl();
}

/* ---------------------------------------------------------------------- */
/* Branches                                                               */

extern void branch_tests(u32 *out);

static void test_branch(void)
{
    static const char *const names[] = {
        "bl: lr - return label", "b forward: skipped orrs",
        "subs/bne loop sum", "blne not taken: lr", "blx reg: lr - return label",
        "bx reg", "mov pc, reg", "ldr pc, =label", "push {lr}/pop {pc}: lr - ret",
        "mov r1, pc: pc - label", "bleq taken: lr - ret",
        "add pc, pc, r1, lsl #2 jump table",
    };
    u32 out[16];
    hdr("branch");
    for (unsigned i = 0; i < 16; i++)
        out[i] = 0xeeeeeeee;
    branch_tests(out);
    for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
        pad_to(names[i], 36);
        p(" = ");
        ph(out[i]);
        nl();
    }
}

/* ---------------------------------------------------------------------- */
/* Condition codes                                                        */

static void test_cond(void)
{
    static const char *const cn[15] = { "eq", "ne", "cs", "cc", "mi", "pl",
                                        "vs", "vc", "hi", "ls", "ge", "lt",
                                        "gt", "le", "al" };
    hdr("condition codes");
    for (u32 nzcv = 0; nzcv < 16; nzcv++) {
        u32 r;
        asm volatile("mov %0, #0\n\t"
                     "msr APSR_nzcvq, %1\n\t"
                     "orreq %0, %0, #0x1\n\t"
                     "orrne %0, %0, #0x2\n\t"
                     "orrcs %0, %0, #0x4\n\t"
                     "orrcc %0, %0, #0x8\n\t"
                     "orrmi %0, %0, #0x10\n\t"
                     "orrpl %0, %0, #0x20\n\t"
                     "orrvs %0, %0, #0x40\n\t"
                     "orrvc %0, %0, #0x80\n\t"
                     "orrhi %0, %0, #0x100\n\t"
                     "orrls %0, %0, #0x200\n\t"
                     "orrge %0, %0, #0x400\n\t"
                     "orrlt %0, %0, #0x800\n\t"
                     "orrgt %0, %0, #0x1000\n\t"
                     "orrle %0, %0, #0x2000\n\t"
                     "orral %0, %0, #0x4000\n\t"
                     : "=&r"(r) : "r"(nzcv << 28) : "cc");
        p("nzcv=");
        uart_hexn(nzcv, 1);
        p(" executed:");
        for (int c = 0; c < 15; c++)
            if (r & (1u << c)) {
                pc_(' ');
                p(cn[c]);
            }
        nl();
    }
    /* conditional store / load not executed: no memory change, no fault */
    ls_reset();
    {
        u32 v = 0x12345678, ld = 0x11111111;
        asm volatile("msr APSR_nzcvq, %3\n\t"
                     "strne %1, [%2]\n\t"
                     "ldrne %0, [%4]\n\t"
                     : "+r"(ld) : "r"(v), "r"(lsbuf), "r"(0x40000000u),
                       "r"(0xfffffff0u)
                     : "cc", "memory");
        p("strne/ldrne with Z=1: ld=");
        ph(ld);
        ls_mem_diff();
        nl();
    }
    /* flag-setting sequence driving a conditional chain */
    {
        u32 r;
        asm volatile("mov %0, #0\n\t"
                     "cmp %1, #5\n\t"
                     "addgt %0, %0, #1\n\t"
                     "cmpgt %1, #10\n\t"
                     "addlt %0, %0, #0x10\n\t"
                     "teq %1, #7\n\t"
                     "addeq %0, %0, #0x100\n\t"
                     : "=&r"(r) : "r"(7) : "cc");
        p("cmp/addgt/cmpgt/addlt/teq/addeq chain with 7: ");
        ph(r);
        nl();
    }
}

/* ---------------------------------------------------------------------- */
/* MRS / MSR                                                              */

static void test_mrs_msr(void)
{
    static const u32 fv[] = { 0x80000000, 0x40000000, 0x20000000, 0x10000000,
                              0x08000000, 0xf8000000, 0x00000000 };
    hdr("mrs/msr");
    for (unsigned i = 0; i < ARRAY_SIZE(fv); i++) {
        u32 r;
        asm volatile("msr APSR_nzcvq, %1\n\tmrs %0, APSR" : "=r"(r) : "r"(fv[i]) : "cc");
        p("msr APSR_nzcvq, ");
        ph(fv[i]);
        p(" -> flags=");
        ph(r & 0xf8000000);
        nl();
    }
    for (u32 g = 0; g < 16; g += 5) {
        u32 r;
        asm volatile("msr APSR_nzcvqg, %1\n\tmsr APSR_g, %2\n\tmrs %0, APSR"
                     : "=r"(r) : "r"(0u), "r"(g << 16) : "cc");
        p("msr APSR_g, ");
        ph(g << 16);
        p(" -> ge=");
        uart_hexn((r >> 16) & 0xf, 1);
        p(" flags=");
        ph(r & 0xf8000000);
        nl();
    }
    {
        u32 r;
        asm volatile("msr APSR_nzcvqg, %1\n\tmsr cpsr_f, #0xa0000000\n\tmrs %0, cpsr"
                     : "=r"(r) : "r"(0u) : "cc");
        p("msr cpsr_f, #0xa0000000 -> cpsr="); ph(r); nl();
        asm volatile("msr APSR_nzcvqg, %1\n\tmrs %0, cpsr" : "=r"(r) : "r"(0x58030000u) : "cc");
        p("msr APSR_nzcvqg, 58030000 -> cpsr="); ph(r); nl();
    }
    /* SPSR_svc: full and per-field writes */
    {
        u32 r1, r2, r3, r4, r5;
        asm volatile("msr spsr_fsxc, %5\n\tmrs %0, spsr\n\t"
                     "msr spsr_c, %6\n\tmrs %1, spsr\n\t"
                     "msr spsr_s, %7\n\tmrs %2, spsr\n\t"
                     "msr spsr_x, %8\n\tmrs %3, spsr\n\t"
                     "msr spsr_f, %9\n\tmrs %4, spsr\n\t"
                     : "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4), "=&r"(r5)
                     : "r"(0xf80f01d3u), "r"(0x00000012u), "r"(0x000a0000u),
                       "r"(0x00000000u), "r"(0x50000000u));
        p("msr spsr_fsxc, f80f01d3 -> spsr="); ph(r1); nl();
        p("msr spsr_c, 00000012    -> spsr="); ph(r2); nl();
        p("msr spsr_s, 000a0000    -> spsr="); ph(r3); nl();
        p("msr spsr_x, 00000000    -> spsr="); ph(r4); nl();
        p("msr spsr_f, 50000000    -> spsr="); ph(r5); nl();
        asm volatile("msr spsr_fsxc, %1\n\tmrs %0, spsr" : "=r"(r1) : "r"(0x00000010u));
        p("msr spsr_fsxc, 00000010 -> spsr="); ph(r1); nl();
        asm volatile("msr spsr_fsxc, #0x1f\n\tmrs %0, spsr" : "=r"(r1));
        p("msr spsr_fsxc, #0x1f    -> spsr="); ph(r1); nl();
    }
    /* mode change with MSR cpsr_c and back; SVC-mode CPSR readback */
    {
        u32 r1, r2;
        asm volatile("msr APSR_nzcvqg, %2\n\t"
                     "msr cpsr_c, #0xd7\n\tmrs %0, cpsr\n\t"
                     "msr cpsr_c, #0xd3\n\tmrs %1, cpsr"
                     : "=&r"(r1), "=&r"(r2) : "r"(0x30000000u) : "cc");
        p("msr cpsr_c, #0xd7 -> cpsr="); ph(r1);
        p(" ; msr cpsr_c, #0xd3 -> cpsr="); ph(r2); nl();
    }
}

/* ---------------------------------------------------------------------- */
/* Modes and banked registers                                             */

extern void mode_banks(u32 *out);

static void test_modes(void)
{
    static const char *const mn[6] = { "FIQ", "UND", "ABT", "IRQ", "SVC", "SYS" };
    u32 out[64];
    hdr("modes/banked registers");
    mode_banks(out);
    for (unsigned m = 0; m < 6; m++) {
        const u32 *o = &out[m * 9];
        p(mn[m]);
        pkv(" cpsr", o[0]);
        if (m != 5)
            pkv(" spsr", o[1]);
        pkv(" sp", o[7]);
        pkv(" lr", o[8]);
        p(" r8-r12");
        for (unsigned i = 2; i < 7; i++) {
            pc_(' ');
            uart_hexn(o[i], 2);
        }
        nl();
    }
}

/* ---------------------------------------------------------------------- */
/* Exceptions                                                             */

extern u32 svc_trigger(u32 flags);
extern u32 svc_trigger2(u32 flags);
extern u32 svc_cond_trigger(u32 flags);
extern u32 udf_trigger(u32 flags);
extern u32 udf_trigger2(u32 flags);
extern u32 vfp_trigger(u32 flags);
extern u32 bkpt_trigger(u32 flags);
extern char svc_site[], svc_site2[], svc_site3[], udf_site[], udf_site2[];
extern char vfp_site[], bkpt_site[];

static u32 cur_site;
static unsigned svc_count, undef_count, pabt_count, dabt_count;
static u32 last_fsr, last_far;

static void svc_hook(struct exc_frame *f, int type)
{
    (void)type;
    u32 insn = *(volatile u32 *)(f->pc - 4);
    svc_count++;
    p("  svc handler: imm=");
    uart_hexn(insn & 0xffffff, 6);
    p(" spsr=");
    ph(f->spsr);
    if (cur_site) {
        p(" at site+");
        uart_hexn(f->pc - 4 - cur_site, 2);
    }
    nl();
    if ((insn & 0xffffff) == 0x42) /* return to SVC mode (from USR) */
        f->spsr = (f->spsr & ~0x1fu) | 0x13;
}

static void undef_hook(struct exc_frame *f, int type)
{
    (void)type;
    undef_count++;
    p("  undef handler: at site+");
    uart_hexn(f->pc - cur_site, 2);
    p(" insn=");
    ph(*(volatile u32 *)f->pc);
    p(" spsr=");
    ph(f->spsr);
    nl();
    f->pc += 4;
}

/* Masks: DFSR keeps CM, ExT, WnR, FS[4], LPAE, FS[3:0]; the Domain field
 * is printed separately (only for domain/permission faults).  IFSR keeps
 * ExT, FS[4], LPAE, FS[3:0]. */
#define DFSR_MASK 0x3e0fu
#define IFSR_MASK 0x160fu

static int pabt_skip;

static void pabt_hook(struct exc_frame *f, int type)
{
    (void)type;
    pabt_count++;
    last_fsr = MRC(0, c5, c0, 1);
    last_far = MRC(0, c6, c0, 2);
    if (pabt_skip) {
        p("  pabt handler: at site+");
        uart_hexn(f->pc - cur_site, 2);
        p(" ifsr=");
        ph(last_fsr & IFSR_MASK);
        p(" spsr=");
        ph(f->spsr);
        nl();
        f->pc += 4;
        return;
    }
    if (!exc_recover_pc) {
        p("  unexpected prefetch abort\n");
        psci_system_off();
    }
    f->pc = exc_recover_pc;
    exc_recover_pc = 0;
}

static void dabt_hook(struct exc_frame *f, int type)
{
    (void)type;
    dabt_count++;
    last_fsr = MRC(0, c5, c0, 0);
    last_far = MRC(0, c6, c0, 0);
    if (!exc_recover_pc) {
        p("  unexpected data abort pc=");
        ph(f->pc);
        nl();
        psci_system_off();
    }
    f->pc = exc_recover_pc;
    exc_recover_pc = 0;
}

extern int probe_read(u32 addr, u32 *val);
extern int probe_write(u32 addr, u32 val);
extern int probe_ldrt(u32 addr, u32 *val);
extern int probe_strt(u32 addr, u32 val);
extern u32 probe_exec(u32 addr);
extern char ret42[];

static void print_dfault(void)
{
    u32 fs = (last_fsr & 0xf) | ((last_fsr >> 6) & 0x10);
    p(" dfsr=");
    ph(last_fsr & DFSR_MASK);
    /* domain valid for domain (01x01/01x11 -> 0x9/0xb) and permission
     * (0xd/0xf) faults */
    if (fs == 0x9 || fs == 0xb || fs == 0xd || fs == 0xf) {
        p(" dom=");
        uart_hexn((last_fsr >> 4) & 0xf, 1);
    }
    p(" dfar=");
    ph(last_far);
}

static void test_exceptions(void)
{
    u32 r;
    hdr("exceptions");
    exc_hooks[EXC_SVC] = svc_hook;
    exc_hooks[EXC_UNDEF] = undef_hook;
    exc_hooks[EXC_PABT] = pabt_hook;
    exc_hooks[EXC_DABT] = dabt_hook;

    p("svc #0x123456 with flags 9, ge=5\n");
    cur_site = (u32)svc_site;
    r = svc_trigger(0x90050000);
    p("  after return cpsr=");
    ph(r);
    nl();
    p("svc #0 with flags 6, q=1\n");
    cur_site = (u32)svc_site2;
    r = svc_trigger2(0x68000000);
    p("  after return cpsr=");
    ph(r);
    nl();
    p("svcne #0x77 / svceq #0x78 with Z=1\n");
    cur_site = (u32)svc_site3;
    r = svc_cond_trigger(0x40000000);
    p("  after return cpsr=");
    ph(r);
    nl();

    p("udf #0xabcd with flags a\n");
    cur_site = (u32)udf_site;
    r = udf_trigger(0xa0000000);
    p("  after return cpsr=");
    ph(r);
    nl();
    p("udf #0 ; udf #0xffff with flags 5, ge=f\n");
    cur_site = (u32)udf_site2;
    r = udf_trigger2(0x500f0000);
    p("  after return cpsr=");
    ph(r);
    nl();
    p("vmrs r0, fpscr with CPACR=0 (cp10/cp11 access denied)\n");
    MCR(0, c1, c0, 2, 0u);
    isb();
    cur_site = (u32)vfp_site;
    r = vfp_trigger(0x00000000);
    p("  after return cpsr=");
    ph(r);
    nl();
    p("bkpt #0x12 (prefetch abort, debug event)\n");
    cur_site = (u32)bkpt_site;
    pabt_skip = 1;
    r = bkpt_trigger(0x30000000);
    pabt_skip = 0;
    p("  after return cpsr=");
    ph(r);
    nl();

    /* alignment fault with SCTLR.A=1 */
    p("alignment faults with SCTLR.A=1\n");
    u32 sctlr = MRC(0, c1, c0, 0);
    MCR(0, c1, c0, 0, sctlr | 2u);
    isb();
    ls_reset();
    {
        static const u32 offs[] = { 1, 2, 3, 4 };
        for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
            u32 v = 0xdeadbeef;
            u32 addr = (u32)lsbuf + offs[i];
            int f = (i == 1) ? probe_write(addr, 0) : probe_read(addr, &v);
            p(i == 1 ? "  str [buf+" : "  ldr [buf+");
            uart_hexn(offs[i], 2);
            p("]: ");
            if (f) {
                p("abort dfsr=");
                ph(last_fsr & DFSR_MASK);
                p(" dfar=buf+");
                uart_hexn(last_far - (u32)lsbuf, 2);
            } else {
                p("ok ");
                if (i != 1)
                    ph(v);
            }
            nl();
        }
    }
    MCR(0, c1, c0, 0, sctlr);
    isb();
    p("counts: svc="); uart_dec(svc_count);
    p(" undef="); uart_dec(undef_count);
    p(" pabt="); uart_dec(pabt_count);
    p(" dabt="); uart_dec(dabt_count);
    nl();
}

/* ---------------------------------------------------------------------- */
/* VBAR                                                                   */

extern char vectors[], vectors_end[], vector_literals[];
extern void vbar_svc_entry(void);
extern volatile u32 vbar_svc_count;

#define VBAR_RAM 0x40208000u

static void test_vbar(void)
{
    hdr("vbar");
    volatile u32 *dst = (volatile u32 *)VBAR_RAM;
    const u32 *src = (const u32 *)vectors;
    unsigned n = (u32)(vectors_end - vectors) / 4;
    for (unsigned i = 0; i < n; i++)
        dst[i] = src[i];
    /* patch the SVC literal (slot 2 of the literal table) */
    dst[(vector_literals - vectors) / 4 + 2] = (u32)vbar_svc_entry;
    dsb();
    MCR(0, c7, c5, 0, 0u); /* ICIALLU */
    dsb();
    isb();
    MCR(0, c12, c0, 0, VBAR_RAM);
    isb();
    p("VBAR now="); ph(MRC(0, c12, c0, 0)); nl();
    vbar_svc_count = 0;
    cur_site = (u32)svc_site;
    u32 r = svc_trigger(0x20000000);
    p("  after return cpsr="); ph(r);
    p(" ram-vector svc entries="); uart_dec(vbar_svc_count); nl();
    MCR(0, c12, c0, 0, 0u);
    isb();
    p("VBAR restored="); ph(MRC(0, c12, c0, 0)); nl();
    cur_site = (u32)svc_site2;
    r = svc_trigger2(0x00000000);
    p("  after return cpsr="); ph(r);
    p(" ram-vector svc entries="); uart_dec(vbar_svc_count); nl();
}

/* ---------------------------------------------------------------------- */
/* Short-descriptor MMU                                                   */

#define L1_BASE 0x40200000u
#define L2_BASE 0x40204000u
#define DATA_PA 0x40300000u

/* AP is the 3-bit AP[2:0] value */
static u32 sect(u32 pa, u32 ap, u32 dom, u32 tex, u32 c, u32 b, u32 xn)
{
    return (pa & 0xfff00000u) | ((ap & 4) << 13) | (tex << 12) | ((ap & 3) << 10) |
           (dom << 5) | (xn << 4) | (c << 3) | (b << 2) | 2;
}
static u32 supersect(u32 pa, u32 ap, u32 tex, u32 c, u32 b, u32 xn)
{
    return (pa & 0xff000000u) | (1u << 18) | ((ap & 4) << 13) | (tex << 12) |
           ((ap & 3) << 10) | (xn << 4) | (c << 3) | (b << 2) | 2;
}
static u32 coarse(u32 l2pa, u32 dom) { return (l2pa & 0xfffffc00u) | (dom << 5) | 1; }
static u32 small(u32 pa, u32 ap, u32 tex, u32 c, u32 b, u32 xn)
{
    return (pa & 0xfffff000u) | ((ap & 4) << 7) | (tex << 6) | ((ap & 3) << 4) |
           (c << 3) | (b << 2) | 2 | xn;
}
static u32 large(u32 pa, u32 ap, u32 tex, u32 c, u32 b, u32 xn)
{
    return (pa & 0xffff0000u) | (xn << 15) | (tex << 12) | ((ap & 4) << 7) |
           ((ap & 3) << 4) | (c << 3) | (b << 2) | 1;
}

static void tlbiall(void)
{
    dsb();
    MCR(0, c8, c7, 0, 0u);
    dsb();
    isb();
}

static void set_dacr(u32 v)
{
    MCR(0, c3, c0, 0, v);
    isb();
}

static void mmu_read(const char *what, u32 va)
{
    u32 v = 0;
    unsigned before = dabt_count;
    int f = probe_read(va, &v);
    p("  ");
    pad_to(what, 34);
    p(" ldr ");
    ph(va);
    p(": ");
    if (f) {
        p("abort");
        print_dfault();
    } else {
        p("ok ");
        ph(v);
    }
    if ((dabt_count != before) != (f != 0))
        p(" (!)");
    nl();
}

static void mmu_write(const char *what, u32 va, u32 val)
{
    int f = probe_write(va, val);
    p("  ");
    pad_to(what, 34);
    p(" str ");
    ph(va);
    p(": ");
    if (f) {
        p("abort");
        print_dfault();
    } else {
        p("ok");
    }
    nl();
}

static void mmu_ldrt(const char *what, u32 va)
{
    u32 v = 0;
    int f = probe_ldrt(va, &v);
    p("  ");
    pad_to(what, 34);
    p(" ldrt ");
    ph(va);
    p(": ");
    if (f) {
        p("abort");
        print_dfault();
    } else {
        p("ok ");
        ph(v);
    }
    nl();
}

static void mmu_strt(const char *what, u32 va, u32 val)
{
    int f = probe_strt(va, val);
    p("  ");
    pad_to(what, 34);
    p(" strt ");
    ph(va);
    p(": ");
    if (f) {
        p("abort");
        print_dfault();
    } else {
        p("ok");
    }
    nl();
}

static void mmu_exec(const char *what, u32 va)
{
    u32 r = probe_exec(va);
    p("  ");
    pad_to(what, 34);
    p(" blx ");
    ph(va);
    p(": ");
    if (r == 0xffffffffu) {
        p("prefetch abort ifsr=");
        ph(last_fsr & IFSR_MASK);
        p(" ifar=");
        ph(last_far);
    } else {
        p("returned ");
        uart_dec(r);
    }
    nl();
}

static void test_mmu(void)
{
    volatile u32 *l1 = (volatile u32 *)L1_BASE;
    volatile u32 *l2 = (volatile u32 *)L2_BASE;
    u32 code = (u32)ret42;

    hdr("mmu short-descriptor");
    /* test data: every word holds its own physical address */
    for (u32 a = DATA_PA; a < DATA_PA + 0x20000; a += 4)
        *(volatile u32 *)a = a;

    for (unsigned i = 0; i < 4096; i++)
        l1[i] = 0; /* translation fault */
    for (unsigned i = 0; i < 256; i++)
        l2[i] = 0;

    /* identity: flash (64 MiB), UART (device, XN), RAM (256 MiB) */
    for (u32 mb = 0x000; mb < 0x040; mb++)
        l1[mb] = sect(mb << 20, 3, 0, 0, 1, 1, 0);
    l1[0x090] = sect(0x09000000, 3, 0, 0, 0, 1, 1);
    for (u32 mb = 0x400; mb < 0x500; mb++)
        l1[mb] = sect(mb << 20, 3, 0, 0, 1, 1, 0);

    /* 0x80000000: section -> DATA_PA */
    l1[0x800] = sect(DATA_PA, 3, 0, 1, 1, 1, 1);
    /* 0x80100000: coarse table */
    l1[0x801] = coarse(L2_BASE, 3);
    l2[0x00] = small(DATA_PA + 0x5000, 3, 0, 1, 1, 1);  /* full access */
    l2[0x01] = small(DATA_PA + 0x0000, 5, 0, 1, 1, 1);  /* PL1 RO */
    l2[0x02] = small(DATA_PA + 0x2000, 1, 0, 1, 1, 1);  /* PL1 RW, PL0 none */
    /* l2[3] left invalid: page translation fault */
    l2[0x04] = small(DATA_PA + 0x4000, 3, 0, 1, 1, 1);  /* XN */
    l2[0x05] = small(DATA_PA + 0x6000, 2, 0, 1, 1, 1);  /* PL1 RW, PL0 RO */
    l2[0x06] = small(code & ~0xfffu, 3, 0, 1, 1, 0);    /* exec alias */
    for (unsigned i = 0x10; i < 0x20; i++)              /* 64 KiB large page */
        l2[i] = large(DATA_PA + 0x10000, 3, 0, 1, 1, 1);
    /* 0x80200000: domain 1; 0x80300000: domain 2, AP=000 */
    l1[0x802] = sect(DATA_PA, 3, 1, 1, 1, 1, 1);
    l1[0x803] = sect(DATA_PA, 0, 2, 1, 1, 1, 1);
    /* 0x80400000: code alias XN; 0x80500000: code alias executable */
    l1[0x804] = sect(0x00000000, 3, 0, 0, 1, 1, 1);
    l1[0x805] = sect(0x00000000, 3, 0, 0, 1, 1, 0);
    /* 0x81000000: supersection -> 0x40000000 (16 entries) */
    for (unsigned i = 0x810; i < 0x820; i++)
        l1[i] = supersect(0x40000000, 3, 1, 1, 1, 1);
    dsb();

    /* DACR: d0 client, d1 no access, d2 client, d3 client (coarse table) */
    set_dacr(0x00000051);
    MCR(0, c2, c0, 2, 0u);          /* TTBCR: N=0, short descriptors */
    MCR(0, c2, c0, 0, L1_BASE);     /* TTBR0 */
    isb();
    tlbiall();
    u32 sctlr = MRC(0, c1, c0, 0);
    MCR(0, c1, c0, 0, sctlr | 1u);
    isb();
    p("MMU enabled: SCTLR.M="); uart_dec(MRC(0, c1, c0, 0) & 1);
    p(" TTBR0="); ph(MRC(0, c2, c0, 0));
    p(" DACR="); ph(MRC(0, c3, c0, 0));
    nl();

    p("reads through mappings (each word holds its PA)\n");
    mmu_read("identity RAM", DATA_PA + 0x1234);
    mmu_read("section 0x800", 0x80000000);
    mmu_read("section 0x800 +0x1ff0c", 0x8001ff0c);
    mmu_read("small page 0 -> +0x5000", 0x80100010);
    mmu_read("small page 1 -> +0x0000 (RO)", 0x80101ffc);
    mmu_read("small page 2 -> +0x2000 (PL1)", 0x80102008);
    mmu_read("large page -> +0x10000", 0x80110000);
    mmu_read("large page -> +0x10000 (+0xa004)", 0x8011a004);
    mmu_read("large page -> +0x10000 (+0xfffc)", 0x8011fffc);
    mmu_read("supersection -> 0x40000000", 0x81300000);
    mmu_read("supersection +0x31abc0", 0x8131abc0);
    {
        u32 v = 0;
        probe_read(0x80000001, &v);
        p("  unaligned ldr 0x80000001 (SCTLR.A=0): ");
        ph(v);
        nl();
    }

    p("writes\n");
    mmu_write("section 0x800", 0x80000010, 0xc0ffee00);
    mmu_read("  read back via identity", DATA_PA + 0x10);
    mmu_write("small page 0", 0x80100020, 0xc0ffee01);
    mmu_read("  read back via identity", DATA_PA + 0x5020);
    mmu_write("small page 1 (PL1 RO)", 0x80101000, 0xbad);
    mmu_write("supersection", 0x81300040, 0xc0ffee02);
    mmu_read("  read back via section 0x800", 0x80000040);

    p("faults\n");
    mmu_read("unmapped (L1 fault)", 0x90000000);
    mmu_write("unmapped (L1 fault)", 0x90000ffc, 1);
    mmu_read("small page 3 (L2 fault)", 0x80103000);
    mmu_write("small page 3 (L2 fault)", 0x80103004, 1);
    mmu_read("domain 1 no access", 0x80200000);
    mmu_write("domain 1 no access", 0x80200100, 1);
    mmu_read("domain 2 client AP=000", 0x80300000);

    p("unprivileged access (LDRT/STRT)\n");
    mmu_ldrt("small page 0 (full access)", 0x80100000);
    mmu_ldrt("small page 2 (PL1 only)", 0x80102000);
    mmu_ldrt("small page 5 (PL0 RO)", 0x80105000);
    mmu_strt("small page 5 (PL0 RO)", 0x80105000, 1);
    mmu_strt("small page 0 (full access)", 0x80100030, 0xc0ffee03);
    mmu_read("  read back", 0x80100030);

    p("DACR changes\n");
    set_dacr(0x00000055); /* d1 client */
    mmu_read("domain 1 client", 0x80200000);
    set_dacr(0x00000071); /* d2 manager, d1 no access */
    mmu_read("domain 2 manager AP=000", 0x80300004);
    mmu_write("domain 2 manager AP=000", 0x80300008, 0xc0ffee04);
    mmu_read("  read back via identity", DATA_PA + 0x8);
    mmu_read("domain 1 no access again", 0x80200000);
    set_dacr(0x000000d1); /* d3 manager: RO page becomes writable */
    mmu_write("small page 1 RO, domain 3 manager", 0x80101004, 0xc0ffee05);
    mmu_read("  read back via identity", DATA_PA + 0x4);
    set_dacr(0x00000011); /* d3 no access */
    mmu_read("domain 3 no access (small page)", 0x80100000);
    mmu_write("domain 3 no access (large page)", 0x80110000, 1);
    mmu_exec("domain 3 no access (exec alias)", 0x80106000 + (code & 0xfff));
    set_dacr(0x00000051);

    p("instruction fetch\n");
    mmu_exec("identity ret42", code);
    mmu_exec("section alias ret42", 0x80500000 + code);
    mmu_exec("small page alias ret42", 0x80106000 + (code & 0xfff));
    mmu_exec("XN section alias", 0x80400000 + code);
    mmu_exec("XN small page", 0x80104000);
    mmu_exec("unmapped (L1 fault)", 0x90000000);
    mmu_exec("small page 3 (L2 fault)", 0x80103000);
    mmu_exec("domain 1 no access", 0x80200000);

    p("remap + TLB maintenance\n");
    l2[0x00] = small(DATA_PA + 0x7000, 3, 0, 1, 1, 1);
    dsb();
    MCR(0, c8, c7, 1, 0x80100000u); /* TLBIMVA */
    dsb();
    isb();
    mmu_read("small page 0 -> +0x7000 (TLBIMVA)", 0x80100010);
    l1[0x800] = 0;
    tlbiall();
    mmu_read("section 0x800 removed (TLBIALL)", 0x80000000);
    *(volatile u32 *)(DATA_PA + 0x100ff0) = DATA_PA + 0x100ff0;
    l1[0x800] = sect(DATA_PA + 0x100000, 3, 0, 1, 1, 1, 1);
    tlbiall();
    mmu_read("section 0x800 -> +0x100000", 0x80000ff0);

    MCR(0, c1, c0, 0, sctlr);
    isb();
    tlbiall();
    p("MMU disabled: SCTLR.M="); uart_dec(MRC(0, c1, c0, 0) & 1); nl();
    mmu_read("flat RAM after disable", DATA_PA + 0x10);
    p("counts: pabt="); uart_dec(pabt_count);
    p(" dabt="); uart_dec(dabt_count); nl();
}

/* ---------------------------------------------------------------------- */

int main(void)
{
    uart_crlf = 0; /* a32test output uses bare LF */
    exc_hooks[EXC_SVC] = svc_hook;
    exc_hooks[EXC_UNDEF] = undef_hook;
    exc_hooks[EXC_PABT] = pabt_hook;
    exc_hooks[EXC_DABT] = dabt_hook;
    p("A32TEST START\n");
    test_cp15_id();
    test_dp();
    test_dp_imm();
    test_shifter();
    test_dp_shifted();
    test_mul();
    test_div();
    test_misc();
    test_saturate();
    test_parallel();
    test_ldst();
    test_ldm();
    test_branch();
    test_cond();
    test_mrs_msr();
    test_modes();
    test_exceptions();
    test_vbar();
    test_mmu();
    p("A32TEST DONE\n");
    psci_system_off();
}
