/* x86 platform layer for the ARM benchmark workloads (firmware/arm/bench-hash.c,
   bench-mix.c), built unchanged as multiboot kernels: the uart.h print
   functions on COM1 (polled 16550), psci_system_off() as isa-debug-exit
   (port 0xf4, value 0: QEMU exits with status 1), and kmain() for start.S.
   The output bytes are the same as the ARM builds' (CR LF line ends). */
#include "kernel.h"
#include "../arm/uart.h"
#include "../arm/exc.h"

int main(void);

int uart_crlf = 1;

static void raw_putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (u8)c);
}

void uart_putc(char c)
{
    if (c == '\n' && uart_crlf)
        raw_putc('\r');
    raw_putc(c);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_hexn(u32 v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--)
        uart_putc(hex[(v >> (i * 4)) & 0xf]);
}

void uart_hex32(u32 v) { uart_hexn(v, 8); }

void uart_dec(u32 v)
{
    char b[10];
    int n = 0;
    do { b[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n)
        uart_putc(b[--n]);
}

void uart_sdec(s32 v)
{
    if (v < 0) {
        uart_putc('-');
        uart_dec(0u - (u32)v);
    } else {
        uart_dec((u32)v);
    }
}

int uart_rx_ready(void) { return inb(COM1 + 5) & 1; }

int uart_getc(void)
{
    while (!uart_rx_ready())
        ;
    return inb(COM1);
}

static __attribute__((noreturn)) void debug_exit(u8 v)
{
    outb(0xf4, v);
    for (;;)
        asm volatile("cli; hlt");
}

void psci_system_off(void) { debug_exit(0); }
void psci_system_reset(void) { debug_exit(2); }

void kexc(struct frame *f)
{
    uart_puts("\nunexpected exception ");
    uart_dec(f->vec);
    uart_puts(" err=");
    uart_hex32(f->err);
    uart_puts(" eip=");
    uart_hex32(f->eip);
    uart_puts("\n");
    debug_exit(1);
}

int kmain(u32 magic, u32 mbi)
{
    (void)mbi;
    serial_init();
    if (magic != 0x2badb002) {
        uart_puts("bad multiboot magic\n");
        return 1;
    }
    return main();
}
