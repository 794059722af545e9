/* Descriptors, the identity map of virt's flash, devices and RAM, barriers,
 * TLB maintenance and MMU enable for the firmware that turns on
 * short-descriptor translation (bench-mmu, xpage, tlbgroup). */
#ifndef MMU_H
#define MMU_H
#include "types.h"

/* Short-descriptor format, domain 0, AP=0b11 (full access). */
#define SECT_NORMAL (0x2u | 0xcu | (3u << 10) | (1u << 12))   /* 1 MiB section, TEX=001 C B: WBWA */
#define SECT_DEVICE (0x2u | 0x4u | 0x10u | (3u << 10))        /* B (shared device), XN */
#define SECT_XN     0x10u
#define COARSE      0x1u                                      /* L1 entry -> coarse L2 table */

/* Identity-map virt's flash (0-128 MiB), devices (128-160 MiB, XN) and the first
 * 128 MiB of RAM with sections; `ram_extra` is or-ed into RAM's (SECT_XN). */
static inline void map_virt_sections(volatile u32 *l1, u32 ram_extra)
{
    for (u32 mb = 0x000; mb < 0x080; mb++)
        l1[mb] = (mb << 20) | SECT_NORMAL;
    for (u32 mb = 0x080; mb < 0x0a0; mb++)
        l1[mb] = (mb << 20) | SECT_DEVICE;
    for (u32 mb = 0x400; mb < 0x480; mb++)
        l1[mb] = (mb << 20) | SECT_NORMAL | ram_extra;
}

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
