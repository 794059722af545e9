/* The multiboot half of x86test: COM1 output, paging with a few holes so
   the #PF tests fault the same way as the native process, IDT handlers that
   record the exception and resume at fault_resume. */
#include "common.h"
#include "kernel.h"

volatile struct fault last_fault;

void kexc(struct frame *f) {
  if (!guard_active) {
    pr("\nunexpected exception %d err=%x eip=%x cr2=%x\n", f->vec, f->err, f->eip, read_cr2());
    outb(0xf4, 1);
    for (;;) asm volatile("hlt");
  }
  last_fault.vec = f->vec;
  last_fault.err = f->err;
  last_fault.cr2 = read_cr2();
  last_fault.eip = f->eip;
  f->eip = (u32)fault_resume;
}

static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt0[1024] __attribute__((aligned(4096)));

int kmain(u32 magic, u32 mbi) {
  (void)mbi;
  serial_init();
  if (magic != 0x2badb002) { pr("bad multiboot magic %x\n", magic); return 1; }
  /* Identity map 0-4 MiB with 4 KiB pages: UNMAPPED_A/B not present, ro_page read-only. */
  for (u32 i = 0; i < 1024; i++) pt0[i] = (i << 12) | 3;
  pt0[UNMAPPED_A >> 12] = 0;
  pt0[UNMAPPED_B >> 12] = 0;
  pt0[(u32)ro_page >> 12] &= ~2u;
  pd[0] = (u32)pt0 | 3;
  write_cr3((u32)pd);
  write_cr0(read_cr0() | CR0_PG | CR0_WP);
  x86test_main();
  return 0;
}
