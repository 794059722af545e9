/*
 * The 8254 PIT through the 8259 (multiboot kernel): channel 0 at 1 kHz in
 * mode 2 counted through IRQ 0, the read-back status, counter latching, and
 * channel 2 in mode 0 gated by port 0x61 with its output polled in bit 5 (as
 * Linux calibrates its TSC). Prints only what does not depend on host speed.
 * Expected output: qemu-system-i386.
 */
#include "common.h"
#include "kernel.h"

volatile struct fault last_fault;
volatile int guard_active;
char fault_resume[1];

extern const u32 irq_stubs[16];
extern u8 idt[];
static volatile int ticks, other;

static void set_gate(int n, u32 a) {
  u8 *g = idt + n * 8;
  g[0] = a; g[1] = a >> 8; g[2] = 0x08; g[3] = 0; g[4] = 0; g[5] = 0x8e; g[6] = a >> 16; g[7] = a >> 24;
}

void kexc(struct frame *f) {
  if (f->vec < 0x20) { pr("unexpected exception %d eip=%x\n", f->vec, f->eip); outb(0xf4, 1); for (;;) asm volatile("hlt"); }
  if (f->vec == 0x20) ticks++; else other++;
  outb(0x20, 0x20);
}

static u32 latch0(void) { outb(0x43, 0x00); u32 lo = inb(0x40); return lo | inb(0x40) << 8; }

int kmain(u32 magic, u32 mbi) {
  (void)magic; (void)mbi;
  serial_init();
  pr("PITTEST START\n");
  for (int i = 0; i < 16; i++) set_gate(0x20 + i, irq_stubs[i]);
  outb(0x20, 0x11); outb(0xa0, 0x11); outb(0x21, 0x20); outb(0xa1, 0x28);
  outb(0x21, 0x04); outb(0xa1, 0x02); outb(0x21, 0x01); outb(0xa1, 0x01);
  outb(0x21, 0xfe); outb(0xa1, 0xff);            /* only IRQ 0 */

  outb(0x43, 0x34);                              /* channel 0, lobyte/hibyte, mode 2 */
  outb(0x40, 1193 & 0xff); outb(0x40, 1193 >> 8);
  outb(0x43, 0xe2);                              /* read-back status of channel 0 */
  pr("ch0 status=%x\n", inb(0x40) & 0x3f);
  u32 c1 = latch0();
  pr("ch0 count in range: %d\n", c1 >= 1 && c1 <= 1193);
  while (ticks < 20) asm volatile("sti; hlt; cli");
  pr("ticks=%d other=%d\n", ticks, other);
  outb(0x21, 0xff);

  /* channel 2, mode 0, gate through port 0x61 (speaker off) */
  outb(0x61, (inb(0x61) & ~0x02) | 0x01);
  outb(0x43, 0xb0);
  outb(0x42, 0xff); outb(0x42, 0x2f);            /* 0x2fff ticks, about 10 ms */
  pr("ch2 out after load=%d gate=%d\n", (inb(0x61) >> 5) & 1, inb(0x61) & 1);
  u32 polls = 0;
  while (!(inb(0x61) & 0x20)) polls++;
  pr("ch2 out went high (polled %s)\n", polls ? "several times" : "once");
  outb(0x43, 0xe8);
  pr("ch2 status=%x\n", inb(0x42));
  pr("PITTEST DONE\n");
  return 0;
}
