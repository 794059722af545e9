/* Minimal runtime support: exception dispatch and the mem* functions that
 * GCC may emit calls to even in freestanding mode. */
#include "types.h"
#include "exc.h"
#include "uart.h"

exc_hook_fn exc_hooks[EXC_NTYPES];
volatile u32 exc_recover_pc;

static const char *const exc_names[EXC_NTYPES] = {
    "reset", "undef", "svc", "pabt", "dabt", "hyp", "irq", "fiq"
};

static int exc_depth;

void exc_dispatch(struct exc_frame *f, int type)
{
    if (exc_depth > 0 || type <= 0 || type >= EXC_NTYPES || !exc_hooks[type]) {
        uart_puts("\n!! UNHANDLED EXCEPTION ");
        uart_puts(type > 0 && type < EXC_NTYPES ? exc_names[type] : "?");
        uart_puts(" pc=");
        uart_hex32(f->pc);
        uart_puts(" spsr=");
        uart_hex32(f->spsr);
        uart_puts(exc_depth > 0 ? " (nested)\n" : "\n");
        psci_system_off();
    }
    exc_depth++;
    exc_hooks[type](f, type);
    exc_depth--;
}

void *memcpy(void *dst, const void *src, unsigned n)
{
    u8 *d = dst;
    const u8 *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, unsigned n)
{
    u8 *d = dst;
    while (n--)
        *d++ = (u8)c;
    return dst;
}

void *memmove(void *dst, const void *src, unsigned n)
{
    u8 *d = dst;
    const u8 *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        d += n;
        s += n;
        while (n--)
            *--d = *--s;
    }
    return dst;
}

int memcmp(const void *a, const void *b, unsigned n)
{
    const u8 *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}
