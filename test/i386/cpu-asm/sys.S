/* System features, entered in flat 32-bit ring 0 (enterMultiboot) at 0x100000.
   Each check writes a 32-bit result to port 0x80; the test compares the list. */
        .text
        .globl _start
_start:
        movl $stack_top, %esp
        /* GDT: null, code0, data0, code3, data3, tss */
        lgdtl gdtdesc
        ljmpl $0x08, $1f
1:      movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        /* IDT: #DB (1), #PF (14), #GP (13), 0x80 (DPL 3) */
        movl $db_handler, %eax
        movl $1, %ebx
        call set_gate
        movl $pf_handler, %eax
        movl $14, %ebx
        call set_gate
        movl $gp_handler, %eax
        movl $13, %ebx
        call set_gate
        movl $int80, %eax
        movl $0x80, %ebx
        call set_gate
        orw $0x6000, idt + 0x80*8 + 4          /* DPL 3 */
        lidtl idtdesc
        /* 1: CPUID vendor */
        xorl %eax, %eax
        cpuid
        movl %ebx, %eax
        outl %eax, $0x80                        /* "Genu" */
        /* 2: single step over 4 instructions */
        movl $0, stepcount
        pushfl
        orl $0x100, (%esp)
        popfl
        nop
        nop
        nop
        pushfl
        andl $~0x100, (%esp)
        popfl
        movl stepcount, %eax
        outl %eax, $0x80
        /* 3: paging with an identity map of the first 8 MiB (PSE), then a 4 KiB
              table for 8-12 MiB whose page 0x801000 is not present: rep movsl
              across it faults, the handler maps it and the copy restarts */
        movl $pd, %edi
        movl $0x000000e7, 0(%edi)               /* 4M page, P W U A D PS */
        movl $0x004000e3, 4(%edi)
        movl $pt2, %eax
        orl $3, %eax
        movl %eax, 8(%edi)
        movl $pt2, %edi
        movl $0x800003, 0(%edi)                 /* 0x800000 -> 0x800000 */
        movl $0, 4(%edi)                        /* 0x801000 not present */
        movl %cr4, %eax
        orl $0x10, %eax
        movl %eax, %cr4
        movl $pd, %eax
        movl %eax, %cr3
        movl %cr0, %eax
        orl $0x80010000, %eax
        movl %eax, %cr0
        movl $0, pfcount
        movl $0x100000, %esi
        movl $0x800ff0, %edi
        movl $16, %ecx
        cld
        rep movsl
        movl pfcount, %eax
        shll $16, %eax
        orl %ecx, %eax
        outl %eax, $0x80                        /* 0x00010000 */
        movl 0x801008, %eax
        cmpl 0x100018, %eax
        sete %al
        movzbl %al, %eax
        outl %eax, $0x80                        /* 1 */
        movl %cr2, %eax
        outl %eax, $0x80                        /* 0x801000 */
        /* an ADC to a read-only page: the store faults, the handler makes it
           writable, and the restarted ADC must see the original CF */
        movl $0x803001, pt2 + 12
        invlpg 0x803000
        movl $0, pfcount
        movl $5, %eax
        stc
        adcl %eax, 0x803000
        movl 0x803000, %eax
        movl pfcount, %ebx
        shll $16, %ebx
        orl %ebx, %eax
        outl %eax, $0x80                        /* 0x00010006 */
        /* an FSTP whose store faults: the x87 stack is as before when it restarts */
        movl $0, pfcount
        fninit
        fld1
        fldz
        fstpl 0x804000
        fstpl 0x804008
        fnstsw %ax
        andl $0x3800, %eax                      /* TOP back to 0 */
        orl 0x80400c, %eax                      /* high word of 1.0: 0x3ff00000 */
        orl 0x804004, %eax                      /* high word of 0.0 */
        orl pfcount, %eax
        outl %eax, $0x80                        /* 0x3ff00001 */
        /* 4: TSS + iret to ring 3, int $0x80 back */
        movl $tss, %eax
        movw %ax, gdt + 5*8 + 2
        shrl $16, %eax
        movb %al, gdt + 5*8 + 4
        movb %ah, gdt + 5*8 + 7
        movl %cr3, %eax
        movl %eax, tss + 0x1c                   /* a task switch back loads CR3 from here */
        movl $stack_top, tss + 4
        movl $0x10, tss + 8
        movw $0x28, %ax
        ltr %ax
        movl $gate_entry, %eax                  /* call gate 0x40: DPL 3, 32-bit, 1 parameter */
        movw %ax, gdt + 0x40
        movw $0x08, gdt + 0x42
        shrl $16, %eax
        movw %ax, gdt + 0x46
        movw $0xec01, gdt + 0x44
        pushl $0x23
        pushl $ustack_top
        pushl $0x202
        pushl $0x1b
        pushl $user
        iret
