/* Tiny polled PL011 print library (no newlib). */
#include "uart.h"

int uart_crlf = 1;

static inline u32 rd(u32 off) { return *(volatile u32 *)(UART0_BASE + off); }
static inline void wr(u32 off, u32 v) { *(volatile u32 *)(UART0_BASE + off) = v; }

static void raw_putc(char c)
{
    while (rd(UART_FR) & UART_FR_TXFF)
        ;
    wr(UART_DR, (u8)c);
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

/* Decimal by repeated subtraction: no divide instructions, no libgcc. */
void uart_dec(u32 v)
{
    static const u32 pow10[] = {
        1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
        10000u, 1000u, 100u, 10u, 1u
    };
    int started = 0;
    for (unsigned i = 0; i < sizeof(pow10) / sizeof(pow10[0]); i++) {
        char d = '0';
        while (v >= pow10[i]) {
            v -= pow10[i];
            d++;
        }
        if (d != '0' || started || i == 9) {
            uart_putc(d);
            started = 1;
        }
    }
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

int uart_rx_ready(void) { return !(rd(UART_FR) & UART_FR_RXFE); }

int uart_getc(void)
{
    while (rd(UART_FR) & UART_FR_RXFE)
        ;
    return (int)(rd(UART_DR) & 0xff);
}
