/*
 * Interrupts through the 8259 PICs from the 16550 (multiboot kernel): the
 * PICs remapped to 0x20/0x28 as Linux does, COM1 on IRQ 4 with the THR-empty
 * interrupt, then receive interrupts for input typed on the serial line
 * (the test sends "irq!" and the kernel stops at '!'), the PIC's IRR/ISR as
 * seen from the handler, masking, and a spurious-free EOI sequence.
 * Expected output: qemu-system-i386 with the same input.
 */
#include "common.h"
#include "kernel.h"

volatile struct fault last_fault;
volatile int guard_active;
char fault_resume[1];

extern const u32 irq_stubs[16];
extern u8 idt[];

static volatile int thre, rx_done, irqs;
static volatile u32 log_[64];
static volatile int nlog;

static void set_gate(int n, u32 a) {
  u8 *g = idt + n * 8;
  g[0] = a; g[1] = a >> 8; g[2] = 0x08; g[3] = 0; g[4] = 0; g[5] = 0x8e; g[6] = a >> 16; g[7] = a >> 24;
}

void kexc(struct frame *f) {
  if (f->vec < 0x20) {
    pr("unexpected exception %d err=%x eip=%x\n", f->vec, f->err, f->eip);
    outb(0xf4, 1);
    for (;;) asm volatile("hlt");
  }
  irqs++;
  outb(0x20, 0x0b);
  u32 isr = inb(0x20);
  outb(0x20, 0x0a);
  u32 iir = inb(COM1 + 2);
  if (f->vec == 0x24) {
    if ((iir & 0x0f) == 0x02) { thre++; outb(COM1 + 1, inb(COM1 + 1) & ~0x02); }
    while (inb(COM1 + 5) & 1) {
      u32 c = inb(COM1);
      if (nlog < 64) log_[nlog++] = (c << 16) | (iir << 8) | isr;
      if (c == '!') rx_done = 1;
    }
  }
  outb(0x20, 0x20);   /* EOI */
}

int kmain(u32 magic, u32 mbi) {
  (void)magic; (void)mbi;
  serial_init();
  outb(COM1 + 2, 0x00);           /* no FIFOs: one interrupt per character */
  pr("IRQTEST START\n");
  for (int i = 0; i < 16; i++) set_gate(0x20 + i, irq_stubs[i]);
  /* ICW1-4 for both PICs, vectors 0x20 and 0x28, then mask all but IRQ 4 and the cascade */
  outb(0x20, 0x11); outb(0xa0, 0x11);
  outb(0x21, 0x20); outb(0xa1, 0x28);
  outb(0x21, 0x04); outb(0xa1, 0x02);
  outb(0x21, 0x01); outb(0xa1, 0x01);
  outb(0x21, 0xeb); outb(0xa1, 0xff);
  pr("imr: master=%x slave=%x\n", inb(0x21), inb(0xa1));

  /* THR empty interrupt: enabling ETBEI with the transmitter idle raises it at once */
  outb(COM1 + 1, 0x02);
  asm volatile("sti; nop; cli");
  pr("thre interrupts: %d ier=%x\n", thre, inb(COM1 + 1));

  /* masked at the PIC: the UART raises its line, nothing is delivered until unmasked */
  outb(0x21, 0xfb);
  outb(COM1 + 1, 0x02);
  asm volatile("sti; nop; nop; cli");
  outb(0x20, 0x0a);
  pr("masked: thre=%d irr=%x\n", thre, inb(0x20) & 0x10);
  outb(0x21, 0xeb);
  asm volatile("sti; nop; cli");
  pr("unmasked: thre=%d\n", thre);

  /* receive interrupts: wait for the host's input */
  outb(COM1 + 1, 0x01);
  pr("ready\n");
  while (!rx_done) asm volatile("sti; hlt; cli");
  for (int i = 0; i < nlog; i++) pr("rx '%c' iir=%x isr=%x\n", log_[i] >> 16, (log_[i] >> 8) & 0xff, log_[i] & 0xff);
  outb(0x20, 0x0b);
  pr("after: isr=%x\n", inb(0x20));
  pr("IRQTEST DONE\n");
  return 0;
}