back:   outl %eax, $0x80                        /* 0x600d: eax from ring 3 */
        movl 4(%esp), %eax                      /* CS pushed by the gate */
        outl %eax, $0x80                        /* 0x1b */
        /* 5: a #GP from ring 3 was counted */
        movl gpcount, %eax
        outl %eax, $0x80                        /* 1 */
        /* 6: sysenter/sysexit round trip */
        movl $0x174, %ecx
        movl $0x08, %eax
        xorl %edx, %edx
        wrmsr
        movl $0x175, %ecx
        movl $stack_top - 256, %eax
        wrmsr
        movl $0x176, %ecx
        movl $sysenter_entry, %eax
        wrmsr
        /* GDT layout for SYSEXIT: CS = 0x08+16 | 3 = 0x1b, SS = 0x08+24 | 3 = 0x23 */
        movl $ustack_top, %ecx
        movl $user2, %edx
        sysexit
sysenter_entry:
        movl %cs, %eax
        outl %eax, $0x80                        /* 0x08 */
        movl %ebx, %eax
        outl %eax, $0x80                        /* 0x5e5e */
        /* 7: rdtsc moves forward */
        rdtsc
        movl %eax, %ebx
        movl $1000, %ecx
2:      loop 2b
        rdtsc
        subl %ebx, %eax
        setnz %al
        movzbl %al, %eax
        outl %eax, $0x80                        /* 1 */
        /* 8: hardware task switches: CALL to a TSS (IRET returns through the back
              link) and INT through a task gate */
        movl $tss2, %eax
        movl $0x30, %ebx
        call set_tss
        movl $tss3, %eax
        movl $0x38, %ebx
        call set_tss
        movl $task2, tss2 + 0x20
        movl $task3, tss3 + 0x20
        movw $0x38, idt + 0x81*8 + 2
        movw $0x8500, idt + 0x81*8 + 4
        movl $0x1111, %eax
        lcall $0x30, $0
        outl %eax, $0x80                        /* 0x1111: restored from the old TSS */
        str %ax
        movzwl %ax, %eax
        outl %eax, $0x80                        /* 0x28 */
        int $0x81
        movl tss3 + 0, %eax                     /* back link written into the gate's TSS */
        outl %eax, $0x80                        /* 0x28 */
        /* 11: descriptor queries */
        movl $0x08, %ecx
        larl %ecx, %eax
        outl %eax, $0x80                        /* 0x00c09b00 (limit bits 19:16 read as 0, as QEMU) */
        movl $0x10, %ecx
        lsll %ecx, %eax
        outl %eax, $0x80                        /* 0xffffffff */
        movl $0x08, %ecx
        verr %cx
        setz %al
        verw %cx
        setz %ah
        movzwl %ax, %eax
        outl %eax, $0x80                        /* 0x0001: code is readable, not writable */
        xorl %ecx, %ecx
        movl $0x1234, %eax
        larl %ecx, %eax
        setz %cl
        shll $16, %ecx
        orl %ecx, %eax
        outl %eax, $0x80                        /* 0x00001234: null selector, ZF=0, dest kept */
        movl $0x13, %eax
        movl $0x10, %ebx
        arpl %ax, %bx
        setz %cl
        movzbl %cl, %ecx
        shll $16, %ecx
        orl %ecx, %ebx
        movl %ebx, %eax
        outl %eax, $0x80                        /* 0x00010013 */
        sgdt sgdt_buf
        movzwl sgdt_buf, %eax
        outl %eax, $0x80                        /* 9*8-1 = 0x47 */
        movl sgdt_buf + 2, %eax
        subl $gdt, %eax
        outl %eax, $0x80                        /* 0 */
        smsw %eax
        andl $0xffff, %eax
        outl %eax, $0x80                        /* 0x0019: PE ET TS (set by the task switches) */
        /* 10 (runs first): self-modifying code: patch an immediate of a function that
              already ran, and update data that shares the page with code */
        call smc_fn
        movl %eax, %ebx
        movl $0x2222, smc_fn + 1
        call smc_fn
        outl %eax, $0x80                        /* 0x2222 */
        movl %ebx, %eax
        outl %eax, $0x80                        /* 0x1111 */
        movl $1000, %ecx
