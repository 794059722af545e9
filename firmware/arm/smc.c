/*
 * smc.bin: self-modifying code. Builds small functions in RAM, runs them
 * until they are hot (so a JIT has compiled them), rewrites them, and runs
 * them again: the new code must run, with the cache maintenance ARMv7
 * requires (DCCMVAU, ICIALLU, DSB, ISB). Also rewrites an instruction in the
 * same page as a running loop, and one on the second page of a loop that
 * crosses a page boundary. Prints a checksum of every result.
 */
#include "types.h"
#include "uart.h"
#include "exc.h"

static u32 code[64] __attribute__((aligned(4096)));
static u32 xcode[2048] __attribute__((aligned(4096)));

static void sync_code(void *p, unsigned n)
{
    for (unsigned i = 0; i < n; i += 4)
        asm volatile("mcr p15, 0, %0, c7, c11, 1" :: "r"((u32)p + i)); /* DCCMVAU */
    asm volatile("dsb\n mcr p15, 0, %0, c7, c5, 0\n dsb\n isb" :: "r"(0) : "memory"); /* ICIALLU */
}

typedef u32 (*fn1)(u32);
typedef u32 (*fn2)(u32, u32);

int main(void)
{
    u32 sum = 0;
    /* f(x) = x + imm; ret */
    for (u32 round = 0; round < 40; round++) {
        code[0] = 0xe2800000u | (round & 0xff);   /* add r0, r0, #round */
        code[1] = 0xe12fff1eu;                    /* bx lr */
        sync_code(code, 8);
        fn1 f = (fn1)(void *)code;
        for (u32 i = 0; i < 100; i++) sum = sum * 31 + f(i);
        uart_puts("round ");
        uart_dec(round);
        uart_puts(" f(1000)=");
        uart_dec(f(1000));
        uart_puts("\n");
    }
    /* A loop that patches its own body: each pass rewrites the constant it adds next time. */
    code[8]  = 0xe3a00000u;     /* mov r0, #0            */
    code[9]  = 0xe3a01000u;     /* mov r1, #0   (count)  */
    code[10] = 0xe2800001u;     /* add r0, r0, #1  <- patched */
    code[11] = 0xe2811001u;     /* add r1, r1, #1        */
    code[12] = 0xe3510010u;     /* cmp r1, #16           */
    code[13] = 0x1afffffbu;     /* bne code[10]          */
    code[14] = 0xe12fff1eu;     /* bx lr                 */
    sync_code(&code[8], 7 * 4);
    fn1 g = (fn1)(void *)&code[8];
    for (u32 k = 1; k <= 20; k++) {
        code[10] = 0xe2800000u | k;   /* add r0, r0, #k */
        sync_code(&code[10], 4);
        u32 r = g(0);
        sum = sum * 31 + r;
        uart_puts("patch ");
        uart_dec(k);
        uart_puts(" -> ");
        uart_dec(r);
        uart_puts("\n");
    }
    /* A loop across a page boundary (a JIT region with members on two pages); each pass
     * rewrites the instruction on the second page, which must drop the whole region. */
    xcode[1020] = 0xe2800001u;  /* add r0, r0, #1        (first page)  */
    xcode[1021] = 0xe2511001u;  /* subs r1, r1, #1                     */
    xcode[1022] = 0xea000000u;  /* b xcode[1024]                       */
    xcode[1023] = 0xe1a00000u;  /* nop                                 */
    xcode[1024] = 0xe2800001u;  /* add r0, r0, #1 <- patched (second page) */
    xcode[1025] = 0xe3510000u;  /* cmp r1, #0                          */
    xcode[1026] = 0x1afffff8u;  /* bne xcode[1020]                     */
    xcode[1027] = 0xe12fff1eu;  /* bx lr                               */
    sync_code(&xcode[1020], 8 * 4);
    fn2 h = (fn2)(void *)&xcode[1020];
    for (u32 k = 1; k <= 12; k++) {
        xcode[1024] = 0xe2800000u | k;  /* add r0, r0, #k */
        sync_code(&xcode[1024], 4);
        u32 r = h(0, 3000);
        sum = sum * 31 + r;
        uart_puts("cross-page ");
        uart_dec(k);
        uart_puts(" -> ");
        uart_dec(r);
        uart_puts("\n");
    }
    uart_puts("SMC checksum ");
    uart_hex32(sum);
    uart_puts("\nSMC DONE\n");
    psci_system_off();
}
