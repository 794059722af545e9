/*
 * Assembly helpers for a32test.c: things that cannot be expressed safely
 * with inline assembly (mode switching, banked registers, exception return,
 * branches, fault probes).
 *
 * All functions follow the AAPCS and are called from SVC mode.
 */
    .syntax unified
    .arm
    .text

/* ---------------------------------------------------------------------- */
/* Fault probes.  A data/prefetch abort hook in a32test.c resumes execution
 * at exc_recover_pc, which each probe points at its own failure path.     */

/* int probe_read(u32 addr, u32 *val): 0 = ok, 1 = aborted */
    .global probe_read
probe_read:
    ldr     r2, =exc_recover_pc
    adr     r3, 1f
    str     r3, [r2]
    ldr     r3, [r0]
    str     r3, [r1]
    mov     r0, #0
    bx      lr
1:  mov     r0, #1
    bx      lr

/* int probe_write(u32 addr, u32 val) */
    .global probe_write
probe_write:
    ldr     r2, =exc_recover_pc
    adr     r3, 1f
    str     r3, [r2]
    str     r1, [r0]
    mov     r0, #0
    bx      lr
1:  mov     r0, #1
    bx      lr

/* int probe_ldrt(u32 addr, u32 *val): unprivileged load */
    .global probe_ldrt
probe_ldrt:
    ldr     r2, =exc_recover_pc
    adr     r3, 1f
    str     r3, [r2]
    ldrt    r3, [r0]
    str     r3, [r1]
    mov     r0, #0
    bx      lr
1:  mov     r0, #1
    bx      lr

/* int probe_strt(u32 addr, u32 val): unprivileged store */
    .global probe_strt
probe_strt:
    ldr     r2, =exc_recover_pc
    adr     r3, 1f
    str     r3, [r2]
    strt    r1, [r0]
    mov     r0, #0
    bx      lr
1:  mov     r0, #1
    bx      lr

/* u32 probe_exec(u32 addr): calls addr (ARM code); 0xffffffff if it aborted */
    .global probe_exec
probe_exec:
    push    {r4, lr}
    ldr     r2, =exc_recover_pc
    adr     r3, 1f
    str     r3, [r2]
    blx     r0
    pop     {r4, pc}
1:  mvn     r0, #0
    pop     {r4, pc}

/* Position independent leaf, executed through MMU aliases. */
    .global ret42
ret42:
    mov     r0, #42
    bx      lr
    .ltorg

/* ---------------------------------------------------------------------- */
/* Branch tests.  r0 = u32 out[16].                                        */
    .global branch_tests
branch_tests:
    push    {r4-r8, lr}
    mov     r4, r0

    /* [0] BL: LR = address of the following instruction (offset from it) */
    bl      bl_ret
