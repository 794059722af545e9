/*
 * Paging and privilege test kernel (multiboot): paging with 4 KiB pages for
 * 0-4 MiB and 4 MiB PSE pages above, a ring-3 task entered through IRET
 * with a TSS for the way back, faults from ring 3 (supervisor page, read-only
 * page, not-present page, privileged instructions) handled at ring 0 and
 * resumed after the instruction, CR0.WP for ring-0 writes, and the accessed
 * and dirty bits the walks leave. Expected output: qemu-system-i386.
 */
#include "common.h"
#include "kernel.h"

volatile struct fault last_fault;
volatile int guard_active;   /* unused here; fault.S is not linked */
char fault_resume[1];

#define PG_P 0x001
#define PG_W 0x002
#define PG_U 0x004
#define PG_A 0x020
#define PG_D 0x040
#define PG_PS 0x080

static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt0[1024] __attribute__((aligned(4096)));
static u8 sv_page[4096] __attribute__((aligned(4096)));
static u8 ro_upage[4096] __attribute__((aligned(4096)));
static u8 rd_page[4096] __attribute__((aligned(4096)));
static u8 wr_page[4096] __attribute__((aligned(4096)));
static u8 untouched_page[4096] __attribute__((aligned(4096)));
static u8 user_stack[4096] __attribute__((aligned(4096)));
static u8 kstack[8192] __attribute__((aligned(16)));
static u32 tss[26] __attribute__((aligned(64)));
#define NOT_PRESENT 0x3000u
#define BIG_SV 0x800000u     /* 8 MiB: 4 MiB page, supervisor */
#define BIG_U 0x400000u      /* 4 MiB: 4 MiB page, user */

extern void user_main(u32 *pages);
extern char user_page_end[];
extern void isr128(void);
extern const u32 __fixup_start[], __fixup_end[];
extern u32 gdt[];
extern u8 idt[];

static u32 user_args[7];
static int faults;
static u32 saved_esp;

static u32 fixup(u32 eip) {
  for (const u32 *p = __fixup_start; p < __fixup_end; p += 2) if (p[0] == eip) return p[1];
  return 0;
}

static u32 pte(u32 va) { return pt0[va >> 12]; }

void kexc(struct frame *f) {
  if (f->vec == 0x80) {
    pr("back in ring 0 via int $0x80: eax=%x from cs=%x ss=%x\n", f->eax, f->cs, f->ss);
    /* Return to kmain's continuation: switch to the saved kernel stack. */
    asm volatile("mov %0, %%esp\n\tpopa\n\tret" : : "r"(saved_esp));
  }
  faults++;
  u32 cr2 = read_cr2();
  pr("exc %d err=%x cr2=%x cs=%x", f->vec, f->err, f->vec == 14 ? cr2 : 0, f->cs);
  if (f->cs & 3) pr(" ss=%x", f->ss & 0xffff);
  u32 next = fixup(f->eip);
  pr(" at=%s\n", next ? "fixup" : "?");
  if (!next) { pr("no fixup for eip %x\n", f->eip); outb(0xf4, 1); for (;;) asm volatile("hlt"); }
  f->eip = next;
}

static void set_gate(int n, void (*fn)(void), u16 type) {
  u32 a = (u32)fn;
  u8 *g = idt + n * 8;
  g[0] = a; g[1] = a >> 8; g[2] = 0x08; g[3] = 0; g[4] = 0; g[5] = type >> 8; g[6] = a >> 16; g[7] = a >> 24;
}

/* Enter ring 3 at user_main(user_args); returns when it does int $0x80. */
static void run_user(void) {
  asm volatile(
    "pusha\n\t"
    "push $1f\n\t"            /* where the int $0x80 handler's ret lands (after popa) */
    "pusha\n\t"
    "mov %%esp, %[save]\n\t"
    "mov %[ustk], %%eax\n\t"
    "movl %[args], -4(%%eax)\n\t"
    "sub $8, %%eax\n\t"        /* user_main's argument and a dummy return address */
    "push $0x23\n\t"
    "push %%eax\n\t"
    "push $0x002\n\t"
    "push $0x1b\n\t"
    "push $user_main\n\t"
    "mov $0x23, %%ax\n\t"
    "mov %%ax, %%ds\n\t"
    "mov %%ax, %%es\n\t"
    "iret\n"
    "1:\tpopa\n\t"
    "mov $0x10, %%ax\n\t"
    "mov %%ax, %%ds\n\t"
    "mov %%ax, %%es\n\t"
    : [save] "=m"(saved_esp)
    : [ustk] "r"(user_stack + sizeof user_stack), [args] "r"(user_args)
    : "eax", "memory");
}

static void show_ad(const char *name, u32 e) { pr(" %s=%s%s", name, e & PG_A ? "A" : "-", e & PG_D ? "D" : "-"); }

int kmain(u32 magic, u32 mbi) {
  serial_init();
  pr("PGTEST START\n");
  if (magic != 0x2badb002) { pr("bad multiboot magic %x\n", magic); return 1; }
  const u32 *mb = (const u32 *)mbi;
  pr("mbi flags=%x mem_lower=%d mem_upper=%d\n", mb[0] & 0x24f, mb[1], mb[2]);

  /* 0-4 MiB: 4 KiB pages, user-accessible except the supervisor page; 4-8 MiB user PSE; 8-12 MiB supervisor PSE. */
  for (u32 i = 0; i < 1024; i++) pt0[i] = (i << 12) | PG_P | PG_W | PG_U;
  pt0[(u32)sv_page >> 12] = (u32)sv_page | PG_P | PG_W;
  pt0[(u32)ro_upage >> 12] = (u32)ro_upage | PG_P | PG_U;
  pt0[NOT_PRESENT >> 12] = 0;
  pd[0] = (u32)pt0 | PG_P | PG_W | PG_U;
  pd[1] = BIG_U | PG_P | PG_W | PG_U | PG_PS;
  pd[2] = BIG_SV | PG_P | PG_W | PG_PS;
  write_cr4(read_cr4() | CR4_PSE);
  write_cr3((u32)pd);
  write_cr0(read_cr0() | CR0_PG | CR0_WP);
  pr("paging on: cr0.pg=%d cr0.wp=%d cr4.pse=%d\n", read_cr0() >> 31, (read_cr0() >> 16) & 1, (read_cr4() >> 4) & 1);

  /* TSS: the ring-0 stack for faults from ring 3. */
  tss[1] = (u32)(kstack + sizeof kstack);   /* esp0 */
  tss[2] = 0x10;                            /* ss0 */
  u32 base = (u32)tss, limit = sizeof tss - 1;
  gdt[10] = (limit & 0xffff) | (base << 16);
  gdt[11] = ((base >> 16) & 0xff) | 0x8900 | (limit & 0xf0000) | (base & 0xff000000);
  asm volatile("ltr %w0" : : "r"(0x28));
  set_gate(0x80, isr128, 0xee00);          /* DPL 3 interrupt gate */

  /* Clear the accessed/dirty bits the kernel's own accesses set, then go to ring 3. */
  for (u32 i = 0; i < 1024; i++) pt0[i] &= ~(PG_A | PG_D);
  pd[0] &= ~(PG_A | PG_D); pd[1] &= ~(PG_A | PG_D); pd[2] &= ~(PG_A | PG_D);
  write_cr3((u32)pd);
  user_args[0] = (u32)sv_page; user_args[1] = (u32)ro_upage; user_args[2] = NOT_PRESENT;
  user_args[3] = BIG_SV; user_args[4] = BIG_U; user_args[5] = (u32)rd_page; user_args[6] = (u32)wr_page;
  pr("sv_page=%x ro_upage=%x rd_page=%x wr_page=%x user_main=%x\n", (u32)sv_page, (u32)ro_upage, (u32)rd_page, (u32)wr_page, (u32)user_main);
  run_user();
  u32 seg;
  asm volatile("mov %%cs, %0" : "=r"(seg));
  pr("ring-3 faults: %d, now cs=%x\n", faults, seg & 0xffff);
  pr("a/d:");
  show_ad("rd", pte((u32)rd_page)); show_ad("wr", pte((u32)wr_page)); show_ad("untouched", pte((u32)untouched_page));
  show_ad("sv", pte((u32)sv_page)); show_ad("ro", pte((u32)ro_upage)); show_ad("code", pte((u32)user_main));
  show_ad("stack", pte((u32)user_stack)); show_ad("pde0", pd[0]); show_ad("pde1-big-u", pd[1]); show_ad("pde2-big-sv", pd[2]);
  pr("\n");
  pr("big user page word: %x\n", *(volatile u32 *)(BIG_U + 0x2000));

  /* Ring 0 and CR0.WP: a supervisor write to a read-only page faults only with WP set. */
  faults = 0;
  asm volatile("99:\tmovl $7, 0x28(%0)\n98:\n\t.pushsection .rodata.fixup, \"a\"\n\t.long 99b, 98b\n\t.popsection" : : "r"(ro_upage) : "memory");
  write_cr0(read_cr0() & ~CR0_WP);
  ((volatile u32 *)ro_upage)[10] = 8;
  pr("ring-0 write with WP=1: %d fault(s); with WP=0 it wrote %d\n", faults, ((volatile u32 *)ro_upage)[10]);
  write_cr0(read_cr0() | CR0_WP);

  /* Remap a page and INVLPG: the new mapping is seen. */
  untouched_page[0] = 0x11; rd_page[0] = 0x22;
  volatile u8 *p = untouched_page;
  u8 before = *p;
  pt0[(u32)untouched_page >> 12] = (u32)rd_page | PG_P | PG_W;
  invlpg((u32)untouched_page);
  u8 after = *p;
  pt0[(u32)untouched_page >> 12] = (u32)untouched_page | PG_P | PG_W | PG_U;
  invlpg((u32)untouched_page);
  pr("invlpg remap: %x -> %x -> %x\n", before, after, *p);

  /* A 4 MiB page and a 4 KiB page of the same frame see the same data. */
  *(volatile u32 *)(BIG_U + 0x10) = 0xfeedface;
  pd[3] = BIG_U | PG_P | PG_W | PG_PS;   /* alias 12 MiB -> 4 MiB */
  write_cr3((u32)pd);
  pr("alias: %x\n", *(volatile u32 *)(0xc00000 + 0x10));
  pr("PGTEST DONE\n");
  return 0;
}
