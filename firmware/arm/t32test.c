/*
 * t32test.bin: ARMv7-A Thumb / Thumb-2 (T32) instruction test for tsemu.
 * Built with -mthumb; start.S (A32) enters main through the linker's BLX.
 * Prints one line per case like a32test (f=NZCV, q=Q, ge=GE); the expected
 * output (t32test.expected) was produced with qemu-system-arm -cpu cortex-a15.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

static void p(const char *s) { uart_puts(s); }
static void ph(u32 v) { uart_hex32(v); }
static void pc_(char c) { uart_putc(c); }
static void nl(void) { uart_putc('\n'); }
static void hdr(const char *s) { p("== "); p(s); p(" ==\n"); }
static void pkv(const char *k, u32 v) { p(k); pc_('='); ph(v); }
static void pf(u32 cpsr) { p(" f="); uart_hexn(cpsr >> 28, 1); }

static void ptmpl(const char *t, int width)
{
    int n = 0;
    while (*t) {
        if (t[0] == '%' && t[1] == '[') {
            t += 2;
            while (*t && *t != ']') { pc_(*t++); n++; }
            if (*t) t++;
        } else if (*t == '\n') {
            p("; "); n += 2; t++;
            if (*t == '\t') t++;
        } else { pc_(*t++); n++; }
    }
    while (n++ < width) pc_(' ');
}

typedef void (*tfn)(const u32 *in, u32 *out);

/* Low registers for a, b, c, d so the 16-bit encodings are usable. */
#define T(fn, ins)                                                           \
    static void fn(const u32 *in, u32 *out)                                  \
    {                                                                        \
        u32 a = in[0], b = in[1], c = in[2], d = in[3], f;                   \
        asm volatile("msr APSR_nzcvqg, %[fi]\n\t" ins "\n\tmrs %[f], APSR"   \
                     : [c] "+&l"(c), [d] "+&l"(d), [f] "=&r"(f)              \
                     : [a] "l"(a), [b] "l"(b), [fi] "r"(in[4])               \
                     : "cc");                                                \
        out[0] = c; out[1] = d; out[2] = f;                                  \
    }

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
#define M_L2 (IA | IB | OC | OD)
#define M_L4 (IA | IB | IC | ID | OC | OD)
#define M_C1 (IA)
#define M_C2 (IA | IB)
#define M_W (OC)
#define M_RC (IA | IC | OC)
#define M_BC (IB | IC | OC)

struct tdesc { const char *tmpl; tfn fn; u32 mode; };
#define X_DEF(fn, s, m) T(fn, s)
#define X_ENT(fn, s, m) { s, fn, m },

static void run1(const struct tdesc *t, u32 a, u32 b, u32 c, u32 d, u32 fin)
{
    u32 in[5] = { a, b, c, d, fin }, out[3];
    t->fn(in, out);
    ptmpl(t->tmpl, 34);
    if (t->mode & IA) pkv(" a", a);
    if (t->mode & IB) pkv(" b", b);
    if (t->mode & IC) pkv(" c", c);
    if (t->mode & ID) pkv(" d", d);
    pf(fin);
    if (t->mode & SQ) { p(" q="); uart_hexn((fin >> 27) & 1, 1); }
    if (t->mode & SG) { p(" ge="); uart_hexn((fin >> 16) & 0xf, 1); }
    p(" ->");
    if (t->mode & OC) pkv(" c", out[0]);
    if (t->mode & OD) pkv(" d", out[1]);
    pf(out[2]);
    if (t->mode & SQ) { p(" q="); uart_hexn((out[2] >> 27) & 1, 1); }
    if (t->mode & SG) { p(" ge="); uart_hexn((out[2] >> 16) & 0xf, 1); }
    nl();
}

#define FL(nzcv) ((u32)(nzcv) << 28)
#define GE(g) ((u32)(g) << 16)

static const u32 V6[] = { 0x00000000, 0x00000001, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678 };
static const u32 V4[] = { 0x00000001, 0x7fffffff, 0x80000000, 0xffffffff };
static const u32 VSH[] = { 0x80000001, 0x7ffffffe, 0x9abcdef0, 0x12345679 };
static const u32 VAMT[] = { 0, 1, 31, 32, 33, 255, 256, 0x80000001 };

static void run_tab(const char *name, const struct tdesc *tab, unsigned n, const u32 *va, unsigned na,
                    const u32 *vb, unsigned nb, u32 c, u32 d, u32 f1, u32 f2)
{
    hdr(name);
    for (unsigned t = 0; t < n; t++)
        for (unsigned i = 0; i < na; i++)
            for (unsigned j = 0; j < nb; j++) {
                if (!(tab[t].mode & IA) && i) continue;
                if (!(tab[t].mode & IB) && j) continue;
                run1(&tab[t], va[i], vb[j], c, d, f1);
                if (f2 != f1) run1(&tab[t], va[i], vb[j], c, d, f2);
            }
}

