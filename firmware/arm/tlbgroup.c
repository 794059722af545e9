/*
 * tlbgroup.bin: hot loops whose loads and stores sit at constant offsets
 * from a register the loop never writes. The wasm JIT probes the TLB once
 * for such a group (tcg/wasm/tlb-groups.ts) and must fall back to the full
 * check whenever the group is not on one plain RAM page, and probe again
 * after anything that may change a mapping. Every loop is entered with a
 * branch to its head, so a hot loop starts in its compiled region rather
 * than in the TB of the code before it. Each case prints its results:
 *   straddle  the accesses span a page boundary
 *   unaligned the base is not aligned to the accesses
 *   ldm       an LDM loop, hot, then entered with a base that is not word-aligned
 *             (an alignment fault)
 *   smc       the stores rewrite code that was translated since the last pass
 *   mmio      the base is the UART (the loop prints a line)
 *   remap     the base's page is remapped, with a TLBIMVA, in every pass
 * and loops whose accesses sit at offsets in a register from a base the loop
 * never writes (an array indexed by a register), which the JIT checks against
 * the room from the base to the end of its page:
 *   indexed   offsets that reach back onto the page before (negative), past
 *             the end of the page, and odd ones (unaligned words that straddle)
 *   ldrd      a hot LDRD loop, then entered with a base that is not word-aligned
 *   smcx      indexed stores that rewrite code translated since the last pass
 */
#include "types.h"
#include "uart.h"
#include "exc.h"
#include "mmu.h"

#define PAGE 4096u
static u32 buf[2 * PAGE / 4] __attribute__((aligned(4096)));
static u32 code[16] __attribute__((aligned(4096)));
static u32 codex[16] __attribute__((aligned(4096)));

/* p[0] + p[1] + p[2] stored to p[3], summed over n passes (p[0..3] span a page boundary). */
static u32 straddle(volatile u32 *p, u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   b 1f\n"
        "1: ldr r2, [%[p], #0]\n ldr r3, [%[p], #4]\n ldr r12, [%[p], #8]\n"
        "   add r2, r2, r3\n add r2, r2, r12\n str r2, [%[p], #12]\n add r3, r2, %[n]\n str r3, [%[p], #0]\n"
        "   add %[acc], %[acc], r2\n subs %[n], %[n], #1\n bne 1b\n"
        : [acc] "+r"(acc), [n] "+r"(n) : [p] "r"(p) : "r2", "r3", "r12", "cc", "memory");
    return acc;
}

/* Word loads and a store at offsets 0/4/8 from a byte address that is not word-aligned. */
static u32 unaligned(u8 *p, u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   b 1f\n"
        "1: ldr r2, [%[p], #0]\n ldr r3, [%[p], #4]\n eor r2, r2, r3, ror #7\n add r2, r2, %[n]\n"
        "   str r2, [%[p], #8]\n ldrh r3, [%[p], #10]\n add %[acc], %[acc], r2\n add %[acc], %[acc], r3\n"
        "   subs %[n], %[n], #1\n bne 1b\n"
        : [acc] "+r"(acc), [n] "+r"(n) : [p] "r"(p) : "r2", "r3", "cc", "memory");
    return acc;
}

/*
 * Writes `add r0, r0, #k` to c[0] n times (and c[1] back to itself): after
 * the first round the page holds translated code, so the stores must take
 * the slow path that invalidates it.
 */
static __attribute__((noinline)) void patch(u32 *c, u32 k, u32 n)
{
    asm volatile(
        "   b 1f\n"
        "1: str %[insn], [%[c], #0]\n ldr r3, [%[c], #4]\n str r3, [%[c], #4]\n"
        "   subs %[n], %[n], #1\n bne 1b\n"
        : [n] "+r"(n) : [c] "r"(c), [insn] "r"(0xe2800000u | k) : "r3", "cc", "memory");
}

/* patch() with the stores at a register offset that is always 0 (the JIT cannot know). */
static __attribute__((noinline)) void patchx(u32 *c, u32 k, u32 n)
{
    asm volatile(
        "   b 1f\n"
        "1: and r12, %[n], #0x80000000\n str %[insn], [%[c], r12]\n ldr r3, [%[c], r12]\n"
        "   str r3, [%[c], r12]\n subs %[n], %[n], #1\n bne 1b\n"
        : [n] "+r"(n) : [c] "r"(c), [insn] "r"(0xe2800000u | k) : "r3", "r12", "cc", "memory");
}

/*
 * b is the start of a page whose neighbours below and above are not its
 * physical neighbours. Per pass: a word at index i = (n & 7) - 4 (so the
 * page below for i < 0), a store at index (n + 3) & 7 - 4, and a word at
 * byte offset 2i (odd multiples of 2 are unaligned; -2 straddles), a word
 * at byte 4090 or 4094 (unaligned; 4094 straddles the page above), and
 * word 1024 + (n & 1023): the page above.
 */
static u32 indexed(volatile u32 *b, u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   b 1f\n"
        "1: and r2, %[n], #7\n sub r2, r2, #4\n ldr r3, [%[b], r2, lsl #2]\n"
        "   add r12, %[n], #3\n and r12, r12, #7\n sub r12, r12, #4\n add r3, r3, %[n]\n str r3, [%[b], r12, lsl #2]\n"
        "   lsl r12, r2, #1\n ldr r12, [%[b], r12]\n add %[acc], %[acc], r3\n eor %[acc], %[acc], r12, ror #3\n"
        "   and r12, %[n], #4\n add r12, r12, #4096\n sub r12, r12, #6\n ldr r12, [%[b], r12]\n eor %[acc], %[acc], r12, ror #11\n"
        "   ubfx r12, %[n], #0, #10\n add r12, r12, #1024\n ldr r12, [%[b], r12, lsl #2]\n add %[acc], %[acc], r12\n"
        "   subs %[n], %[n], #1\n bne 1b\n"
        : [acc] "+r"(acc), [n] "+r"(n) : [b] "r"(b) : "r2", "r3", "r12", "cc", "memory");
    return acc;
}

/* n passes of an LDRD at p + (n & 8), or 0xff when it faulted (LDRD needs a word-aligned address). */
static u32 ldrdsum(u32 p, u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   adr r12, 9f\n str r12, [%[rp]]\n b 1f\n"
        "1: and r12, %[n], #8\n ldrd r2, r3, [%[p], r12]\n add %[acc], %[acc], r2\n eor %[acc], %[acc], r3, ror #5\n"
        "   ldr r2, [%[p], r12]\n add %[acc], %[acc], r2\n"
        "   subs %[n], %[n], #1\n bne 1b\n b 8f\n"
        "9: mov %[acc], #0xff\n"
        "8: mov r12, #0\n str r12, [%[rp]]\n"
        : [acc] "+r"(acc), [n] "+r"(n) : [p] "r"(p), [rp] "r"(&exc_recover_pc) : "r2", "r3", "r12", "cc", "memory");
    return acc;
}

typedef u32 (*fn1)(u32);

/* Print s through the UART's data and flag registers at offsets from its base. */
static void mmio_puts(const char *s)
{
    asm volatile(
        "1: ldrb r2, [%[s]], #1\n cmp r2, #0\n beq 3f\n"
        "2: ldr r3, [%[u], #0x18]\n tst r3, #0x20\n bne 2b\n"
        "   str r2, [%[u], #0]\n ldr r3, [%[u], #0x18]\n b 1b\n"
        "3:\n"
        : [s] "+r"(s) : [u] "r"(UART0_BASE) : "r2", "r3", "cc", "memory");
}

#define L1_AT   0x40200000u             /* 16 KiB, 16 KiB aligned */
#define L2_AT   0x40204000u             /* one coarse table (1 KiB) */
#define PA      0x40300000u
#define PB      0x40305000u             /* not PA's neighbour: WIN+4K maps here */
#define PC      0x40303000u
#define WIN     0x80000000u
#define SMALL_DATA  (0x2u | 0xcu | (3u << 4) | 1u)              /* WBWA, XN */

/*
 * Loads through WIN and stores to WIN's L2 entry, flipping it between PA and
 * PC with a TLBIMVA in every pass: each pass reads the page just mapped.
 */
static u32 remap(u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   b 1f\n"
        "1: ldr r2, [%[w], #0]\n ldr r3, [%[w], #4]\n add %[acc], %[acc], r2\n eor %[acc], %[acc], r3, ror #3\n"
        "   tst %[n], #1\n moveq r2, %[pa]\n movne r2, %[pc]\n str r2, [%[l2], #0]\n"
        "   dsb\n mcr p15, 0, %[w], c8, c7, 1\n dsb\n isb\n"
        "   subs %[n], %[n], #1\n bne 1b\n"
        : [acc] "+r"(acc), [n] "+r"(n)
        : [w] "r"(WIN), [l2] "r"(L2_AT), [pa] "r"(PA | SMALL_DATA), [pc] "r"(PC | SMALL_DATA)
        : "r2", "r3", "cc", "memory");
    return acc;
}

/* LDM needs a word-aligned base: n passes of ldm p, {r2, r3}, or 0xff when it faulted. */
static u32 ldmsum(u32 p, u32 n)
{
    u32 acc = 0;
    asm volatile(
        "   adr r12, 9f\n str r12, [%[rp]]\n b 1f\n"
        "1: ldm %[p], {r2, r3}\n add %[acc], %[acc], r2\n eor %[acc], %[acc], r3, ror #5\n"
        "   subs %[n], %[n], #1\n bne 1b\n b 8f\n"
        "9: mov %[acc], #0xff\n"
        "8: mov r12, #0\n str r12, [%[rp]]\n"
        : [acc] "+r"(acc), [n] "+r"(n) : [p] "r"(p), [rp] "r"(&exc_recover_pc) : "r2", "r3", "r12", "cc", "memory");
    return acc;
}

