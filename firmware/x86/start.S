/* Multiboot entry for the x86 test kernels: header, flat GDT (ring 0 and
   ring 3 segments, a TSS slot), an IDT whose 32 exception vectors go to
   kexc(frame) in C, then kmain(magic, mbi). */
	.set MB_MAGIC, 0x1badb002
	.set MB_FLAGS, 0x00000003          /* page-align modules, memory info */
	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	cli
	mov $stack_top, %esp
	mov %eax, %esi                      /* multiboot magic */
	mov %ebx, %edi                      /* mbi */
	lgdt gdt_desc
	ljmp $0x08, $1f
1:	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss
	xor %eax, %eax
	lldt %ax                            /* no LDT: TI=1 selectors fault (after reset LDTR has base 0, limit 0xffff) */
	/* IDT: 32 interrupt gates (ring 0), plus the ones the kernels add */
	xor %ecx, %ecx
2:	mov isr_table(,%ecx,4), %eax
	mov %ax, idt(,%ecx,8)
	movw $0x08, idt+2(,%ecx,8)
	movw $0x8e00, idt+4(,%ecx,8)
	shr $16, %eax
	mov %ax, idt+6(,%ecx,8)
	inc %ecx
	cmp $32, %ecx
	jne 2b
	lidt idt_desc
	push %edi
	push %esi
	call kmain
	/* kmain returns the exit value for isa-debug-exit */
	mov $0xf4, %dx
	out %al, %dx
3:	hlt
	jmp 3b

/* Vectors with an error code: 8, 10-14, 17, 21, 29, 30. */
.macro ISR n
isr\n:
	.if (\n == 8) || ((\n >= 10) && (\n <= 14)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	push $0
	.endif
	push $\n
	jmp isr_common
.endm
	.altmacro
.set i, 0
.rept 32
	ISR %i
	.set i, i+1
.endr

	.globl isr_common
isr_common:
	pusha
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	push %esp
	call kexc
	add $4, %esp
	popa
	add $8, %esp
	iret

	.section .rodata
.macro ISRADDR n
	.long isr\n
.endm
isr_table:
.set i, 0
.rept 32
	ISRADDR %i
	.set i, i+1
.endr

	.data
	.align 8
	.globl gdt, tss_desc
gdt:
	.quad 0
	.quad 0x00cf9a000000ffff                /* 0x08 ring-0 code */
	.quad 0x00cf92000000ffff                /* 0x10 ring-0 data */
	.quad 0x00cffa000000ffff                /* 0x1b ring-3 code */
	.quad 0x00cff2000000ffff                /* 0x23 ring-3 data */
tss_desc:
	.quad 0                                 /* 0x28 TSS, filled in by the kernel that uses it */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt
	.align 8
	.globl idt
idt_desc:
	.word 256 * 8 - 1
	.long idt

	.bss
	.align 4096
	.globl idt
idt:	.space 256 * 8
	.align 16
	.space 32768
	.globl stack_top
stack_top:
	.section .note.GNU-stack,"",@progbits