/* ---- 16-bit data processing (c is Rdn where the encoding is 2-operand) */
#define DP16_LIST(X)                                                         \
    X(t16_adds3, "adds %[c], %[a], %[b]", M_R2)                              \
    X(t16_subs3, "subs %[c], %[a], %[b]", M_R2)                              \
    X(t16_addsi, "adds %[c], %[a], #7", M_R1)                                \
    X(t16_subsi, "subs %[c], %[a], #1", M_R1)                                \
    X(t16_lsls, "lsls %[c], %[a], #1", M_R1)                                 \
    X(t16_lsrs, "lsrs %[c], %[a], #32", M_R1)                                \
    X(t16_asrs, "asrs %[c], %[a], #31", M_R1)                                \
    X(t16_movs, "movs %[c], %[a]", M_R1)                                     \
    X(t16_ands, "ands %[c], %[b]", M_BC)                                     \
    X(t16_eors, "eors %[c], %[b]", M_BC)                                     \
    X(t16_adcs, "adcs %[c], %[b]", M_BC)                                     \
    X(t16_sbcs, "sbcs %[c], %[b]", M_BC)                                     \
    X(t16_tst, "tst %[a], %[b]", M_C2)                                       \
    X(t16_negs, "rsbs %[c], %[a], #0", M_R1)                                 \
    X(t16_cmp, "cmp %[a], %[b]", M_C2)                                       \
    X(t16_cmn, "cmn %[a], %[b]", M_C2)                                       \
    X(t16_orrs, "orrs %[c], %[b]", M_BC)                                     \
    X(t16_muls, "muls %[c], %[b], %[c]", M_BC)                               \
    X(t16_bics, "bics %[c], %[b]", M_BC)                                     \
    X(t16_mvns, "mvns %[c], %[b]", IB | OC)                                  \
    X(t16_cmpi, "cmp %[a], #0x80", M_C1)                                     \
    X(t16_addi8, "adds %[c], #0xff", IC | OC)                                \
    X(t16_subi8, "subs %[c], #0x80", IC | OC)                                \
    X(t16_movi, "movs %[c], #0", M_W)                                        \
    X(t16_addhi, "mov r8, %[a]\n\tadd r8, %[b]\n\tmov %[c], r8", M_R2)       \
    X(t16_cmphi, "mov r8, %[a]\n\tcmp r8, %[b]", M_C2)
DP16_LIST(X_DEF)
static const struct tdesc dp16_tab[] = { DP16_LIST(X_ENT) };

#define SH16_LIST(X)                                                         \
    X(t16_lslr, "lsls %[c], %[b]", M_BC)                                     \
    X(t16_lsrr, "lsrs %[c], %[b]", M_BC)                                     \
    X(t16_asrr, "asrs %[c], %[b]", M_BC)                                     \
    X(t16_rorr, "rors %[c], %[b]", M_BC)                                     \
    X(t32_lslr, "lsl.w %[c], %[a], %[b]", M_R2)                              \
    X(t32_lsrsr, "lsrs.w %[c], %[a], %[b]", M_R2)                            \
    X(t32_asrsr, "asrs.w %[c], %[a], %[b]", M_R2)                            \
    X(t32_rorsr, "rors.w %[c], %[a], %[b]", M_R2)
SH16_LIST(X_DEF)
static const struct tdesc sh16_tab[] = { SH16_LIST(X_ENT) };

/* ---- 32-bit shifted register */
#define DPW_LIST(X)                                                          \
    X(w_ands, "ands.w %[c], %[a], %[b], lsl #1", M_R2)                       \
    X(w_bics, "bics.w %[c], %[a], %[b], lsr #32", M_R2)                      \
    X(w_orrs, "orrs.w %[c], %[a], %[b], asr #3", M_R2)                       \
    X(w_orns, "orns %[c], %[a], %[b], ror #1", M_R2)                         \
    X(w_eors, "eors.w %[c], %[a], %[b], rrx", M_R2)                          \
    X(w_adds, "adds.w %[c], %[a], %[b], lsl #31", M_R2)                      \
    X(w_adcs, "adcs.w %[c], %[a], %[b]", M_R2)                               \
    X(w_sbcs, "sbcs.w %[c], %[a], %[b], asr #32", M_R2)                      \
    X(w_subs, "subs.w %[c], %[a], %[b]", M_R2)                               \
    X(w_rsbs, "rsbs.w %[c], %[a], %[b], lsr #4", M_R2)                       \
    X(w_teq, "teq.w %[a], %[b], ror #8", M_C2)                               \
    X(w_tst, "tst.w %[a], %[b], lsr #1", M_C2)                               \
    X(w_cmn, "cmn.w %[a], %[b]", M_C2)                                       \
    X(w_cmp, "cmp.w %[a], %[b], lsl #4", M_C2)                               \
    X(w_movs, "asrs.w %[c], %[b], #5", IB | OC)                          \
    X(w_mvns, "mvns.w %[c], %[b], rrx", IB | OC)                             \
    X(w_add, "add.w %[c], %[a], %[b], lsl #2", M_R2)                         \
    X(w_pkhbt, "pkhbt %[c], %[a], %[b], lsl #8", M_R2)                       \
    X(w_pkhtb, "pkhtb %[c], %[a], %[b], asr #32", M_R2)
DPW_LIST(X_DEF)
static const struct tdesc dpw_tab[] = { DPW_LIST(X_ENT) };

/* ---- modified immediates and plain binary immediates */
#define IMM_LIST(X)                                                          \
    X(i_movs1, "movs.w %[c], #0x00ab00ab", M_W)                              \
    X(i_movs2, "movs.w %[c], #0xab00ab00", M_W)                              \
    X(i_movs3, "movs.w %[c], #0xabababab", M_W)                              \
    X(i_movs4, "movs.w %[c], #0x80000000", M_W)                              \
    X(i_mvns, "mvns.w %[c], #0x3fc00", M_W)                                  \
    X(i_ands, "ands.w %[c], %[a], #0xff000000", M_R1)                        \
    X(i_orrs, "orrs.w %[c], %[a], #0x55", M_R1)                              \
    X(i_orn, "orn %[c], %[a], #0xff", M_R1)                                  \
    X(i_eors, "eors.w %[c], %[a], #0x81000000", M_R1)                        \
    X(i_bics, "bics.w %[c], %[a], #0xff00ff00", M_R1)                        \
    X(i_tst, "tst.w %[a], #0x40000000", M_C1)                                \
    X(i_teq, "teq.w %[a], #0x7f", M_C1)                                      \
    X(i_adds, "adds.w %[c], %[a], #0x80000000", M_R1)                        \
    X(i_adcs, "adcs.w %[c], %[a], #1", M_R1)                                 \
    X(i_subs, "subs.w %[c], %[a], #0x100", M_R1)                             \
    X(i_sbcs, "sbcs.w %[c], %[a], #0", M_R1)                                 \
    X(i_rsbs, "rsbs.w %[c], %[a], #0", M_R1)                                 \
    X(i_cmp, "cmp.w %[a], #0xffffffff", M_C1)                                \
    X(i_cmn, "cmn.w %[a], #1", M_C1)                                         \
    X(i_addw, "addw %[c], %[a], #0xfff", M_R1)                               \
    X(i_subw, "subw %[c], %[a], #0x123", M_R1)                               \
    X(i_movw, "movw %[c], #0xfedc", M_W)                                     \
    X(i_movt, "movt %[c], #0x8765", IC | OC)                                 \
    X(i_bfi, "bfi %[c], %[a], #4, #12", M_RC)                                \
    X(i_bfc, "bfc %[c], #31, #1", IC | OC)                                   \
    X(i_ubfx, "ubfx %[c], %[a], #3, #29", M_R1)                              \
    X(i_sbfx, "sbfx %[c], %[a], #30, #2", M_R1)                              \
    X(i_sbfx1, "sbfx %[c], %[a], #0, #1", M_R1)                              \
    X(i_ssat, "ssat %[c], #8, %[a], lsl #4", M_R1 | SQ)                      \
    X(i_usat, "usat %[c], #7, %[a], asr #2", M_R1 | SQ)                      \
    X(i_ssat16, "ssat16 %[c], #4, %[a]", M_R1 | SQ)                          \
    X(i_usat16, "usat16 %[c], #15, %[a]", M_R1 | SQ)
IMM_LIST(X_DEF)
static const struct tdesc imm_tab[] = { IMM_LIST(X_ENT) };

/* ---- extends, reversal, misc */
#define MISC_LIST(X)                                                         \
    X(m_sxtb, "sxtb %[c], %[a]", M_R1)                                       \
    X(m_sxth, "sxth %[c], %[a]", M_R1)                                       \
    X(m_uxtb, "uxtb %[c], %[a]", M_R1)                                       \
    X(m_uxth, "uxth %[c], %[a]", M_R1)                                       \
    X(m_sxtbw, "sxtb.w %[c], %[a], ror #8", M_R1)                            \
    X(m_uxthw, "uxth.w %[c], %[a], ror #24", M_R1)                           \
    X(m_sxtab, "sxtab %[c], %[b], %[a], ror #16", M_R2)                      \
    X(m_uxtah, "uxtah %[c], %[b], %[a]", M_R2)                               \
    X(m_sxtb16, "sxtb16 %[c], %[a], ror #8", M_R1)                           \
    X(m_uxtab16, "uxtab16 %[c], %[b], %[a]", M_R2)                           \
    X(m_rev, "rev %[c], %[a]", M_R1)                                         \
    X(m_rev16, "rev16 %[c], %[a]", M_R1)                                     \
    X(m_revsh, "revsh %[c], %[a]", M_R1)                                     \
    X(m_revw, "rev.w %[c], %[a]", M_R1)                                      \
    X(m_rbit, "rbit %[c], %[a]", M_R1)                                       \
    X(m_clz, "clz %[c], %[a]", M_R1)                                         \
    X(m_sel, "sel %[c], %[a], %[b]", M_R2 | SG)                              \
    X(m_qadd, "qadd %[c], %[a], %[b]", M_R2 | SQ)                            \
    X(m_qsub, "qsub %[c], %[a], %[b]", M_R2 | SQ)                            \
    X(m_qdadd, "qdadd %[c], %[a], %[b]", M_R2 | SQ)                          \
    X(m_qdsub, "qdsub %[c], %[a], %[b]", M_R2 | SQ)
MISC_LIST(X_DEF)
static const struct tdesc misc_tab[] = { MISC_LIST(X_ENT) };

/* ---- parallel add/subtract */
#define PAR_LIST(X)                                                          \
    X(p_sadd16, "sadd16 %[c], %[a], %[b]", M_R2 | SG)                        \
    X(p_ssub8, "ssub8 %[c], %[a], %[b]", M_R2 | SG)                          \
    X(p_sasx, "sasx %[c], %[a], %[b]", M_R2 | SG)                            \
    X(p_usax, "usax %[c], %[a], %[b]", M_R2 | SG)                            \
    X(p_uadd8, "uadd8 %[c], %[a], %[b]", M_R2 | SG)                          \
    X(p_usub16, "usub16 %[c], %[a], %[b]", M_R2 | SG)                        \
    X(p_qadd16, "qadd16 %[c], %[a], %[b]", M_R2)                             \
    X(p_uqsub8, "uqsub8 %[c], %[a], %[b]", M_R2)                             \
    X(p_shasx, "shasx %[c], %[a], %[b]", M_R2)                               \
    X(p_uhadd8, "uhadd8 %[c], %[a], %[b]", M_R2)                             \
    X(p_qsax, "qsax %[c], %[a], %[b]", M_R2)                                 \
    X(p_uhsub16, "uhsub16 %[c], %[a], %[b]", M_R2)
PAR_LIST(X_DEF)
static const struct tdesc par_tab[] = { PAR_LIST(X_ENT) };

