/*
 * xpage.bin: a loop that crosses a page boundary, run through the MMU, with
 * the second page remapped (to other code) while the loop is hot. A JIT that
 * compiled both pages into one region must notice the new mapping (the TLB
 * was flushed, as ARMv7 requires) and run the new code.
 *
 * Virtual 0x80000000-0x80000fff maps physical page A0 and 0x80001000 maps
 * A1, later B1 (small 4 KiB pages in one coarse L2 table); everything else
 * is identity-mapped with 1 MiB sections. The loop starts at 0x80000ff0:
 *   add r0, r0, #1 ; subs r1, r1, #1 ; b 0x80001000 ; nop   (A0)
 *   add r0, r0, #K ; cmp r1, #0 ; bne 0x80000ff0 ; bx lr     (A1: K=2, B1: K=9)
 * f(0, n) = n * (1 + K). Prints each result, then powers off.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"
#include "mmu.h"

#define L1_AT   0x40200000u             /* 16 KiB, 16 KiB aligned */
#define L2_AT   0x40204000u             /* one coarse table (1 KiB) */
#define A0      0x40300000u
#define A1      0x40301000u
#define B1      0x40302000u
#define WIN     0x80000000u

#define SMALL_CODE  (0x2u | 0xcu | (3u << 4) | (1u << 6))     /* WBWA, executable */

static inline void iciallu(void) { asm volatile("mcr p15, 0, %0, c7, c5, 0" :: "r"(0) : "memory"); }

static volatile u32 *const l1 = (volatile u32 *)L1_AT;
static volatile u32 *const l2 = (volatile u32 *)L2_AT;

static void put_page1(u32 base, u32 k)
{
    volatile u32 *p = (volatile u32 *)base;
    p[0] = 0xe2800000u | k;     /* add r0, r0, #k */
    p[1] = 0xe3510000u;         /* cmp r1, #0 */
    p[2] = 0x1afffff8u;         /* bne 0x80000ff0 (from 0x80001008) */
    p[3] = 0xe12fff1eu;         /* bx lr */
}

static void map_page1(u32 phys)
{
    l2[1] = phys | SMALL_CODE;
    dsb();
    tlbiall();
    iciallu();
    dsb();
    isb();
}

typedef u32 (*fn2)(u32, u32);

int main(void)
{
    volatile u32 *p0 = (volatile u32 *)A0;
    p0[1020] = 0xe2800001u;     /* add r0, r0, #1 */
    p0[1021] = 0xe2511001u;     /* subs r1, r1, #1 */
    p0[1022] = 0xea000000u;     /* b 0x80001000 */
    p0[1023] = 0xe1a00000u;     /* nop */
    put_page1(A1, 2);
    put_page1(B1, 9);

    map_virt_sections(l1, 0);
    l1[WIN >> 20] = L2_AT | COARSE;
    l2[0] = A0 | SMALL_CODE;
    l2[1] = A1 | SMALL_CODE;
    dsb();
    mmu_on(L1_AT, 0);

    fn2 f = (fn2)(WIN + 0xff0);
    static const u32 phys[] = { A1, A1, A1, B1, B1, A1, B1 };
    for (u32 i = 0; i < sizeof phys / sizeof phys[0]; i++) {
        if (i > 0 && phys[i] != phys[i - 1]) map_page1(phys[i]);
        u32 r = f(0, 3000);
        uart_puts("pass ");
        uart_dec(i);
        uart_puts(phys[i] == A1 ? " A1 -> " : " B1 -> ");
        uart_dec(r);
        uart_puts("\n");
    }
    uart_puts("XPAGE DONE\n");
    psci_system_off();
}
