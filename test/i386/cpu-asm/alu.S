#include "common.S"
        .data
        .align 16
buf:    .long 0x12345678, 0x9abcdef0, 0x80000000, 0x7fffffff, 0, -1, 0x55aa55aa, 0x00ff00ff
        .space 64
table:  .byte 0x10,0x21,0x32,0x43,0x54,0x65,0x76,0x87,0x98,0xa9,0xba,0xcb,0xdc,0xed,0xfe,0x0f
src:    .ascii "Hello, tsemu string ops!\0......"
dst:    .space 64
vals:   .long 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x12345678, 0xfedcba98, 3, 31
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
        /* ---- ALU over pairs from vals ---- */
        xorl %esi, %esi
1:      xorl %edi, %edi
2:      movl vals(,%esi,4), %eax
        movl vals(,%edi,4), %ebx
        movl %eax, %ecx
        addl %ebx, %ecx
        SNAP
        movl %eax, %ecx
        subl %ebx, %ecx
        SNAP
        movl %eax, %ecx
        cmpl %ebx, %ecx
        SNAP
        movb %al, %cl
        addb %bl, %cl
        SNAP
        movw %ax, %cx
        subw %bx, %cx
        SNAP
        stc
        movl %eax, %ecx
        adcl %ebx, %ecx
        SNAP
        stc
        movl %eax, %ecx
        sbbl %ebx, %ecx
        SNAP
        clc
        movb %al, %cl
        sbbb %bl, %cl
        SNAP
        stc
        movw %ax, %cx
        adcw %bx, %cx
        SNAP
        movl %eax, %ecx
        andl %ebx, %ecx
        SNAP 0x8c5
        movl %eax, %ecx
        orl %ebx, %ecx
        SNAP 0x8c5
        movl %eax, %ecx
        xorb %bl, %ch
        SNAP 0x8c5
        testl %ebx, %eax
        SNAP 0x8c5
        movl %eax, %ecx
        negl %ecx
        SNAP
        movw %ax, %cx
        negw %cx
        SNAP
        movl %eax, %ecx
        incl %ecx
        SNAP
        movb %al, %cl
        decb %cl
        SNAP
        /* conditions after cmp */
        cmpl %ebx, %eax
        seto %cl; setno %ch; setb %dl; setae %dh
        SNAP
        cmpl %ebx, %eax
        sete %cl; setne %ch; setbe %dl; seta %dh
        SNAP
        cmpl %ebx, %eax
        sets %cl; setns %ch; setp %dl; setnp %dh
        SNAP
        cmpl %ebx, %eax
        setl %cl; setge %ch; setle %dl; setg %dh
        SNAP
        cmpw %bx, %ax
        setl %cl; setge %ch; setle %dl; setb %dh
        SNAP
        cmpb %bl, %al
        setl %cl; setg %ch; setbe %dl; seta %dh
        SNAP
        testl %ebx, %eax
        setle %cl; setg %ch; setb %dl; setnp %dh
        SNAP 0x8c5
        movl $0, %ecx
        cmpl %ebx, %eax
        cmovl %eax, %ecx
        cmovg %ebx, %edx
        SNAP
        /* multiply / divide */
        movl %eax, %ecx
        mull %ebx
        SNAP 0x801
        movl vals(,%esi,4), %eax
        imull %ebx
        SNAP 0x801
        movl vals(,%esi,4), %eax
        movl %eax, %ecx
        imull %ebx, %ecx
        SNAP 0x801
        imulw $-300, %bx, %cx
        SNAP 0x801
        movl vals(,%esi,4), %eax
        mulb %bl
        SNAP 0x801
        movl vals(,%esi,4), %eax
        imulb %bl
        SNAP 0x801
        movl vals(,%esi,4), %eax
        mulw %bx
        SNAP 0x801
        movl vals(,%esi,4), %eax
        imulw %bx
        SNAP 0x801
        /* shifts by CL = low bits of ebx */
        movl vals(,%esi,4), %eax
        movl %ebx, %ecx
        cmpl %ebx, %eax
        movl %eax, %edx
        shll %cl, %edx
        SNAP 0x0c5
        movl %eax, %edx
        shrl %cl, %edx
        SNAP 0x0c5
        movl %eax, %edx
        sarl %cl, %edx
        SNAP 0x0c5
        movl %eax, %edx
        roll %cl, %edx
        SNAP 0x001
        movl %eax, %edx
        rorl %cl, %edx
        SNAP 0x001
        /* 8- and 16-bit rotates by CL (inline in the translator); a count of 0 keeps CF */
        cmpl %ebx, %eax
        movl %eax, %edx
        rolb %cl, %dl
        SNAP 0x001
        cmpl %eax, %ebx
        movl %eax, %edx
        rorw %cl, %dx
        SNAP 0x001
        cmpl %ebx, %eax
        movl %eax, %edx
        rorb %cl, %dl
        SNAP 0x001
        /* INC then DEC: CF survives both */
        cmpl %ebx, %eax
        movl %eax, %edx
        incl %edx
        decw %dx
        SNAP 0x8d5
        movb %al, %dl
        shlb %cl, %dl
        SNAP 0x000
        movw %ax, %dx
        sarw %cl, %dx
        SNAP 0x000
        stc
        movl %eax, %edx
        rcll %cl, %edx
        SNAP 0x001
        stc
        movl %eax, %edx
        rcrl %cl, %edx
        SNAP 0x001
        movl %eax, %edx
        shldl %cl, %ebx, %edx
        SNAP 0x0c5
        movl %eax, %edx
        shrdl %cl, %ebx, %edx
        SNAP 0x0c5
        movl %eax, %edx
        btl %ebx, %edx
        SNAP 0x041
        btsl %ebx, %edx
        SNAP 0x041
        btrl %ebx, %edx
        SNAP 0x041
        btcl %ebx, %edx
        SNAP 0x041
        movl $-1, %edx
        bsfl %eax, %edx
        SNAP 0x040
        movl $-1, %edx
        bsrl %eax, %edx
        SNAP 0x040
        addl $3, %edi
        cmpl $16, %edi
        jb 2b
        incl %esi
        cmpl $16, %esi
        jb 1b

        /* ---- shifts and rotates by 1 and immediates ---- */
        xorl %esi, %esi
3:      movl vals(,%esi,4), %eax
        movl %eax, %ecx
        shll $1, %ecx
        SNAP 0x8c5
        movl %eax, %ecx
        shrl $1, %ecx
        SNAP 0x8c5
        movl %eax, %ecx
        sarl $1, %ecx
        SNAP 0x8c5
        movl %eax, %ecx
        roll $1, %ecx
        SNAP 0x801
        movl %eax, %ecx
        rorl $1, %ecx
        SNAP 0x801
        stc
        movl %eax, %ecx
        rcll $1, %ecx
        SNAP 0x801
        clc
        movl %eax, %ecx
        rcrb $1, %cl
        SNAP 0x801
        movl %eax, %ecx
        shlw $5, %cx
        SNAP 0x0c5
        movl %eax, %ecx
        sarb $3, %cl
        SNAP 0x0c5
        movl %eax, %ecx
        rolw $4, %cx
        SNAP 0x001
        /* ROL/ROR by a constant after a flag-setting op in the same TB (the JIT's lazy form):
           SF ZF AF PF of the earlier op stay; CF from the rotate; OF undefined for counts > 1 */
        movl %eax, %ecx
        addl %ebx, %ecx
        roll $7, %ecx
        SNAP 0x0d5
        movl %eax, %ecx
        subl %ebx, %ecx
        rorl $1, %ecx
        SNAP
        movl %eax, %ecx
        andl %ebx, %ecx
        rorw $3, %cx
        SNAP 0x0d5
        movl %eax, %ecx
        xorl %ebx, %ecx
        rolb $1, %cl
        SNAP
        movl %eax, %ecx
        orl %ebx, %ecx
        roll $13, %ecx
        incl %ecx
        SNAP
        movl %eax, %ecx
        subl %ebx, %ecx
        rorl $6, %ecx
        roll $11, %ecx
        rorw $1, %cx
        SNAP
        /* rotates at a TB start (flags state unknown to the translator) */
        movl %eax, %ecx
        SNAP 0x0d5
        roll $5, %ecx
        SNAP 0x0d5
        movl %eax, %ecx
        addl %ebx, %ecx
        incl %ecx
        jmp 3f
3:      rorl $1, %ecx
        SNAP
        movl %eax, %ecx
        subl %ebx, %ecx
        roll $9, %ecx
        jmp 4f
4:      rorb $1, %cl
        SNAP
        movl %eax, %ecx
        cmpl %ebx, %ecx
        rorl $31, %ecx
        setc %dl
        adcl $0, %ecx
        SNAP 0x0d5
        movl %eax, %ecx
        shrb $7, %ch
        SNAP 0x0c5
        cmpl $5, %esi
        movl %eax, %ecx
        bswap %ecx
        movsbl %al, %edx
        movzwl %ax, %ebx
        SNAP
        movl %eax, %ecx
        movswl %cx, %edx
        movzbl %ah, %ebx
        SNAP
        movl %eax, %edx
        cbw
        SNAP
        movl %edx, %eax
        cwde
        SNAP
        movl %edx, %eax
        cltd
        SNAP
        movl %edx, %eax
        cwtd
        SNAP
        movl %edx, %eax
        lahf
        SNAP
        movl %edx, %eax
        sahf
        SNAP
        movl %edx, %eax
        daa
        SNAP 0x0d5
        movl %edx, %eax
        das
        SNAP 0x0d5
        movl %edx, %eax
        aaa
        SNAP 0x011
        movl %edx, %eax
        aas
        SNAP 0x011
        movl %edx, %eax
        aam
        SNAP 0x0c4
        movl %edx, %eax
        aad
        SNAP 0x0c4
        movl %edx, %eax
        movl $0x10, %ebx
        xaddl %ebx, %eax
        SNAP
        movl %edx, %eax
        movl %edx, %ecx
        movl $7, %ebx
        cmpxchgl %ebx, %ecx
        SNAP
        movl $5, %eax
        cmpxchgl %ebx, %ecx
        SNAP
        movl %edx, %eax
        notl %eax
        xchgl %eax, %edx
        xchgb %al, %dh
        SNAP
        incl %esi
        cmpl $16, %esi
        jb 3b

        /* ---- divide ---- */
        movl $1000000, %eax
        xorl %edx, %edx
        movl $7, %ecx
        divl %ecx
        SNAP 0
        movl $-1000000, %eax
        cltd
        idivl %ecx
        SNAP 0
        movw $-1000, %ax
        cwtd
        movw $33, %cx
        idivw %cx
        SNAP 0
        movw $1000, %ax
        movb $33, %cl
        divb %cl
        SNAP 0
        movw $-100, %ax
        movb $-7, %cl
        idivb %cl
        SNAP 0
        movl $0x12345678, %edx
        movl $0x9abcdef0, %eax
        movl $0x87654321, %ecx
        divl %ecx
        SNAP 0
        /* 32-bit DIV/IDIV: dividends that fit EAX (inline), -1 and 64-bit dividends (helper) */
        movl $123456789, %eax
        xorl %edx, %edx
        movl $-3, %ecx
        divl %ecx
        SNAP 0
        movl $0x80000000, %eax
        xorl %edx, %edx
        movl $16, %ecx
        divl %ecx
        SNAP 0
        movl $-123456789, %eax
        cltd
        movl $10, %ecx
        idivl %ecx
        SNAP 0
        movl $-123456789, %eax
        cltd
        movl $-10, %ecx
        idivl %ecx
        SNAP 0
        movl $123456789, %eax
        cltd
        movl $-1, %ecx
        idivl %ecx
        SNAP 0
        movl $7, %eax
        movl $1, %edx
        movl $3, %ecx
        divl %ecx
        SNAP 0
        movl $-7, %eax
        xorl %edx, %edx
        movl $3, %ecx
        idivl %ecx
        SNAP 0

        /* ---- carry chains (CF of ADC/SBB read by the next ADC/SBB/SETC) ---- */
        movl $0xffffffff, %eax
        movl $0xffffffff, %ecx
        movl $1, %edx
        xorl %ebx, %ebx
        addl $1, %eax
        adcl $0, %ecx
        adcl $0, %edx
        setc %bl
        SNAP
        xorl %eax, %eax
        xorl %ecx, %ecx
        xorl %edx, %edx
        subl $1, %eax
        sbbl $0, %ecx
        sbbl $0, %edx
        setc %bl
        SNAP
        movl $0xffffffff, %eax
        stc
        adcl %eax, %eax
        setc %bl
        adcl $0, %ecx
        setc %bh
        SNAP
        movl $0x7f, %eax
        stc
        adcb $0x80, %al
        setc %bl
        sbbb $0xff, %al
        setc %bh
        sbbw $0x1234, %cx
        setb %dl
        adcw $0xffff, %cx
        setc %dh
        SNAP

        /* ---- ENTER with nesting, BT with negative offsets, 16-bit double shifts, byte CMPXCHG ---- */
        movl %esp, %esi
        pushl %ebp
        movl %esp, %ebp
        pushl $0x1111
        enter $8, $3
        movl %esi, %eax
        subl %esp, %eax
        movl %esi, %ecx
        subl %ebp, %ecx
        movl -4(%ebp), %edx
        movl -8(%ebp), %ebx
        subl %esi, %ebx
        leave
        leal 4(%esp), %esp
        popl %ebp
        xorl %esi, %esi
        xorl %edi, %edi
        SNAP
        movl $buf+16, %ebp
        movl $-1, %ecx
        movl $0x80000000, -4(%ebp)
        btl %ecx, (%ebp)
        setc %al
        movl $-33, %ecx
        btsl %ecx, (%ebp)
        movl -8(%ebp), %ebx
        movw $-1, %cx
        btw %cx, (%ebp)
        setc %ah
        movzbl %ah, %edx
        movl $buf, %ebp
        SNAP 0x001
        movl $0x12345678, %eax
        movl $0x9abcdef0, %ebx
        shldw $5, %bx, %ax
        movl %eax, %ecx
        shrdw $7, %bx, %ax
        movl %eax, %edx
        SNAP 0x0c5
        movl $0x12345678, %eax
        movl $0x9abcdef0, %ebx
        movb $0x78, %cl
        cmpxchgb %bl, %cl
        movl %ecx, %edx
        movb $0x11, %cl
        cmpxchgb %bl, %cl
        SNAP
        movl $0x5555, %eax
        movw $0x1234, %cx
        cmpxchgw %cx, %ax
        SNAP
        std
        movl $dst+16, %edi
        movl $0x4142, %eax
        movl $3, %ecx
        rep stosw
        cld
        movl dst+12, %eax
        movl dst+16, %edx
        subl $dst, %edi
        xorl %esi, %esi
        SNAP

        /* ---- memory forms, stack, strings ---- */
        movl $buf, %ebp
        movl 4(%ebp), %eax
        addl %eax, 8(%ebp)
        movl 8(%ebp), %ecx
        subw $3, 12(%ebp)
        movl 12(%ebp), %edx
        SNAP
        movl $2, %esi
        movl (%ebp,%esi,4), %eax
        incl 16(%ebp)
        movl 16(%ebp), %ebx
        notl 20(%ebp)
        movl 20(%ebp), %ecx
        shll $3, 24(%ebp)
        movl 24(%ebp), %edx
        SNAP 0x0c5
        stc
        rcll $3, 4(%ebp)
        movl 4(%ebp), %eax
        setc %bl
        rorw $5, 8(%ebp)
        movl 8(%ebp), %ecx
        movl $0x12345678, %edx
        shldl $7, %edx, 12(%ebp)
        movl 12(%ebp), %edx
        movzbl %bl, %ebx
        SNAP 0x0c5
        movl $100, %edi
        btsl %edi, (%ebp)
        movl 12(%ebp), %eax
        btl $3, 4(%ebp)
        setc %bl
        negl 28(%ebp)
        movl 28(%ebp), %ecx
        SNAP 0x041
        movl $3, %ebx
        movb $5, %al
        movl $table, %ebx
        xlat
        movzbl %al, %eax
        xorl %ebx, %ebx
        SNAP
        pushl $0x11111111
        pushw $0x2222
        pushw $0x3333
        popl %eax
        popl %ecx
        movl $0x44, %ebx
        pusha
        movl $0, %eax
        movl $0, %ebx
        popa
        SNAP
        enter $16, $0
        movl $0x5555, -4(%ebp)
        movl -4(%ebp), %eax
        leave
        movl $buf, %ebp
        SNAP
        cld
        movl $src, %esi
        movl $dst, %edi
        movl $7, %ecx
        rep movsl
        movl dst+4, %eax
        movl dst+24, %edx
        subl $src, %esi
        subl $dst, %edi
        SNAP
        movl $dst, %edi
        movl $0x41, %eax
        movl $5, %ecx
        rep stosb
        movl dst, %eax
        movl dst+4, %edx
        subl $dst, %edi
        xorl %esi, %esi
        SNAP
        movl $src, %edi
        movb $'t', %al
        movl $40, %ecx
        repne scasb
        subl $src, %edi
        SNAP
        movl $src, %esi
        movl $dst, %edi
        movl $src, %edi
        movl $10, %ecx
        repe cmpsb
        subl $src, %esi
        subl $src, %edi
        SNAP
        std
        movl $src+8, %esi
        lodsl
        lodsw
        movl %eax, %edx
        subl $src, %esi
        cld
        SNAP
        movl $dst, %edi
        movl $src, %esi
        movsb
        movsw
        cmpsl
        subl $src, %esi
        subl $dst, %edi
        SNAP
        /* loops */
        movl $10, %ecx
        xorl %eax, %eax
4:      addl %ecx, %eax
        loop 4b
        SNAP
        movl $10, %ecx
        xorl %eax, %eax
5:      incl %eax
        cmpl $4, %eax
        loopne 5b
        SNAP
        xorl %ecx, %ecx
        movl $1, %eax
        jecxz 6f
        movl $2, %eax
6:      SNAP
        /* lea */
        movl $0x1000, %ebx
        movl $0x20, %esi
        leal 0x12(%ebx,%esi,8), %eax
        leal (%esi,%esi,2), %ecx
        leal -5(%ebx), %edx
        leaw 3(%bx,%si), %di
        SNAP
        /* cmpxchg8b */
        movl $buf+32, %ebp
        movl $1, 0(%ebp)
        movl $2, 4(%ebp)
        movl $1, %eax
        movl $2, %edx
        movl $3, %ebx
        movl $4, %ecx
        cmpxchg8b (%ebp)
        movl 0(%ebp), %esi
        movl 4(%ebp), %edi
        SNAP 0x040
        cmpxchg8b (%ebp)
        SNAP 0x040
        /* clc/stc/cmc and flags round trip */
        stc
        cmc
        setc %al
        stc
        setc %ah
        pushfl
        popl %ecx
        andl $0x8d5, %ecx
        movl $0x8d5, %edx
        pushl %edx
        popfl
        pushfl
        popl %ebx
        andl $0xdff, %ebx
        SNAP
        popl %edi
        popl %esi
        popl %ebx
        popl %ebp
        ret
