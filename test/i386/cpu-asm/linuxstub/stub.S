        .section .multiboot, "a"
        .align 4
        .long 0x1BADB002, 0x00000003, -(0x1BADB002 + 0x00000003)
        .text
        .globl _start
_start: movl $stack_top, %esp
        pushl %ebx
        pushl %eax
        call stub_main
1:      hlt
        jmp 1b
        .globl enter_linux
enter_linux:                    /* (boot_params) */
        movl 4(%esp), %esi
        lgdt gdtdesc
        ljmp $0x10, $2f
2:      movw $0x18, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        xorl %ebp, %ebp
        xorl %edi, %edi
        xorl %ebx, %ebx
        movl $0x100000, %eax
        jmp *%eax
        .data
        .align 8
gdt:    .quad 0, 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdtdesc: .word 31
        .long gdt
        .bss
        .space 16384
stack_top:
