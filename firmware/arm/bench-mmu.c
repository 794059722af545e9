/* bench-mmu.bin: memory-heavy work through the MMU with a periodic timer IRQ.
 *
 * Sets up short-descriptor translation (TTBCR.N=0, TTBR0):
 *   0x00000000-0x07ffffff  flash, identity 1 MiB sections (Normal, executable)
 *   0x08000000-0x09ffffff  GIC, UART etc., identity sections (Device, XN)
 *   0x40000000-0x47ffffff  RAM, identity sections (Normal WB, XN)
 *   0x80000000-0x807fffff  WIN: 2048 small (4 KiB) pages through 8 coarse L2
 *                          tables, mapped onto a shuffled permutation of the
 *                          physical pages at 0x40400000-0x40bfffff
 *   0x90000000-0x907fffff  ALIAS: the same physical 8 MiB as 1 MiB sections
 * then turns on the MMU and caches, programs the GICv2 (distributor
 * 0x08000000, CPU interface 0x08010000) and the generic timer's non-secure
 * physical timer (CNTP_TVAL/CNTP_CTL, PPI 14 = INTID 30) to interrupt every
 * 1 ms; the IRQ handler counts ticks and rearms the timer.
 *
 * Meanwhile the main loop runs MMU_ROUNDS rounds of: random read-modify-write
 * bursts over WIN (a page-crossing pattern), swaps of page mappings with
 * TLBIMVA/TLBIMVAIS, sequential sweeps across page boundaries, and checks
 * that WIN and ALIAS agree; every 16 rounds a TLBIALL.  At the end it prints
 * a checksum of the work and of all 8 MiB (read through ALIAS), and
 * "ticks>0: yes" (the tick count itself depends on speed and is not printed).
 * Nothing the program prints depends on timing.  -DSMALL: 1/20th the rounds.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"
#include "mmu.h"

#ifdef SMALL
#define MMU_ROUNDS 180u
#else
#define MMU_ROUNDS 3600u
#endif
#define RMW_PER_ROUND 4096u
#define SWAPS_PER_ROUND 8u

#define L1_AT       0x40200000u              /* 16 KiB, 16 KiB aligned */
#define L2_AT       0x40204000u              /* 8 x 1 KiB coarse tables */
#define PHYS_AT     0x40400000u              /* 8 MiB backing store */
#define WIN         0x80000000u
#define ALIAS       0x90000000u
#define NPAGES      2048u
#define WIN_BYTES   (NPAGES * 4096u)

#define GICD        0x08000000u
#define GICC        0x08010000u
#define TIMER_INTID 30u

/* Small-page descriptor (short-descriptor format, domain 0, AP=0b11 full access). */
#define SMALL_PAGE  (0x2u | 0x1u | 0xcu | (3u << 4) | (1u << 6)) /* XN, TEX=001 C B */

static volatile u32 *const l1 = (volatile u32 *)L1_AT;
static volatile u32 *const l2 = (volatile u32 *)L2_AT;
static u16 pmap[NPAGES];                     /* virtual page -> physical page */

static inline void wr32(u32 a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 rd32(u32 a) { return *(volatile u32 *)a; }
static inline u32 rotl(u32 x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static inline void tlbimva(u32 va) { asm volatile("mcr p15, 0, %0, c8, c7, 1" :: "r"(va & ~0xfffu) : "memory"); }
static inline void tlbimvais(u32 va) { asm volatile("mcr p15, 0, %0, c8, c3, 1" :: "r"(va & ~0xfffu) : "memory"); }

/* ---------------------------------------------------------------- timer */
static volatile u32 ticks, spurious, other_irqs;
static u32 tick_interval;

static inline u32 cntfrq(void) { u32 v; asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v)); return v; }
static inline void cntp_tval(u32 v) { asm volatile("mcr p15, 0, %0, c14, c2, 0" :: "r"(v)); }
static inline void cntp_ctl(u32 v) { asm volatile("mcr p15, 0, %0, c14, c2, 1" :: "r"(v)); isb(); }

