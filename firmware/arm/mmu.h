/* Barriers, TLB maintenance and MMU enable for the firmware that turns on
 * short-descriptor translation (bench-mmu, xpage). */
#ifndef MMU_H
#define MMU_H
#include "types.h"

static inline void dsb(void) { asm volatile("dsb" ::: "memory"); }
static inline void isb(void) { asm volatile("isb" ::: "memory"); }
static inline void tlbiall(void) { asm volatile("mcr p15, 0, %0, c8, c7, 0" :: "r"(0) : "memory"); }

/* TTBR0 = l1 (TTBCR.N=0, domain 0 client), then SCTLR.M, C, I and `more`. */
static inline void mmu_on(u32 l1, u32 more)
{
    asm volatile("mcr p15, 0, %0, c2, c0, 2" :: "r"(0));       /* TTBCR: N=0 */
    asm volatile("mcr p15, 0, %0, c2, c0, 0" :: "r"(l1));      /* TTBR0 */
    asm volatile("mcr p15, 0, %0, c3, c0, 0" :: "r"(1));       /* DACR: D0 client */
    tlbiall();
    dsb();
    isb();
    u32 sctlr;
    asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr |= (1u << 0) | (1u << 2) | (1u << 12) | more;       /* M C I */
    asm volatile("mcr p15, 0, %0, c1, c0, 0" :: "r"(sctlr) : "memory");
    isb();
}
#endif