bl_ret:
    adr     r1, bl_ret
    sub     r2, lr, r1
    str     r2, [r4, #0]

    /* [1] B forward skips two instructions */
    mov     r1, #0
    b       2f
    orr     r1, r1, #1
    orr     r1, r1, #2
2:  orr     r1, r1, #4
    str     r1, [r4, #4]

    /* [2] backward loop with SUBS/BNE: 5 iterations, += 3 */
    mov     r1, #5
    mov     r2, #0
3:  add     r2, r2, #3
    subs    r1, r1, #1
    bne     3b
    str     r2, [r4, #8]

    /* [3] BLNE not taken: LR unchanged */
    ldr     lr, =0x12345678
    movs    r1, #0
    blne    branch_bad
    str     lr, [r4, #12]

    /* [4] BLX register to ARM code: LR = return address */
    adr     r1, get_lr
    blx     r1
blx_ret:
    adr     r2, blx_ret
    sub     r0, r0, r2
    str     r0, [r4, #16]

    /* [5] BX register to ARM code */
    mov     r2, #0
    adr     r1, 5f
    bx      r1
    orr     r2, r2, #1
5:  orr     r2, r2, #2
    str     r2, [r4, #20]

    /* [6] MOV pc, reg */
    mov     r2, #0
    adr     r1, 6f
    mov     pc, r1
    orr     r2, r2, #1
6:  orr     r2, r2, #4
    str     r2, [r4, #24]

    /* [7] LDR pc, [literal] */
    mov     r2, #0
    ldr     pc, =7f
    orr     r2, r2, #1
7:  orr     r2, r2, #8
    str     r2, [r4, #28]

    /* [8] PUSH lr / POP pc via a nested BL */
    bl      push_pop_leaf
pp_ret:
    adr     r2, pp_ret
    sub     r0, r0, r2
    str     r0, [r4, #32]

    /* [9] reading PC gives address of the instruction + 8 */
pc_read:
    mov     r1, pc
    adr     r2, pc_read
    sub     r1, r1, r2
    str     r1, [r4, #36]

    /* [10] BLEQ taken */
    ldr     lr, =0x12345678
    cmp     r1, r1
    bleq    get_lr
bleq_ret:
    adr     r2, bleq_ret
    sub     r0, r0, r2
    str     r0, [r4, #40]

    /* [11] computed jump: ADD pc, pc, r1, LSL #2 (jump table) */
    mov     r1, #2
    mov     r2, #0
    add     pc, pc, r1, lsl #2
    nop
    b       11f                 /* index 0 */
    b       12f                 /* index 1 */
    orr     r2, r2, #0x20       /* index 2 */
    orr     r2, r2, #0x40
    b       13f
11: orr     r2, r2, #1
    b       13f
12: orr     r2, r2, #2
13: str     r2, [r4, #44]

    pop     {r4-r8, pc}

get_lr:
    mov     r0, lr
    bx      lr

push_pop_leaf:
    push    {lr}
    mov     r0, lr
    pop     {pc}

branch_bad:
    mov     r0, #0xbad
    b       psci_system_off
    .ltorg

/* ---------------------------------------------------------------------- */
/* Banked registers.  r0 = u32 out[64] (layout documented in a32test.c).   */
    .global mode_banks
mode_banks:
    push    {r4-r11, lr}
    mrs     r7, cpsr
    mov     r2, #0
    msr     APSR_nzcvqg, r2         /* fixed flags: CPSRs below are printed */
    ldr     r1, =bank_save

    /* save the real SPs/LRs of every mode */
    str     sp, [r1, #0]
    str     lr, [r1, #4]
    cps     #0x11
    str     sp, [r1, #8]
    str     lr, [r1, #12]
    cps     #0x12
    str     sp, [r1, #16]
    str     lr, [r1, #20]
    cps     #0x17
    str     sp, [r1, #24]
    str     lr, [r1, #28]
    cps     #0x1b
    str     sp, [r1, #32]
    str     lr, [r1, #36]
    cps     #0x1f
    str     sp, [r1, #40]
    str     lr, [r1, #44]
    cps     #0x13

    /* --- write phase: distinct values in every bank --- */
    mov     r8, #0x08
    mov     r9, #0x09
    mov     r10, #0x0a
    mov     r11, #0x0b
    mov     r12, #0x0c
    ldr     sp, =0x53500013
    ldr     lr, =0x4c520013
    ldr     r2, =0xf0000010
    msr     spsr_fsxc, r2

    cps     #0x11                   /* FIQ via CPS */
    mov     r8, #0xf8
    mov     r9, #0xf9
    mov     r10, #0xfa
    mov     r11, #0xfb
    mov     r12, #0xfc
    ldr     sp, =0x53500011
    ldr     lr, =0x4c520011
    ldr     r2, =0x10000010
    msr     spsr_fsxc, r2

    msr     cpsr_c, #0xd2           /* IRQ via MSR */
    ldr     sp, =0x53500012
    ldr     lr, =0x4c520012
    ldr     r2, =0x20000010
    msr     spsr_fsxc, r2

    cps     #0x17                   /* ABT */
    ldr     sp, =0x53500017
    ldr     lr, =0x4c520017
    ldr     r2, =0x40000010
    msr     spsr_fsxc, r2

    msr     cpsr_c, #0xdb           /* UND */
    ldr     sp, =0x5350001b
    ldr     lr, =0x4c52001b
    ldr     r2, =0x80000010
    msr     spsr_fsxc, r2

    cps     #0x1f                   /* SYS = USR registers */
    ldr     sp, =0x5350001f
    ldr     lr, =0x4c52001f

    /* --- read phase (different order, other switch method) --- */
    msr     cpsr_c, #0xd1           /* FIQ */
    mrs     r2, cpsr
    mrs     r3, spsr
    stmia   r0!, {r2, r3, r8-r12, sp, lr}      /* 9 words */
    cps     #0x1b                   /* UND */
    mrs     r2, cpsr
    mrs     r3, spsr
    stmia   r0!, {r2, r3, r8-r12, sp, lr}
    msr     cpsr_c, #0xd7           /* ABT */
    mrs     r2, cpsr
    mrs     r3, spsr
    stmia   r0!, {r2, r3, r8-r12, sp, lr}
    cps     #0x12                   /* IRQ */
    mrs     r2, cpsr
    mrs     r3, spsr
    stmia   r0!, {r2, r3, r8-r12, sp, lr}
    msr     cpsr_c, #0xd3           /* SVC */
    mrs     r2, cpsr
    mrs     r3, spsr
    stmia   r0!, {r2, r3, r8-r12, sp, lr}
    cps     #0x1f                   /* SYS: no SPSR, store 0 in its slot */
    mrs     r2, cpsr
    mov     r3, #0
    stmia   r0!, {r2, r3, r8-r12, sp, lr}

    /* --- restore --- */
    cps     #0x11
    ldr     sp, [r1, #8]
    ldr     lr, [r1, #12]
    cps     #0x12
    ldr     sp, [r1, #16]
    ldr     lr, [r1, #20]
    cps     #0x17
    ldr     sp, [r1, #24]
    ldr     lr, [r1, #28]
    cps     #0x1b
    ldr     sp, [r1, #32]
    ldr     lr, [r1, #36]
    cps     #0x1f
    ldr     sp, [r1, #40]
    ldr     lr, [r1, #44]
    cps     #0x13
    ldr     sp, [r1, #0]
    ldr     lr, [r1, #4]
    msr     cpsr_fsxc, r7
    pop     {r4-r11, pc}
    .ltorg

/* ---------------------------------------------------------------------- */
/* STM/LDM (user registers).  r0 = u32 out[32].
 * out[0..6]   STMIA {r8-r14}^ from SVC
 * out[8..14]  STMIA {r8-r14}^ from FIQ (FIQ r8-r12 hold 0xf8..0xfc)
 * out[16..17] user SP/LR after LDMIA {r13,r14}^ from SVC
 * out[18..19] user r8/r9 after LDMIA {r8,r9}^ from FIQ
 * out[20..21] FIQ r8/r9 after that LDM
 */
    .global user_regs_test
user_regs_test:
    push    {r4-r11, lr}
    mov     r4, r0
    ldr     r5, =bank_save
    mrs     r7, cpsr

    cps     #0x1f                   /* set user SP/LR through SYS mode */
    str     sp, [r5, #40]
    str     lr, [r5, #44]
    ldr     sp, =0x55535010
    ldr     lr, =0x554c5210
    cps     #0x13
    str     lr, [r5, #4]
    mov     r8, #0x08
    mov     r9, #0x09
    mov     r10, #0x0a
    mov     r11, #0x0b
    mov     r12, #0x0c
    ldr     lr, =0x4c520013

    stmia   r4, {r8-r14}^           /* from SVC: user SP/LR, not SVC LR */
    nop

    cps     #0x11
    str     r8, [r5, #48]           /* keep the FIQ bank intact */
    str     r9, [r5, #52]
    str     r10, [r5, #56]
    str     r11, [r5, #60]
    str     r12, [r5, #64]
    mov     r8, #0xf8
    mov     r9, #0xf9
    mov     r10, #0xfa
    mov     r11, #0xfb
    mov     r12, #0xfc
    add     r0, r4, #32
    stmia   r0, {r8-r14}^           /* from FIQ: user r8-r12 too */
    nop
    cps     #0x13

    ldr     r0, =user_ld_vals
    ldmia   r0, {r13, r14}^         /* load user SP/LR from SVC */
    nop
    cps     #0x1f
    str     sp, [r4, #64]
    str     lr, [r4, #68]
    cps     #0x11
    add     r0, r0, #8
    ldmia   r0, {r8, r9}^           /* load user r8/r9 from FIQ */
    nop
    str     r8, [r4, #80]           /* FIQ r8/r9 unchanged */
    str     r9, [r4, #84]
    ldr     r8, [r5, #48]
    ldr     r9, [r5, #52]
    ldr     r10, [r5, #56]
    ldr     r11, [r5, #60]
    ldr     r12, [r5, #64]
    cps     #0x1f
    str     r8, [r4, #72]
    str     r9, [r4, #76]
    ldr     sp, [r5, #40]
    ldr     lr, [r5, #44]
    cps     #0x13
    ldr     lr, [r5, #4]
    msr     cpsr_fsxc, r7
    pop     {r4-r11, pc}
    .ltorg

/* ---------------------------------------------------------------------- */
/* Exception-return instructions.  r0 = u32 out[8]: CPSR seen after each.   */
    .global exc_return_test
exc_return_test:
    push    {r4-r11, lr}
    mov     r4, r0
    mrs     r7, cpsr

    /* [0] LDMIA sp!, {r1, pc}^ in SVC: CPSR <- SPSR_svc */
    ldr     r1, =0x500001d3
    msr     spsr_fsxc, r1
    msr     APSR_nzcvq, #0
    adr     r2, 1f
    ldr     r3, =0xabcd0001
    push    {r2}
    push    {r3}
    ldmia   sp!, {r1, pc}^
    b       psci_system_off
1:  mrs     r2, cpsr
    str     r2, [r4, #0]
    str     r1, [r4, #4]            /* the other loaded register */

    /* [2] LDMIA r2, {pc}^ in UND returning to SVC */
    adr     r3, 2f
    str     r3, [r4, #28]
    add     r2, r4, #28
    cps     #0x1b
    ldr     r1, =0x900001d3
    msr     spsr_fsxc, r1
    ldmia   r2, {pc}^
    b       psci_system_off
2:  mrs     r2, cpsr
    str     r2, [r4, #8]

    /* [3] MOVS pc, lr in ABT returning to SVC */
    cps     #0x17
    ldr     r1, =0x300001d3
    msr     spsr_fsxc, r1
    adr     lr, 3f
    movs    pc, lr
    b       psci_system_off
3:  mrs     r2, cpsr
    str     r2, [r4, #12]

    /* [4] SUBS pc, lr, #4 in IRQ returning to SVC with GE bits */
    cps     #0x12
    ldr     r1, =0x600501d3
    msr     spsr_fsxc, r1
    adr     lr, 4f + 4
    subs    pc, lr, #4
    b       psci_system_off
4:  mrs     r2, cpsr
    str     r2, [r4, #16]

    /* [5] MOVS pc, lr from SVC into USR mode, then SVC #0x42 back to SVC
     *     (the SVC hook switches the returned mode to SVC). */
    ldr     r1, =0x800001d0
    msr     spsr_fsxc, r1
    adr     lr, 5f
    movs    pc, lr
    b       psci_system_off
5:  mov     r5, #0x55               /* user mode now */
    svc     #0x42
    mrs     r2, cpsr                /* back in SVC mode */
    str     r2, [r4, #20]
    str     r5, [r4, #24]

    msr     cpsr_fsxc, r7
    pop     {r4-r11, pc}
    .ltorg

/* ---------------------------------------------------------------------- */
/* Exception triggers.  Each sets the flags from r0 first so that the SPSR
 * printed by the handler is fully determined.  Return the CPSR afterwards. */

    .global svc_trigger
    .global svc_site
svc_trigger:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
svc_site:
    svc     #0x123456
    mrs     r0, cpsr
    pop     {r4, pc}

    .global svc_trigger2
    .global svc_site2
svc_trigger2:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
svc_site2:
    svc     #0
    mrs     r0, cpsr
    pop     {r4, pc}

    .global svc_cond_trigger
    .global svc_site3
svc_cond_trigger:               /* SVCNE with Z set: must not be taken */
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
svc_site3:
    svcne   #0x77
    svceq   #0x78
    mrs     r0, cpsr
    pop     {r4, pc}

    .global udf_trigger
    .global udf_site
udf_trigger:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
udf_site:
    udf     #0xabcd
    mrs     r0, cpsr
    pop     {r4, pc}

    .global udf_trigger2
    .global udf_site2
udf_trigger2:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
udf_site2:
    .inst   0xe7f000f0              /* UDF #0 */
    .inst   0xe7ffffff              /* UDF #0xffff */
    mrs     r0, cpsr
    pop     {r4, pc}

/* VMRS r0, FPSCR with CPACR.cp10/cp11 = 0 (access denied): UNDEFINED */
    .global vfp_trigger
    .global vfp_site
vfp_trigger:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
    mov     r0, #0
vfp_site:
    .inst   0xeef10a10              /* vmrs r0, fpscr */
    mrs     r0, cpsr
    pop     {r4, pc}

    .global bkpt_trigger
    .global bkpt_site
bkpt_trigger:
    push    {r4, lr}
    msr     APSR_nzcvqg, r0
bkpt_site:
    bkpt    #0x12
    mrs     r0, cpsr
    pop     {r4, pc}

/* ---------------------------------------------------------------------- */
/* Alternate SVC entry used by the RAM vector table in the VBAR test. */
    .global vbar_svc_entry
vbar_svc_entry:
    push    {r0, r1}
    ldr     r0, =vbar_svc_count
    ldr     r1, [r0]
    add     r1, r1, #1
    str     r1, [r0]
    pop     {r0, r1}
    b       exc_svc
    .ltorg

    .data
    .align 3
bank_save:
    .space  80
user_ld_vals:
    .word   0x11115353, 0x11114c52, 0x88888888, 0x99999999
    .global vbar_svc_count
vbar_svc_count:
    .word   0