static void irq_hook(struct exc_frame *f, int type)
{
    (void)f; (void)type;
    u32 iar = rd32(GICC + 0x0c);             /* GICC_IAR */
    u32 id = iar & 0x3ff;
    if (id == 1023) {
        spurious++;
        return;
    }
    if (id == TIMER_INTID) {
        ticks++;
        cntp_tval(tick_interval);            /* rearm: deasserts the PPI */
        isb();
    } else {
        other_irqs++;
    }
    wr32(GICC + 0x10, iar);                  /* GICC_EOIR */
}

static void gic_timer_start(void)
{
    wr32(GICD + 0x000, 0);                   /* GICD_CTLR off while configuring */
    /* Priority 0x80 for INTID 30 (byte access to GICD_IPRIORITYR). */
    *(volatile u8 *)(GICD + 0x400 + TIMER_INTID) = 0x80;
    wr32(GICD + 0x100, 1u << TIMER_INTID);   /* GICD_ISENABLER0 */
    wr32(GICD + 0x000, 1);                   /* GICD_CTLR: enable */
    wr32(GICC + 0x004, 0xf0);                /* GICC_PMR */
    wr32(GICC + 0x008, 0);                   /* GICC_BPR */
    wr32(GICC + 0x000, 1);                   /* GICC_CTLR: enable */

    u32 frq = cntfrq();
    tick_interval = frq / 1000u;             /* 1 ms */
    if (tick_interval == 0)
        tick_interval = 1;
    exc_hooks[EXC_IRQ] = irq_hook;
    cntp_tval(tick_interval);
    cntp_ctl(1);                             /* ENABLE, IMASK=0 */
    asm volatile("cpsie i" ::: "memory");
}

static void gic_timer_stop(void)
{
    asm volatile("cpsid i" ::: "memory");
    cntp_ctl(0);
    wr32(GICD + 0x180, 1u << TIMER_INTID);   /* GICD_ICENABLER0 */
}

/* ------------------------------------------------------------------ mmu */
static u32 rng_state = 0x1234567u;
static inline u32 rng(void)
{
    u32 x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static void set_page(u32 vpage, u32 ppage)
{
    pmap[vpage] = (u16)ppage;
    l2[vpage] = (PHYS_AT + ppage * 4096u) | SMALL_PAGE;
}

static void mmu_setup(void)
{
    for (u32 i = 0; i < 4096; i++)
        l1[i] = 0;                           /* fault */
    map_virt_sections(l1, SECT_XN);            /* RAM XN: code runs from flash */
    for (u32 t = 0; t < NPAGES / 256; t++)
        l1[(WIN >> 20) + t] = (L2_AT + t * 1024u) | COARSE;
    for (u32 mb = 0; mb < WIN_BYTES >> 20; mb++)
        l1[(ALIAS >> 20) + mb] = (PHYS_AT + (mb << 20)) | SECT_NORMAL | SECT_XN;

    /* WIN pages: a shuffled permutation of the physical pages. */
    for (u32 i = 0; i < NPAGES; i++)
        pmap[i] = (u16)i;
    for (u32 i = NPAGES - 1; i > 0; i--) {
        u32 j = rng() % (i + 1);
        u16 t = pmap[i];
        pmap[i] = pmap[j];
        pmap[j] = t;
    }
    for (u32 i = 0; i < NPAGES; i++)
        set_page(i, pmap[i]);
    dsb();

    mmu_on(L1_AT, 1u << 11);                                  /* and Z: branch prediction */
}

static void mmu_off(void)
{
    u32 sctlr;
    asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr &= ~((1u << 0) | (1u << 2));
    asm volatile("mcr p15, 0, %0, c1, c0, 0" :: "r"(sctlr) : "memory");
    isb();
    tlbiall();
    dsb();
    isb();
}

/* ----------------------------------------------------------------- work */
int main(void)
{
    uart_puts("bench-mmu: ");
    uart_dec(MMU_ROUNDS);
    uart_puts(" rounds over ");
    uart_dec(NPAGES);
    uart_puts(" 4 KiB pages, 1 ms timer IRQ\n");

    mmu_setup();

    /* Fill the window through the page mappings: word = f(virtual address). */
    for (u32 va = WIN; va < WIN + WIN_BYTES; va += 4)
        wr32(va, va * 0x9e3779b1u);

    gic_timer_start();

    u32 acc = 0, sweep = 0, bad = 0, swaps = 0;
    for (u32 r = 0; r < MMU_ROUNDS; r++) {
        /* 1. Random read-modify-write bursts (4 words in one page). */
        for (u32 k = 0; k < RMW_PER_ROUND; k++) {
            u32 x = rng();
            u32 va = WIN + (x & (WIN_BYTES - 16) & ~15u);
            u32 a = rd32(va), b = rd32(va + 4), c = rd32(va + 8), d = rd32(va + 12);
            acc = rotl(acc, 1) ^ (a + b) ^ (c - d);
            wr32(va, a * 0x01000193u + r);
            wr32(va + 8, c ^ (x >> 7));
        }

        /* 2. Swap the mappings of some page pairs, invalidating each VA. */
        for (u32 s = 0; s < SWAPS_PER_ROUND; s++) {
            u32 x = rng();
            u32 p = x & (NPAGES - 1), q = (x >> 11) & (NPAGES - 1);
            if (p == q)
                continue;
            u32 pp = pmap[p], pq = pmap[q];
            set_page(p, pq);
            set_page(q, pp);
            dsb();
            if (s & 1) {
                tlbimvais(WIN + p * 4096u);
                tlbimvais(WIN + q * 4096u);
            } else {
                tlbimva(WIN + p * 4096u);
                tlbimva(WIN + q * 4096u);
            }
            dsb();
            isb();
            swaps++;
        }

        /* 3. A sequential sweep over 16 KiB (crosses 4 page boundaries). */
        u32 start = WIN + ((rng() & (NPAGES - 1)) * 4096u);
        if (start > WIN + WIN_BYTES - 16384)
            start = WIN + WIN_BYTES - 16384;
        for (u32 va = start; va < start + 16384; va += 8)
            sweep = sweep * 33u + rd32(va);

        /* 4. WIN and ALIAS must agree on the current mapping. */
        for (u32 k = 0; k < 16; k++) {
            u32 x = rng();
            u32 vp = x & (NPAGES - 1), off = (x >> 11) & 0xffcu;
            if (rd32(WIN + vp * 4096u + off) != rd32(ALIAS + pmap[vp] * 4096u + off))
                bad++;
        }

        /* 5. Now and then, flush the whole TLB. */
        if ((r & 15) == 15) {
            tlbiall();
            dsb();
            isb();
        }
    }

    gic_timer_stop();

    /* Checksum all 8 MiB in physical order, through the section alias. */
    u32 mem = 0;
    for (u32 a = ALIAS; a < ALIAS + WIN_BYTES; a += 4)
        mem = rotl(mem, 3) ^ rd32(a);
    /* And the final mapping. */
    u32 maph = 0;
    for (u32 i = 0; i < NPAGES; i++)
        maph = maph * 31u + pmap[i];

    mmu_off();

    uart_puts("work:     ");
    uart_hex32(acc);
    uart_puts("\nsweep:    ");
    uart_hex32(sweep);
    uart_puts("\nmemory:   ");
    uart_hex32(mem);
    uart_puts("\nmapping:  ");
    uart_hex32(maph);
    uart_puts("\nswaps:    ");
    uart_dec(swaps);
    uart_puts("\nmismatch: ");
    uart_dec(bad);
    uart_puts("\nchecksum: ");
    uart_hex32(acc ^ rotl(sweep, 8) ^ rotl(mem, 16) ^ rotl(maph, 24) ^ bad);
    uart_puts("\nticks>0: ");
    uart_puts(ticks > 0 ? "yes" : "no");
    uart_puts("\nunexpected irqs: ");
    uart_dec(other_irqs);
    uart_puts("\nbench-mmu done\n");
    psci_system_off();
}
