/* tsemu entry: flat protected mode (enterMultiboot), stack, run the body, exit through port 0xf4 */
        .text
        .globl _start
_start:
        movl $stack_top, %esp
        call test_body
        movl snap_ptr, %eax
        movw $0xf4, %dx
        outl %eax, %dx
        hlt
        .bss
        .align 16
        .space 8192
stack_top:
