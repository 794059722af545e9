/*
 * Common start-up code for the tsemu bare-metal ARMv7-A firmware.
 *
 * QEMU "virt" with -bios maps this image at address 0 (CFI flash) and
 * starts the CPU at 0 in SVC mode with the MMU off.
 *
 * The vector table is position independent (ldr pc, [pc, #..] with a literal
 * table directly after it), so the 64 bytes at `vectors` can be copied
 * anywhere and used through VBAR.
 *
 * Every exception stub builds a `struct exc_frame` (see exc.h) on the stack
 * of the exception mode and calls exc_dispatch(frame, type).  The C side may
 * modify frame->pc / frame->spsr / frame->r[]; the stub then returns with
 * "ldm sp!, {r0-r12, pc}^", i.e. CPSR <- SPSR.
 */
    .syntax unified
    .arm

    .section .vectors, "ax"
    .global _start
    .global vectors
    .global vectors_end
vectors:
_start:
    ldr     pc, v_reset
    ldr     pc, v_undef
    ldr     pc, v_svc
    ldr     pc, v_pabt
    ldr     pc, v_dabt
    ldr     pc, v_hyp
    ldr     pc, v_irq
    ldr     pc, v_fiq
    .global vector_literals
vector_literals:
v_reset: .word reset_handler
v_undef: .word exc_undef
v_svc:   .word exc_svc
v_pabt:  .word exc_pabt
v_dabt:  .word exc_dabt
v_hyp:   .word exc_hyp
v_irq:   .word exc_irq
v_fiq:   .word exc_fiq
vectors_end:

    .section .text.start, "ax"
    .global reset_handler
reset_handler:
    /* Set up one stack per mode; keep A, I and F masked throughout. */
    msr     cpsr_c, #0xd1           /* FIQ */
    ldr     sp, =__fiq_stack_top
    msr     cpsr_c, #0xd2           /* IRQ */
    ldr     sp, =__irq_stack_top
    msr     cpsr_c, #0xd7           /* ABT */
    ldr     sp, =__abt_stack_top
    msr     cpsr_c, #0xdb           /* UND */
    ldr     sp, =__und_stack_top
    msr     cpsr_c, #0xdf           /* SYS (shares SP with USR) */
    ldr     sp, =__usr_stack_top
    msr     cpsr_c, #0xd3           /* back to SVC */
    ldr     sp, =__svc_stack_top

    /* Copy .data from flash to RAM. */
    ldr     r0, =__data_load
    ldr     r1, =__data_start
    ldr     r2, =__data_end
1:  cmp     r1, r2
    ldrlo   r3, [r0], #4
    strlo   r3, [r1], #4
    blo     1b

    /* Zero .bss. */
    ldr     r1, =__bss_start
    ldr     r2, =__bss_end
    mov     r3, #0
2:  cmp     r1, r2
    strlo   r3, [r1], #4
    blo     2b

    bl      main
    bl      psci_system_off
3:  b       3b
    .ltorg

/* ---------------------------------------------------------------------- */
/* Exception stubs.  frame layout (16 words, 8-byte aligned):
 *   [0] spsr  [1] pad  [2..14] r0-r12  [15] pc (return address)          */
    .text
.macro EXC_STUB name, adjust, type
    .global \name
\name:
    .if \adjust
    sub     lr, lr, #\adjust
    .endif
    push    {r0-r12, lr}
    mrs     r0, spsr
    sub     sp, sp, #8
    str     r0, [sp]
    mov     r0, sp
    mov     r1, #\type
    bl      exc_dispatch
    ldr     r0, [sp]
    msr     spsr_fsxc, r0
    add     sp, sp, #8
    ldm     sp!, {r0-r12, pc}^
.endm

/* frame->pc: undef/pabt/dabt: address of the faulting instruction;
 *            svc: address of the instruction after the SVC;
 *            irq/fiq: address of the interrupted instruction. */
    EXC_STUB exc_undef, 4, 1
    EXC_STUB exc_svc,   0, 2
    EXC_STUB exc_pabt,  4, 3
    EXC_STUB exc_dabt,  8, 4
    EXC_STUB exc_hyp,   0, 5
    EXC_STUB exc_irq,   4, 6
    EXC_STUB exc_fiq,   4, 7

/* ---------------------------------------------------------------------- */
/* PSCI over HVC. */
    .global psci_system_off
psci_system_off:
    ldr     r0, =0x84000008
    hvc     #0
1:  wfi
    b       1b

    .global psci_system_reset
psci_system_reset:
    ldr     r0, =0x84000009
    hvc     #0
1:  wfi
    b       1b
    .ltorg