4:      incl smc_data
        loop 4b
        movl smc_data, %eax
        outl %eax, $0x80                        /* 1005 */
        /* 9: virtual-8086 mode: IRET into it, INT n (IOPL 3) to ring 0 and back */
        movl $vm86_code, %esi
        movl $0x7000, %edi
        movl $(vm86_end - vm86_code), %ecx
        rep movsb
        movl $vm_int82, %eax
        movl $0x82, %ebx
        call set_gate
        orw $0x6000, idt + 0x82*8 + 4
        movl $vm_int83, %eax
        movl $0x83, %ebx
        call set_gate
        orw $0x6000, idt + 0x83*8 + 4
        movl %esp, saved_esp
        pushl $0x0700                           /* GS FS DS ES */
        pushl $0x0700
        pushl $0x0700
        pushl $0x0700
        pushl $0x0700                           /* SS */
        pushl $0x0ff0                           /* ESP */
        pushl $0x23002                          /* VM, IOPL 3 */
        pushl $0x0700                           /* CS */
        pushl $0                                /* EIP */
        iret
vm_done:
        xorl %eax, %eax
        outl %eax, $0xf4
3:      hlt
        jmp 3b

        /* ring 3 */
user:   pushl $0x77                             /* call gate with one parameter to ring 0 and back */
        lcall $0x43, $0
        addl $4, %esp
        movl $0x600d, %eax
        cli                                     /* #GP(0) at CPL 3, IOPL 0: handler skips it */
        int $0x80
user2:  movl $0x5e5e, %ebx
        sysenter

int80:  jmp back

smc_fn: movl $0x1111, %eax
        ret
smc_data: .long 5

gate_entry:
        movl 8(%esp), %eax
        outl %eax, $0x80                        /* 0x77: the parameter copied to the ring-0 stack */
        movl 4(%esp), %eax
        outl %eax, $0x80                        /* 0x1b: caller CS */
        movl 16(%esp), %eax
        outl %eax, $0x80                        /* 0x23: caller SS */
        movl %cs, %eax
        outl %eax, $0x80                        /* 0x08 */
        lret $4

set_tss:                                        /* eax = TSS, ebx = selector: descriptor + initial state */
        movl %eax, %edx
        movw $0x67, gdt(%ebx)
        movw %ax, gdt+2(%ebx)
        shrl $16, %eax
        movb %al, gdt+4(%ebx)
        movb $0x89, gdt+5(%ebx)
        movb $0, gdt+6(%ebx)
        movb %ah, gdt+7(%ebx)
        movl %cr3, %eax
        movl %eax, 0x1c(%edx)
        movl $2, 0x24(%edx)
        leal 4096(%edx), %eax                   /* stack: the page after the TSS */
        movl %eax, 0x38(%edx)
        movl $0x10, 0x48(%edx)
        movl $0x08, 0x4c(%edx)
        movl $0x10, 0x50(%edx)
        movl $0x10, 0x54(%edx)
        ret

