#include "kernel.h"
void xputc(int c) {
  while (!(inb(COM1 + 5) & 0x20)) { }
  outb(COM1, c);
}
