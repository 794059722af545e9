#ifndef TSEMU_UART_H
#define TSEMU_UART_H
#include "types.h"

#define UART0_BASE  0x09000000u
#define UART_DR     0x00
#define UART_FR     0x18
#define UART_FR_TXFF (1u << 5)
#define UART_FR_RXFE (1u << 4)

/* If non-zero (the default) uart_putc('\n') emits "\r\n". */
extern int uart_crlf;

void uart_putc(char c);
void uart_puts(const char *s);
void uart_hex32(u32 v);            /* exactly 8 lowercase hex digits */
void uart_hexn(u32 v, int digits); /* `digits` lowercase hex digits */
void uart_dec(u32 v);              /* unsigned decimal */
void uart_sdec(s32 v);             /* signed decimal */
int  uart_getc(void);              /* blocking, polled */
int  uart_rx_ready(void);
#endif
