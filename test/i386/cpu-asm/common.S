/* snapshot helpers shared by the native reference and the tsemu image */
        .text
        .globl snap
snap:
        pushfl
        pushl %ebp
        movl snap_ptr, %ebp
        movl %eax, 0(%ebp)
        movl %ecx, 4(%ebp)
        movl %edx, 8(%ebp)
        movl %ebx, 12(%ebp)
        movl %esi, 16(%ebp)
        movl %edi, 20(%ebp)
        movl 4(%esp), %eax
        andl 12(%esp), %eax
        movl %eax, 24(%ebp)
        movl 12(%esp), %eax
        movl %eax, 28(%ebp)
        addl $32, snap_ptr
        movl 0(%ebp), %eax
        popl %ebp
        popfl
        ret

        .macro SNAP mask=0x8d5
        pushl $\mask
        call snap
        leal 4(%esp), %esp
        .endm

        .data
        .globl snap_ptr, snap_buf
        .align 4
snap_ptr: .long snap_buf
        .bss
        .align 16
snap_buf: .space 256*1024