task2:  movl $0x7a5c, %eax
        outl %eax, $0x80                        /* 0x7a5c */
        str %ax
        movzwl %ax, %eax
        outl %eax, $0x80                        /* 0x30 */
        pushfl
        popl %eax
        andl $0x4000, %eax
        outl %eax, $0x80                        /* NT: 0x4000 */
        iret
        jmp task2
vm_int82:                                       /* from VM86: the frame holds the VM86 segments */
        movl %ds, %eax
        outl %eax, $0x80                        /* 0: data segments are null in the handler */
        movl 8(%esp), %eax
        andl $0x20000, %eax
        outl %eax, $0x80                        /* 0x20000: VM in the saved EFLAGS */
        movl 4(%esp), %eax
        outl %eax, $0x80                        /* 0x700: CS */
        movl 24(%esp), %eax
        outl %eax, $0x80                        /* 0x700: DS */
        iret
vm_int83:
        movl %ebx, %eax
        outl %eax, $0x80                        /* 0x0700: DS read in VM86 after the round trip */
        movzwl %cx, %eax
        outl %eax, $0x80                        /* 0x1234: a word stored through DS:0x100 */
        movzwl %dx, %eax
        outl %eax, $0x80                        /* 0x7100: linear address computed as segment*16 */
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movl saved_esp, %esp
        jmp vm_done

        .code16
vm86_code:
        movw $0x1234, %ax
        movw %ax, 0x100
        int $0x82
        movw %ds, %bx
        movw 0x100, %cx
        movw %ds, %dx
        shlw $4, %dx
        addw $0x100, %dx
        int $0x83
vm86_end:
        .code32

task3:  movl $0x3333, %eax
        outl %eax, $0x80                        /* 0x3333 */
        iret
        jmp task3

set_gate:                                       /* eax = handler, ebx = vector */
        movw %ax, idt(,%ebx,8)
        movw $0x08, idt+2(,%ebx,8)
        movw $0x8e00, idt+4(,%ebx,8)
        shrl $16, %eax
        movw %ax, idt+6(,%ebx,8)
        ret

db_handler:
        incl stepcount
        iret
pf_handler:                                     /* map the faulting page of 8-12 MiB read/write */
        pushl %eax
        pushl %ebx
        incl pfcount
        movl %cr2, %eax
        movl %eax, %ebx
        shrl $12, %ebx
        andl $0x3ff, %ebx
        andl $0xfffff000, %eax
        orl $3, %eax
        movl %eax, pt2(,%ebx,4)
        movl %cr2, %eax
        invlpg (%eax)
        popl %ebx
        popl %eax
        addl $4, %esp                           /* error code */
        iret
gp_handler:
        incl gpcount
        addl $4, %esp
        incl (%esp)                             /* skip the 1-byte cli */
        iret

        .data
        .align 8
gdt:    .quad 0
        .quad 0x00cf9a000000ffff                /* 0x08 code 0 */
        .quad 0x00cf92000000ffff                /* 0x10 data 0 */
        .quad 0x00cffa000000ffff                /* 0x18 code 3 */
        .quad 0x00cff2000000ffff                /* 0x20 data 3 */
        .quad 0x0000890000000067                /* 0x28 TSS (base patched) */
        .quad 0                                 /* 0x30 TSS of task 2 */
        .quad 0                                 /* 0x38 TSS of task 3 */
        .quad 0                                 /* 0x40 call gate */
gdtdesc: .word 9*8-1
        .long gdt
idtdesc: .word 256*8-1
        .long idt
stepcount: .long 0
pfcount: .long 0
gpcount: .long 0
saved_esp: .long 0
sgdt_buf: .space 8
        .bss
        .align 4096
pd:     .space 4096
pt2:    .space 4096
idt:    .space 2048
tss:    .space 104
        .align 4096
tss2:   .space 4096
tss3:   .space 4096
        .space 4096
        .align 16
        .space 4096
ustack_top:
        .space 8192
stack_top:
