#include "common.S"
/* x87 through the CPU's D8-DF decoder: results moved to integer registers and snapshotted. */
        .data
        .align 16
one:    .long 1
three:  .long 3
seven:  .long 7
f2:     .float 2.0
f10:    .float 10.5
d1:     .double 1.25
dm:     .double -3.75
cw:     .word 0
cwtrunc: .word 0x0f7f
tmp:    .space 64
env:    .space 128
        .text
        .globl test_body
test_body:
        pushl %ebp
        pushl %ebx
        pushl %esi
        pushl %edi
        xorl %eax, %eax
        xorl %ecx, %ecx
        xorl %edx, %edx
        xorl %ebx, %ebx
        xorl %esi, %esi
        xorl %edi, %edi
        fninit
        fnstcw cw
        movzwl cw, %eax
        fnstsw %ax
        movl %eax, %ebx
        SNAP 0
        /* integer arithmetic: (7 + 3) * 1.25 - (-3.75) = 16.25 -> fistp rounds to 16 */
        fildl seven
        fiaddl three
        fmull d1
        fsubl dm
        fistl tmp
        movl tmp, %eax
        fstps tmp
        movl tmp, %ecx
        fstpl tmp
        movl tmp, %edx
        movl tmp+4, %ebx
        SNAP 0
        /* sqrt(2) as float, 10.5 / 2 */
        flds f2
        fsqrt
        fstps tmp
        movl tmp, %eax
        flds f10
        fdivs f2
        fstps tmp
        movl tmp, %ecx
        fld1
        fldz
        faddp
        fldpi
        fstps tmp
        movl tmp, %edx
        fistpl tmp
        movl tmp, %ebx
        SNAP 0
        /* compares: fcomi sets ZF PF CF; fnstsw after fcom */
        flds f2
        flds f10
        fcomi %st(1), %st
        setb %al
        seta %ah
        sete %cl
        fcom %st(1)
        fnstsw %ax
        andl $0x4700, %eax
        movl %eax, %edx
        fxch
        fucomip %st(1), %st
        setb %bl
        fstp %st(0)
        SNAP 0x45
        /* rounding control: truncate */
        fldcw cwtrunc
        flds f10
        fistpl tmp
        movl tmp, %eax
        fldl dm
        fistpl tmp
        movl tmp, %ecx
        fninit
        flds f10
        fistpl tmp
        movl tmp, %edx
        /* stack depth */
        fld1
        fld1
        fnstsw %ax
        shrl $11, %eax
        andl $7, %eax
        movl %eax, %ebx
        fninit
        SNAP 0
        /* fcmov and fchs/fabs */
        fldl dm
        fabs
        fldl d1
        fchs
        stc
        fcmovb %st(1), %st
        fistpl tmp
        movl tmp, %eax
        fstp %st(0)
        /* fnsave/frstor round trip keeps the control word */
        fldcw cwtrunc
        fnsave env
        fninit
        frstor env
        fnstcw cw
        movzwl cw, %ecx
        fninit
        SNAP 0
        popl %edi
        popl %esi
        popl %ebx
        popl %ebp
        ret
