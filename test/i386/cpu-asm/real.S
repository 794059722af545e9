/* Reset-vector test: a 64 KiB ROM image (mapped at 0xF0000 and 0xFFFF0000).
   Real mode: stack, IVT handlers (INT n, #DE), 16-bit arithmetic and addressing,
   segment-relative string copies, LOOP; then protected mode through a GDT,
   an IDT, and an external interrupt taken while halted. Results go to port 0x80. */
        .code16
        .text
        .globl _start
_start:
        cli
        xorw %ax, %ax
        movw %ax, %ss
        movw $0x7000, %sp
        movw %ax, %ds
        movw $int40, 0x100
        movw $0xf000, 0x102
        movw $de_handler, 0x0
        movw $0xf000, 0x2
        movw $0x1234, %ax
        addw $0x4321, %ax
        outw %ax, $0x80                 /* 5555 */
        call sub1
        outw %ax, $0x80                 /* aaaa */
        xorw %bx, %bx
        int $0x40
        movb %bl, %al
        outb %al, $0x80                 /* 77 */
        /* copy 8 bytes F000:msg -> 0000:0500 */
        pushw %cs
        popw %ds
        xorw %ax, %ax
        movw %ax, %es
        movw $msg, %si
        movw $0x500, %di
        movw $8, %cx
        cld
        rep movsb
        xorw %ax, %ax
        movw %ax, %ds
        movl 0x504, %eax
        outl %eax, $0x80                /* "5678" */
        /* 16-bit addressing modes */
        movw $0x500, %bx
        movw $2, %si
        movw 1(%bx,%si), %ax
        outw %ax, $0x80                 /* bytes 3,4: "45" = 0x3534 */
        movw $0x4f0, %bp
        movb %ss:0x10(%bp), %al         /* SS=0: 0x500 -> '1' */
        outb %al, $0x80
        /* divide error through the IVT: the handler skips the 2-byte div */
        xorw %dx, %dx
        movw $100, %ax
        xorb %cl, %cl
        movw $0, %bx
        divb %cl
        movw %bx, %ax
        outw %ax, $0x80                 /* 0de0 */
        /* loop */
        movw $5, %cx
        xorw %ax, %ax
1:      addw %cx, %ax
        loop 1b
        outw %ax, $0x80                 /* 15 = 0x000f */
        /* 32-bit operand in 16-bit code */
        movl $0x12345678, %eax
        roll $8, %eax
        outl %eax, $0x80                /* 34567812 */
        /* protected mode */
        lgdtl %cs:gdtdesc
        movl %cr0, %eax
        orl $1, %eax
        movl %eax, %cr0
        ljmpl $0x08, $(0xf0000 + pm32)
sub1:   shlw $1, %ax
        ret
int40:  movb $0x77, %bl
        iret
de_handler:
        movw $0x0de0, %bx
        pushw %bp
        movw %sp, %bp
        addw $2, 2(%bp)
        popw %bp
        iret
msg:    .ascii "12345678"
        .align 8
gdt:    .quad 0
        .quad 0x00cf9a000000ffff
        .quad 0x00cf92000000ffff
gdtdesc:
        .word 23
        .long 0xf0000 + gdt

        .code32
pm32:   movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movl $0x9000, %esp
        movl $0xcafebabe, %eax
        outl %eax, $0x80
        /* IDT at 0x1000 with vector 0x30 */
        movl $(0xf0000 + irq30), %eax
        movw %ax, 0x1000 + 0x30*8
        shrl $16, %eax
        movw %ax, 0x1000 + 0x30*8 + 6
        movw $0x08, 0x1000 + 0x30*8 + 2
        movw $0x8e00, 0x1000 + 0x30*8 + 4
        lidtl (0xf0000 + idtdesc)
        xorl %ebx, %ebx
        sti
        hlt
        movl %ebx, %eax
        outl %eax, $0x80                /* 1 after the interrupt */
        pushfl
        popl %eax
        andl $0x200, %eax
        outl %eax, $0x80                /* IF still set: 0x200 */
        xorl %eax, %eax
        outl %eax, $0xf4
1:      hlt
        jmp 1b
irq30:  incl %ebx
        iret
idtdesc:
        .word 0x7ff
        .long 0x1000

        .org 0xfff0
        .code16
reset:  ljmp $0xf000, $_start
        .org 0x10000