/* ---- multiplies and divides */
#define MUL_LIST(X)                                                          \
    X(u_mul, "mul.w %[c], %[a], %[b]", M_R2)                                 \
    X(u_mla, "mla %[c], %[a], %[b], %[d]", M_R3)                             \
    X(u_mls, "mls %[c], %[a], %[b], %[d]", M_R3)                             \
    X(u_smull, "smull %[c], %[d], %[a], %[b]", M_L2)                         \
    X(u_umull, "umull %[c], %[d], %[a], %[b]", M_L2)                         \
    X(u_smlal, "smlal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(u_umlal, "umlal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(u_umaal, "umaal %[c], %[d], %[a], %[b]", M_L4)                         \
    X(u_smlabb, "smlabb %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(u_smultb, "smultb %[c], %[a], %[b]", M_R2)                             \
    X(u_smlawt, "smlawt %[c], %[a], %[b], %[d]", M_R3 | SQ)                  \
    X(u_smulwb, "smulwb %[c], %[a], %[b]", M_R2)                             \
    X(u_smlad, "smlad %[c], %[a], %[b], %[d]", M_R3 | SQ)                    \
    X(u_smuadx, "smuadx %[c], %[a], %[b]", M_R2 | SQ)                        \
    X(u_smlsd, "smlsd %[c], %[a], %[b], %[d]", M_R3)                         \
    X(u_smusdx, "smusdx %[c], %[a], %[b]", M_R2)                             \
    X(u_smmul, "smmul %[c], %[a], %[b]", M_R2)                               \
    X(u_smmlar, "smmlar %[c], %[a], %[b], %[d]", M_R3)                       \
    X(u_smmls, "smmls %[c], %[a], %[b], %[d]", M_R3)                         \
    X(u_smlalbt, "smlalbt %[c], %[d], %[a], %[b]", M_L4)                     \
    X(u_smlald, "smlald %[c], %[d], %[a], %[b]", M_L4)                       \
    X(u_smlsldx, "smlsldx %[c], %[d], %[a], %[b]", M_L4)                     \
    X(u_usad8, "usad8 %[c], %[a], %[b]", M_R2)                               \
    X(u_usada8, "usada8 %[c], %[a], %[b], %[d]", M_R3)                       \
    X(u_udiv, "udiv %[c], %[a], %[b]", M_R2)                                 \
    X(u_sdiv, "sdiv %[c], %[a], %[b]", M_R2)
MUL_LIST(X_DEF)
static const struct tdesc mul_tab[] = { MUL_LIST(X_ENT) };

/* ---- IT blocks: every condition, then-else patterns, flags inside IT */
#define IT_LIST(X)                                                           \
    X(it_eq, "ite eq\n\tmoveq %[c], #1\n\tmovne %[c], #2", M_W)              \
    X(it_cs, "itet cs\n\taddcs %[c], %[a], %[b]\n\tsubcc %[c], %[a], %[b]\n\teorcs %[c], %[c], #1", M_R2) \
    X(it_mi, "itt mi\n\tmovmi %[c], #3\n\taddmi %[c], #4", M_W)              \
    X(it_vs, "it vs\n\tmovvs %[c], #5", M_W)                                 \
    X(it_hi, "itee hi\n\tmovhi %[c], #6\n\tmovls %[c], #7\n\taddls %[c], %[c], #1", M_W) \
    X(it_ge, "ittt ge\n\tmovge %[c], #8\n\taddge %[c], %[c], %[c]\n\tcmpge %[c], #16", M_W) \
    X(it_gt, "itttt gt\n\tmovgt %[c], #9\n\taddgt %[c], #1\n\tlslgt %[c], %[c], #2\n\tsubgt %[c], #1", M_W) \
    X(it_le, "it le\n\tmovle.w %[c], #0xab00ab00", M_W)                      \
    X(it_lt, "iteet lt\n\tmovlt %[c], #1\n\tmovge %[c], #2\n\tcmpge %[c], #2\n\taddlt %[c], #8", M_W) \
    X(it_ne_flags, "itt ne\n\tmovne %[c], #0\n\taddsne %[c], %[c], #0", M_W)
IT_LIST(X_DEF)
static const struct tdesc it_tab[] = { IT_LIST(X_ENT) };

static void test_alu(void)
{
    run_tab("dp 16-bit", dp16_tab, ARRAY_SIZE(dp16_tab), V6, 6, V6, 6, 0x5a5a5a5a, 0, FL(0), FL(0x3));
    run_tab("shift by register", sh16_tab, ARRAY_SIZE(sh16_tab), VSH, 4, VAMT, 8, 0x9abcdef0, 0, FL(0x2), FL(0x4));
    run_tab("dp shifted register", dpw_tab, ARRAY_SIZE(dpw_tab), V4, 4, V6, 6, 0, 0, FL(0x0), FL(0x2));
    run_tab("dp immediate", imm_tab, ARRAY_SIZE(imm_tab), V6, 6, V6, 1, 0xcafef00d, 0, FL(0x2), FL(0x9));
    run_tab("misc", misc_tab, ARRAY_SIZE(misc_tab), V6, 6, V4, 4, 0, 0, FL(0) | GE(0x5), FL(0));
    run_tab("parallel", par_tab, ARRAY_SIZE(par_tab), V6, 6, V6, 6, 0, 0, GE(0xa), GE(0xa));
    run_tab("multiply", mul_tab, ARRAY_SIZE(mul_tab), V6, 6, V4, 4, 0x87654321, 0x7fffffff, FL(0x6), FL(0x6));
    hdr("it");
    for (unsigned t = 0; t < ARRAY_SIZE(it_tab); t++)
        for (u32 f = 0; f < 16; f++)
            run1(&it_tab[t], 0x7fffffff, 0x12345678, 0x55, 0, FL(f));
}

/* ---------------------------------------------------------------------- */
/* Loads and stores                                                       */

static u32 mem[16] __attribute__((aligned(8)));

static void fill(void)
{
    for (int i = 0; i < 16; i++) mem[i] = 0x80818283u + 0x04040404u * i;
}

static void dump(void)
{
    for (int i = 0; i < 8; i++) { pc_(' '); ph(mem[i]); }
    nl();
}

static void test_ldst(void)
{
    u32 *base = &mem[4];
    u32 r0, r1, r2, r3, bp;
    hdr("loads/stores");
    fill();
    asm volatile("ldr %0, [%4]\n\tldrb %1, [%4, #5]\n\tldrh %2, [%4, #10]\n\tldrsb %3, [%4, #3]"
                 : "=&l"(r0), "=&l"(r1), "=&l"(r2), "=&l"(r3) : "l"(base));
    p("ldr16"); pkv(" ", r0); pkv(" ", r1); pkv(" ", r2); pkv(" ", r3); nl();
    asm volatile("movs r4, #6\n\tldrsh %0, [%4, r4]\n\tldrsb %1, [%4, r4]\n\tldrh %2, [%4, r4]\n\tldr %3, [sp, #0]"
                 : "=&l"(r0), "=&l"(r1), "=&l"(r2), "=&l"(r3) : "l"(base) : "r4");
    p("ldrreg"); pkv(" ", r0); pkv(" ", r1); pkv(" ", r2); nl();
    bp = (u32)base;
    asm volatile("ldr.w %0, [%4, #-4]!\n\tldrsh.w %1, [%4], #6\n\tldrsb.w %2, [%4, #-1]\n\tmovs %3, #0"
                 : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3), "+r"(bp) :: "memory");
    (void)r3;
    p("ldrw"); pkv(" ", r0); pkv(" ", r1); pkv(" ", r2); pkv(" off", bp - (u32)base); nl();
    bp = (u32)base;
    asm volatile("ldrb.w %0, [%4, #4095]\n\tldrh.w %1, [%3, #-2]\n\tldrsh.w %2, [%3, #2]"
                 : "=&r"(r0), "=&r"(r1), "=&r"(r2) : "r"(bp), "r"(bp - 4095 + 1) : "memory");
    p("ldrimm"); pkv(" ", r0); pkv(" ", r1); pkv(" ", r2); nl();
    bp = (u32)base;
    asm volatile("movs r4, #0x11\n\tstrb r4, [%0, #1]\n\tmovw r4, #0x2233\n\tstrh r4, [%0, #6]\n\t"
                 "movs r4, #0x44\n\tstr.w r4, [%0], #-8\n\tstrb.w r4, [%0, #-1]!\n\tstrh.w r4, [%0, #3]\n\t"
                 "movs r5, #12\n\tstr.w r4, [%0, r5, lsl #2]"
                 : "+r"(bp) :: "r4", "r5", "memory");
    p("stores"); pkv(" off", bp - (u32)base); dump();
    fill();
    {
        u32 lo, hi;
        bp = (u32)&mem[2];
        asm volatile("ldrd %0, %1, [%2, #8]!\n\tstrd %1, %0, [%2], #-8" : "=&r"(lo), "=&r"(hi), "+r"(bp) :: "memory");
        p("ldrd/strd"); pkv(" ", lo); pkv(" ", hi); pkv(" off", bp - (u32)&mem[2]); dump();
    }
    fill();
    {
        u32 v, st1, st2, st3, old;
        asm volatile("ldrex %0, [%5]\n\tadds %0, #1\n\tstrex %1, %0, [%5]\n\tstrex %2, %0, [%5]\n\t"
                     "ldrexb %3, [%5]\n\tclrex\n\tstrexb %4, %3, [%5]"
                     : "=&l"(v), "=&r"(st1), "=&r"(st2), "=&r"(old), "=&r"(st3) : "r"(&mem[1]) : "memory");
        p("ldrex/strex"); pkv(" v", v); pkv(" s1", st1); pkv(" s2", st2); pkv(" b", old); pkv(" s3", st3); nl();
        asm volatile("ldrexh %0, [%2]\n\tstrexh %1, %0, [%2]" : "=&r"(v), "=&r"(st1) : "r"(&mem[3]) : "memory");
        p("ldrexh"); pkv(" v", v); pkv(" s", st1); nl();
        {
            u32 lo, hi;
            asm volatile("ldrexd %0, %1, [%3]\n\tstrexd %2, %1, %0, [%3]" : "=&r"(lo), "=&r"(hi), "=&r"(st1) : "r"(&mem[6]) : "memory");
            p("ldrexd"); pkv(" ", lo); pkv(" ", hi); pkv(" s", st1); dump();
        }
    }
    fill();
    {
        u32 a, b, c, d;
        bp = (u32)&mem[2];
        asm volatile("ldmia %4!, {r4, r5}\n\tldmdb %4, {r6, r7}\n\tstmdb %4!, {r6, r7}\n\tmov %0, r4\n\tmov %1, r5\n\tmov %2, r6\n\tmov %3, r7"
                     : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "+r"(bp) :: "r4", "r5", "r6", "r7", "memory");
        p("ldm/stm"); pkv(" ", a); pkv(" ", b); pkv(" ", c); pkv(" ", d); pkv(" off", bp - (u32)&mem[2]); nl();
        asm volatile("mov r4, sp\n\tmovs r5, #5\n\tmovs r6, #6\n\tpush {r5, r6}\n\tpop {%0, %1}\n\t"
                     "sub sp, #8\n\tstr r6, [sp]\n\tadd sp, #8\n\tpush.w {r5, r6, r8}\n\tpop.w {r5, r6, r8}\n\tmov r5, sp\n\tsubs %2, r4, r5"
                     : "=&l"(a), "=&l"(b), "=&l"(c) :: "r4", "r5", "r6", "r8", "memory");
        p("push/pop"); pkv(" ", a); pkv(" ", b); pkv(" ", c); nl();
    }
    {
        u32 a, b;
        asm volatile("ldr %0, 1f\n\tldr.w %1, 2f\n\tb 3f\n\t.align 2\n1: .word 0x11223344\n2: .word 0x55667788\n3:"
                     : "=l"(a), "=r"(b));
        p("literal"); pkv(" ", a); pkv(" ", b); nl();
        asm volatile("adr %0, 1f\n\tadr.w %1, 1f\n\tsubs %0, %1, %0\n\tb 1f\n\t.align 2\n1:" : "=&l"(a), "=&r"(b));
        p("adr"); pkv(" ", a); nl();
    }
}

/* ---------------------------------------------------------------------- */
/* Branches                                                               */

extern u32 arm_add3(u32 x);
asm(".arm\n.global arm_add3\n.type arm_add3, %function\narm_add3:\n\tadd r0, r0, #3\n\tbx lr\n.thumb\n");

static u32 tbb_case(u32 i)
{
    u32 r;
    asm volatile("tbb [pc, %1]\n"
                 "0: .byte (1f-0b)/2, (2f-0b)/2, (3f-0b)/2, (4f-0b)/2\n"
                 "1: movs %0, #10\n\tb 5f\n"
                 "2: movs %0, #20\n\tb 5f\n"
                 "3: movs %0, #30\n\tb 5f\n"
                 "4: movs %0, #40\n"
                 "5:"
                 : "=l"(r) : "r"(i));
    return r;
}

static u32 tbh_case(u32 i)
{
    u32 r;
    asm volatile("tbh [pc, %1, lsl #1]\n"
                 "0: .hword (1f-0b)/2, (2f-0b)/2, (3f-0b)/2\n"
                 "1: movs %0, #11\n\tb 5f\n"
                 "2: movs %0, #22\n\tb 5f\n"
                 "3: movs %0, #33\n"
                 "5:"
                 : "=l"(r) : "r"(i));
    return r;
}

static u32 cbz_test(u32 x)
{
    u32 r = 0;
    asm volatile("cbz %1, 1f\n\tadds %0, #1\n1:\n\tcbnz %1, 2f\n\tadds %0, #2\n2:" : "+l"(r) : "l"(x));
    return r;
}

/* An IT block whose instructions straddle a page boundary (the TB ends inside
 * the block), then a 32-bit instruction whose halves are on two pages. */
static u32 page_cross(u32 x)
{
    u32 r = 0;
    asm volatile("b.w 1f\n\t.p2align 12\n\t.space 4092\n"
                 "1:\n\tcmp %1, #0\n\titete eq\n\taddeq %0, #1\n\taddne %0, #2\n\taddeq %0, #4\n\taddne %0, #8\n\t"
                 "b.w 2f\n\t.p2align 12\n\t.space 4094\n"
                 "2:\n\tadd.w %0, %0, #0x100\n\tadds %0, #0x10"
                 : "+l"(r) : "l"(x) : "cc");
    return r;
}

static void test_branch(void)
{
    u32 a, b;
    hdr("branches");
    p("page cross"); pkv(" ", page_cross(0)); pkv(" ", page_cross(1)); nl();
    for (u32 i = 0; i < 4; i++) { p("tbb"); pkv(" ", tbb_case(i)); nl(); }
    for (u32 i = 0; i < 3; i++) { p("tbh"); pkv(" ", tbh_case(i)); nl(); }
    p("cbz"); pkv(" ", cbz_test(0)); pkv(" ", cbz_test(5)); nl();
    p("blx arm"); pkv(" ", arm_add3(39)); nl();
    {
        u32 (*fp)(u32) = arm_add3;
        asm volatile("movs r0, #7\n\tblx %2\n\tmov %0, r0\n\tmov %1, lr" : "=r"(a), "=r"(b) : "r"(fp) : "r0", "r1", "r2", "r3", "r12", "lr");
        p("blx reg"); pkv(" ", a); pkv(" lr.t", b & 1); nl();
    }
    for (u32 f = 0; f < 16; f++) {
        u32 r = 0;
        asm volatile("msr APSR_nzcvq, %1\n\t"
                     "beq 1f\n\torr %0, %0, #1\n1:\n\t"
                     "bhi.w 2f\n\torr %0, %0, #2\n2:\n\t"
                     "bge 3f\n\torr %0, %0, #4\n3:\n\t"
                     "ble.w 4f\n\torr %0, %0, #8\n4:\n\t"
                     "bvc 5f\n\torr %0, %0, #16\n5:\n\t"
                     "bcc.w 6f\n\torr %0, %0, #32\n6:\n\t"
                     "bmi 7f\n\torr %0, %0, #64\n7:"
                     : "+r"(r) : "r"(FL(f)) : "cc");
        p("bcond"); pkv(" f", f); pkv(" r", r); nl();
    }
}

/* ---------------------------------------------------------------------- */
/* System: MRS/MSR, CPS, SVC, UDF, BKPT-free                              */

static volatile u32 hook_spsr, hook_pc, hook_r0;
static volatile u32 resume_pc;

static void svc_hook(struct exc_frame *f, int type)
{
    (void)type;
    hook_spsr = f->spsr;
    hook_pc = f->pc;
    hook_r0 = f->r[0];
    f->r[0] += 0x100;
}

static void undef_hook(struct exc_frame *f, int type)
{
    (void)type;
    hook_spsr = f->spsr;
    hook_pc = f->pc;
    f->pc = resume_pc;
}

static void test_system(void)
{
    u32 v, site;
    hdr("system");
    asm volatile("mrs %0, cpsr" : "=r"(v));
    p("cpsr"); pkv(" ", v & ~0xf0000000u); nl();
    asm volatile("cpsid i\n\tmrs %0, cpsr\n\tcpsie i" : "=r"(v));
    p("cpsid i"); pkv(" ", v & 0x1ff); nl();
    asm volatile("cps #0x1f\n\tmrs %0, cpsr\n\tcps #0x13" : "=r"(v));
    p("cps sys"); pkv(" ", v & 0x1ff); nl();
    asm volatile("msr cpsr_f, %1\n\tmrs %0, apsr" : "=r"(v) : "r"(0xa0000000u));
    p("msr f"); pkv(" ", v >> 28); nl();
    exc_hooks[EXC_SVC] = svc_hook;
    exc_hooks[EXC_UNDEF] = undef_hook;
    asm volatile("movs r0, #0x42\n\tadr %1, 1f\n\tsvc #0x12\n1:\n\tmov %0, r0" : "=r"(v), "=&l"(site) : : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    p("svc"); pkv(" r0", v); pkv(" r0in", hook_r0); pkv(" t", (hook_spsr >> 5) & 1); pkv(" ret", hook_pc - (site & ~1u)); nl();
    asm volatile("movs r0, #0x42\n\tcmp r0, #0x42\n\titte eq\n\tsvceq #1\n\taddeq r0, #1\n\taddne r0, #4\n\tmov %0, r0"
                 : "=r"(v) : : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
    p("svc in it"); pkv(" r0", v); pkv(" it", ((hook_spsr >> 25) & 3) | ((hook_spsr >> 8) & 0xfc)); nl();
    asm volatile("adr %0, 2f\n\tadds %0, #1\n\tstr %0, [%1]\n\tadr %0, 1f\n\t1: udf #7\n\tnop\n2:" : "=&l"(site) : "l"(&resume_pc) : "memory");
    p("udf16"); pkv(" t", (hook_spsr >> 5) & 1); pkv(" pc", hook_pc - site); nl();
    asm volatile("adr %0, 2f\n\tadds %0, #1\n\tstr %0, [%1]\n\tadr.w %0, 1f\n\t1: udf.w #0x1234\n\tnop\n2:" : "=&l"(site) : "l"(&resume_pc) : "memory");
    p("udf32"); pkv(" t", (hook_spsr >> 5) & 1); pkv(" pc", hook_pc - site); nl();
    asm volatile("adr %0, 2f\n\tadds %0, #1\n\tstr %0, [%1]\n\tadr %0, 1f\n\t.align 2\n1: .inst.w 0xee000a10\n\tnop\n2:" : "=&l"(site) : "l"(&resume_pc) : "memory");
    p("vfp undef"); pkv(" pc", hook_pc - site); nl();
    /* IT state saved in SPSR when an instruction inside an IT block faults */
    asm volatile("adr %0, 2f\n\tadds %0, #1\n\tstr %0, [%1]\n\tadr %0, 1f\n\tmovs r2, #0\n\tcmp r2, #0\n\t"
                 "itte eq\n\tmoveq r2, #1\n1:\n\tudfeq #1\n\tmovne r2, #3\n2:" : "=&l"(site) : "l"(&resume_pc) : "r2", "memory", "cc");
    p("udf in it"); pkv(" it", ((hook_spsr >> 25) & 3) | ((hook_spsr >> 8) & 0xfc)); pkv(" pc", hook_pc - site); nl();
    {   /* the same block with the UDF skipped: the IT block goes on after it */
        u32 r2;
        asm volatile("movs r2, #5\n\tcmp r2, #0\n\titete eq\n\tmoveq r2, #1\n\taddne r2, #2\n\tudfeq #2\n\taddne r2, #4\n\tmov %0, r2"
                     : "=r"(r2) : : "r2", "cc");
        p("udf skipped in it"); pkv(" r2", r2); nl();
    }
    /* exception return from Thumb to Thumb: SUBS pc, lr, #imm restores the CPSR from the SPSR */
    asm volatile("mrs r1, cpsr\n\tbic r1, r1, #0xf0000000\n\torr r1, r1, #0x90000000\n\torr r1, r1, #0x20\n\tmsr spsr_fsxc, r1\n\t"
                 "adr r0, 1f\n\tadds r0, #5\n\tmov lr, r0\n\tmovs r0, #0\n\tsubs pc, lr, #4\n\t.align 2\n1:\n\tmrs %0, apsr"
                 : "=r"(v) : : "r0", "r1", "lr", "cc");
    p("subs pc, lr"); pkv(" f", v >> 28); nl();
    {   /* unprivileged loads and stores (MMU off: allowed at PL0) */
        u32 a, c;
        fill();
        asm volatile("ldrt %0, [%2, #4]\n\tstrbt %0, [%2, #1]\n\tldrsht %1, [%2, #2]" : "=&r"(a), "=&r"(c) : "r"(&mem[0]) : "memory");
        p("ldrt/strbt"); pkv(" ", a); pkv(" ", c); dump();
    }
    asm volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(v));
    p("midr"); pkv(" ", v); nl();
    asm volatile("mrc p15, 0, %0, c13, c0, 3\n\tmcr p15, 0, %1, c13, c0, 3\n\tmrc p15, 0, %0, c13, c0, 3" : "=&r"(v) : "r"(0x1234abcd));
    p("tpidruro"); pkv(" ", v); nl();
    asm volatile("dmb\n\tdsb\n\tisb\n\tnop.w\n\tnop\n\tyield\n\tsev");
    p("barriers ok\n");
}

void main(void)
{
    p("T32TEST START\n");
    test_alu();
    test_ldst();
    test_branch();
    test_system();
    p("T32TEST DONE\n");
}
