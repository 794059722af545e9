/*
 * The CMOS RTC (multiboot kernel): its reset register values, the NVRAM
 * bytes QEMU's PC fills in (memory sizes, CPU count), update-ended
 * interrupts on IRQ 8 through the slave 8259, and periodic interrupts
 * counted between two updates. Prints nothing that depends on the date.
 * Expected output: qemu-system-i386.
 */
#include "common.h"
#include "kernel.h"

volatile struct fault last_fault;
volatile int guard_active;
char fault_resume[1];

extern const u32 irq_stubs[16];
extern u8 idt[];
static volatile int uf, pf, irq8;

static void set_gate(int n, u32 a) {
  u8 *g = idt + n * 8;
  g[0] = a; g[1] = a >> 8; g[2] = 0x08; g[3] = 0; g[4] = 0; g[5] = 0x8e; g[6] = a >> 16; g[7] = a >> 24;
}
static u32 cmos(u32 i) { outb(0x70, i); return inb(0x71); }
static void cmos_w(u32 i, u32 v) { outb(0x70, i); outb(0x71, v); }

void kexc(struct frame *f) {
  if (f->vec < 0x20) { pr("unexpected exception %d eip=%x\n", f->vec, f->eip); outb(0xf4, 1); for (;;) asm volatile("hlt"); }
  if (f->vec == 0x28) {
    irq8++;
    u32 c = cmos(0x0c);
    if (c & 0x10) uf++;
    if (c & 0x40) pf++;
    outb(0xa0, 0x20);
  }
  outb(0x20, 0x20);
}

int kmain(u32 magic, u32 mbi) {
  (void)magic; (void)mbi;
  serial_init();
  pr("RTCTEST START\n");
  pr("regs: a=%x b=%x d=%x\n", cmos(0x0a) & 0x7f, cmos(0x0b), cmos(0x0d));
  pr("nvram: base=%d ext=%d ext2=%d above16m=%d above4g=%x cpus-1=%d\n",
     cmos(0x15) | cmos(0x16) << 8, cmos(0x17) | cmos(0x18) << 8, cmos(0x30) | cmos(0x31) << 8,
     cmos(0x34) | cmos(0x35) << 8, cmos(0x5b) | cmos(0x5c) << 8 | cmos(0x5d) << 16, cmos(0x5f));
  cmos_w(0x40, 0xa5);
  pr("scratch: %x\n", cmos(0x40));

  for (int i = 0; i < 16; i++) set_gate(0x20 + i, irq_stubs[i]);
  outb(0x20, 0x11); outb(0xa0, 0x11); outb(0x21, 0x20); outb(0xa1, 0x28);
  outb(0x21, 0x04); outb(0xa1, 0x02); outb(0x21, 0x01); outb(0xa1, 0x01);
  outb(0x21, 0xfb); outb(0xa1, 0xfe);            /* cascade and IRQ 8 only */
  cmos(0x0c);
  cmos_w(0x0b, 0x12);                            /* 24h BCD, update-ended interrupt */
  while (uf < 2) asm volatile("sti; hlt; cli");
  pr("update interrupts: %d\n", uf);
  /* periodic at 2 Hz (rate 15) together with updates: between two updates two or three periodic ticks */
  cmos_w(0x0a, 0x2f);
  cmos_w(0x0b, 0x52);
  int u0 = uf;
  while (uf < u0 + 1) asm volatile("sti; hlt; cli");
  int p0 = pf;
  while (uf < u0 + 3) asm volatile("sti; hlt; cli");
  int d = pf - p0;
  pr("periodic ticks in 2 s: %s\n", d >= 3 && d <= 5 ? "about 4" : "wrong");
  cmos_w(0x0b, 0x02);
  cmos(0x0c);
  pr("RTCTEST DONE\n");
  return 0;
}
