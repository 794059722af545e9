/*
 * demo.bin: small interactive monitor on the PL011 (polled RX/TX).
 *
 * Commands: help, echo TEXT, info, mem ADDR [N], add A B, count,
 *           reset, poweroff
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

#define LINE_MAX 80

static void p(const char *s) { uart_puts(s); }

/* ---------------------------------------------------------------------- */
/* Fault-safe word read for "mem": a data abort resumes at the failure
 * path via exc_recover_pc (see the dabt hook below).                     */

int demo_probe_read(u32 addr, u32 *val);
asm(".text\n"
    ".global demo_probe_read\n"
    "demo_probe_read:\n"
    "    ldr     r2, =exc_recover_pc\n"
    "    adr     r3, 1f\n"
    "    str     r3, [r2]\n"
    "    ldr     r3, [r0]\n"
    "    str     r3, [r1]\n"
    "    mov     r3, #0\n"
    "    str     r3, [r2]\n"
    "    mov     r0, #0\n"
    "    bx      lr\n"
    "1:  mov     r0, #1\n"
    "    bx      lr\n"
    "    .ltorg\n");

static u32 last_dfsr, last_dfar;

static void dabt_hook(struct exc_frame *f, int type)
{
    (void)type;
    asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(last_dfsr));
    asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(last_dfar));
    if (exc_recover_pc) {
        f->pc = exc_recover_pc;
        exc_recover_pc = 0;
        return;
    }
    p("\n!! data abort at pc=");
    uart_hex32(f->pc);
    p(" DFSR=");
    uart_hex32(last_dfsr);
    p(" DFAR=");
    uart_hex32(last_dfar);
    p("\n");
    psci_system_off();
}

/* ---------------------------------------------------------------------- */
/* Line input                                                             */

static int read_line(char *buf, int max)
{
    static int last_was_cr;
    int n = 0;
    for (;;) {
        int c = uart_getc();
        if (c == '\n' && last_was_cr) { /* CR LF: LF already handled */
            last_was_cr = 0;
            continue;
        }
        last_was_cr = (c == '\r');
        if (c == '\r' || c == '\n') {
            uart_putc('\n');
            buf[n] = 0;
            return n;
        }
        if (c == 0x08 || c == 0x7f) { /* backspace / delete */
            if (n > 0) {
                n--;
                p("\b \b");
            }
            continue;
        }
        if (c == 0x03) { /* Ctrl-C: abandon the line */
            p("^C\n");
            n = 0;
            buf[0] = 0;
            return -1;
        }
        if (c == 0x15) { /* Ctrl-U: erase the line */
            while (n > 0) {
                n--;
                p("\b \b");
            }
            continue;
        }
        if (c == '\t')
            c = ' ';
        if (c < 0x20 || c > 0x7e)
            continue;
        if (n < max - 1) {
            buf[n++] = (char)c;
            uart_putc((char)c);
        } else {
            uart_putc('\a');
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Parsing helpers                                                        */

static const char *skip_ws(const char *s)
{
    while (*s == ' ')
        s++;
    return s;
}

static int word_eq(const char *s, const char *w)
{
    while (*w && *s == *w) {
        s++;
        w++;
    }
    return *w == 0 && (*s == 0 || *s == ' ');
}

static const char *next_word(const char *s)
{
    while (*s && *s != ' ')
        s++;
    return skip_ws(s);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parse a number: optional '-', then 0x-prefixed hex or decimal (or hex
 * if force_hex).  Returns pointer past it, or NULL on error. */
static const char *parse_num(const char *s, u32 *out, int force_hex)
{
    int neg = 0, digits = 0;
    u32 v = 0;
    s = skip_ws(s);
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        force_hex = 1;
        s += 2;
    }
    if (force_hex) {
        int d;
        while ((d = hexval(*s)) >= 0) {
            v = (v << 4) | (u32)d;
            s++;
            digits++;
        }
    } else {
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (u32)(*s - '0');
            s++;
            digits++;
        }
    }
    if (!digits || (*s && *s != ' '))
        return NULL;
    *out = neg ? 0u - v : v;
    return s;
}

/* ---------------------------------------------------------------------- */
/* Commands                                                               */

static void cmd_help(void)
{
    p("commands:\n"
      "  help            this text\n"
      "  echo TEXT       print TEXT\n"
      "  info            show MIDR, MPIDR, SCTLR\n"
      "  mem ADDR [N]    dump N words (default 8, max 256) at hex ADDR\n"
      "  add A B         add two numbers (decimal, or hex with 0x)\n"
      "  count           show generic timer counter and uptime\n"
      "  reset           PSCI SYSTEM_RESET\n"
      "  poweroff        PSCI SYSTEM_OFF\n");
}

static void cmd_info(void)
{
    u32 midr, mpidr, sctlr;
    asm volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
    asm volatile("mrc p15, 0, %0, c0, c0, 5" : "=r"(mpidr));
    asm volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    p("MIDR  = 0x");
    uart_hex32(midr);
    p("  (implementer 0x");
    uart_hexn(midr >> 24, 2);
    p(", part 0x");
    uart_hexn((midr >> 4) & 0xfff, 3);
    p(", r");
    uart_dec((midr >> 20) & 0xf);
    p("p");
    uart_dec(midr & 0xf);
    p(")\nMPIDR = 0x");
    uart_hex32(mpidr);
    p("\nSCTLR = 0x");
    uart_hex32(sctlr);
    p("  (MMU ");
    p(sctlr & 1 ? "on" : "off");
    p(", D-cache ");
    p(sctlr & 4 ? "on" : "off");
    p(", I-cache ");
    p(sctlr & (1u << 12) ? "on" : "off");
    p(")\n");
}

static void cmd_mem(const char *args)
{
    u32 addr, n = 8;
    const char *s = parse_num(args, &addr, 1);
    if (!s) {
        p("usage: mem ADDR [N]\n");
        return;
    }
    s = skip_ws(s);
    if (*s && (!parse_num(s, &n, 0) || n == 0)) {
        p("usage: mem ADDR [N]\n");
        return;
    }
    if (addr & 3) {
        p("address must be word aligned\n");
        return;
    }
    if (n > 256)
        n = 256;
    for (u32 i = 0; i < n; i++) {
        u32 a = addr + i * 4, v;
        if ((i & 3) == 0) {
            if (i)
                p("\n");
            uart_hex32(a);
            p(":");
        }
        if (demo_probe_read(a, &v)) {
            p("\ndata abort reading 0x");
            uart_hex32(a);
            p(" (DFSR=0x");
            uart_hex32(last_dfsr);
            p(")\n");
            return;
        }
        p(" ");
        uart_hex32(v);
    }
    p("\n");
}

static void cmd_add(const char *args)
{
    u32 a, b;
    const char *s = parse_num(args, &a, 0);
    if (s)
        s = parse_num(s, &b, 0);
    if (!s || *skip_ws(s)) {
        p("usage: add A B\n");
        return;
    }
    u32 r = a + b;
    uart_sdec((s32)a);
    p(" + ");
    uart_sdec((s32)b);
    p(" = ");
    uart_sdec((s32)r);
    p(" (0x");
    uart_hex32(r);
    p(")\n");
}

/* 64 / 32 bit unsigned division by shift and subtract (no libgcc: the
 * toolchain's libgcc multilib for this target is Thumb code). */
static u64 udiv64(u64 n, u32 d, u32 *rem)
{
    u64 q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    *rem = (u32)r;
    return q;
}

static void cmd_count(void)
{
    u32 lo, hi, frq;
    asm volatile("isb\n\tmrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
    u64 cnt = ((u64)hi << 32) | lo;
    p("CNTFRQ = ");
    uart_dec(frq);
    p(" Hz\nCNTPCT = 0x");
    uart_hex32(hi);
    uart_hex32(lo);
    p("\n");
    if (frq == 0) {
        p("uptime: unknown (CNTFRQ is 0)\n");
        return;
    }
    u32 rem, rem2;
    u64 secs = udiv64(cnt, frq, &rem);
    u32 ms = (u32)udiv64((u64)rem * 1000, frq, &rem2);
    p("uptime = ");
    uart_dec((u32)secs);
    p(".");
    uart_putc('0' + ms / 100);
    uart_putc('0' + (ms / 10) % 10);
    uart_putc('0' + ms % 10);
    p(" s\n");
}

int main(void)
{
    static char line[LINE_MAX];
    exc_hooks[EXC_DABT] = dabt_hook;
    p("\ntsemu ARM demo\ntype 'help' for commands\n");
    for (;;) {
        p("demo> ");
        if (read_line(line, sizeof(line)) < 0)
            continue;
        const char *s = skip_ws(line);
        const char *args = next_word(s);
        if (!*s)
            continue;
        if (word_eq(s, "help"))
            cmd_help();
        else if (word_eq(s, "echo")) {
            p(args);
            p("\n");
        } else if (word_eq(s, "info"))
            cmd_info();
        else if (word_eq(s, "mem"))
            cmd_mem(args);
        else if (word_eq(s, "add"))
            cmd_add(args);
        else if (word_eq(s, "count"))
            cmd_count();
        else if (word_eq(s, "reset")) {
            p("resetting\n");
            psci_system_reset();
        } else if (word_eq(s, "poweroff")) {
            p("bye\n");
            psci_system_off();
        } else {
            p("unknown command: ");
            p(s);
            p(" (try 'help')\n");
        }
    }
}