static u32 last_dfsr, last_dfar;

static void dabt_hook(struct exc_frame *f, int type)
{
    (void)type;
    asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(last_dfsr));
    asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(last_dfar));
    if (!exc_recover_pc) {
        uart_puts("unexpected data abort\n");
        psci_system_off();
    }
    f->pc = exc_recover_pc;
    exc_recover_pc = 0;
}

static void result(const char *name, u32 v)
{
    uart_puts(name);
    uart_puts(" ");
    uart_hex32(v);
    uart_puts("\n");
}

int main(void)
{
    exc_hooks[EXC_DABT] = dabt_hook;

    /* Identity-mapped sections, and WIN's two small pages on physical pages that are not neighbours. */
    volatile u32 *l1 = (volatile u32 *)L1_AT, *l2 = (volatile u32 *)L2_AT;
    map_virt_sections(l1, 0);
    l1[WIN >> 20] = L2_AT | COARSE;
    l2[0] = PA | SMALL_DATA;
    l2[1] = PB | SMALL_DATA;
    dsb();
    mmu_on(L1_AT, 0);

    volatile u32 *p = (volatile u32 *)(WIN + PAGE - 8);
    for (u32 i = 0; i < 4; i++) p[i] = 0x1000u * (i + 1) + i;
    ((volatile u32 *)PA)[1024] = 0xbad;     /* what WIN+4K would read if it were PA's neighbour */
    result("straddle", straddle(p, 20000));
    result("straddle p[3]", p[3]);
    result("straddle PB[1]", ((volatile u32 *)PB)[1]);

    u8 *b = (u8 *)buf + 0x101;
    for (u32 i = 0; i < 16; i++) b[i] = (u8)(0x11 * i + 3);
    result("unaligned", unaligned(b, 20000));

    u32 *w = &buf[64];
    w[0] = 0x12345678; w[1] = 0x9abcdef0; w[2] = 0x0f1e2d3c;
    result("ldm aligned", ldmsum((u32)w, 20000));
    last_dfsr = last_dfar = 0;
    result("ldm unaligned", ldmsum((u32)w + 2, 1));
    result("  DFSR", last_dfsr);
    result("  DFAR - base", last_dfar - (u32)w);

    /* The patch loop gets hot on a page without code; then the page gets code, and each
     * patch must invalidate it (the loop's region probe sees a write-protected page). */
    code[1] = 0xe12fff1eu;                    /* bx lr */
    patch(code, 1, 300000);
    u32 sum = ((fn1)(void *)code)(1000);
    patch(code, 7, 5000);
    sum = sum * 31 + ((fn1)(void *)code)(1000);
    patch(code, 9, 5000);
    sum = sum * 31 + ((fn1)(void *)code)(1000);
    result("smc", sum);

    codex[1] = 0xe12fff1eu;
    patchx(codex, 2, 300000);
    sum = ((fn1)(void *)codex)(1000);
    patchx(codex, 5, 5000);
    sum = sum * 31 + ((fn1)(void *)codex)(1000);
    patchx(codex, 11, 5000);
    sum = sum * 31 + ((fn1)(void *)codex)(1000);
    result("smcx", sum);

    /* WIN+4K (PB) between WIN (PA) and WIN+8K, which maps PA again; word 1024 + n is on WIN+8K. */
    l2[2] = PA | SMALL_DATA;
    dsb();
    asm volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory");
    dsb(); isb();
    volatile u32 *q = (volatile u32 *)(WIN + PAGE);
    for (u32 i = 0; i < 1024; i++) {
        ((volatile u32 *)PA)[i] ^= (i + 1) * 0x9e3779b9u;
        q[i] = i * 0x01000193u + 7;
    }
    for (u32 i = 0; i < 8; i++) q[i - 4] = 0x01010101u * (i + 1);
    result("indexed", indexed(q, 20000));
    result("indexed q[-4]", q[-4]);
    result("indexed q[3]", q[3]);

    result("ldrd aligned", ldrdsum((u32)w, 20000));
    last_dfsr = last_dfar = 0;
    result("ldrd unaligned", ldrdsum((u32)w + 2, 1));
    result("  DFSR", last_dfsr);
    result("  DFAR - base", last_dfar - (u32)w);

    for (u32 i = 0; i < 50; i++) mmio_puts(i == 49 ? "mmio ok\n" : "");
    mmio_puts("mmio line\n");

    volatile u32 *pa = (volatile u32 *)PA, *pc = (volatile u32 *)PC;
    pa[0] = 3; pa[1] = 0x10000;
    pc[0] = 500; pc[1] = 0x7000000;
    dsb();
    result("remap", remap(5001));

    uart_puts("TLBGROUP DONE\n");
    psci_system_off();
}
