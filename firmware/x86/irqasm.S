/* IDT stubs for the PIC's vectors 0x20-0x2f (irqtest). */
	.text
.macro IRQSTUB n
	.globl irq\n
irq\n:
	push $0
	push $(0x20 + \n)
	jmp isr_common
.endm
	.altmacro
.set i, 0
.rept 16
	IRQSTUB %i
	.set i, i+1
.endr
	.section .rodata
	.globl irq_stubs
.macro IRQADDR n
	.long irq\n
.endm
irq_stubs:
.set i, 0
.rept 16
	IRQADDR %i
	.set i, i+1
.endr
	.section .note.GNU-stack,"",@progbits
