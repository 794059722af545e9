/* hello.bin: minimal smoke test for the tsemu ARM machine. */
#include "types.h"
#include "uart.h"
#include "exc.h"

int main(void)
{
    u32 midr;
    asm volatile("mrc p15, 0, %0, c0, c0, 0" : "=r"(midr));
    uart_puts("Hello from tsemu firmware!\n");
    uart_puts("MIDR=");
    uart_hex32(midr);
    uart_puts("\n");
    psci_system_off();
}
