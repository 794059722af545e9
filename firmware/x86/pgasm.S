/* Ring-3 part of pgtest. Each access that should fault is wrapped in F():
   the kernel's handler looks the faulting EIP up in fixup_table and resumes
   after the instruction. At the end, int $0x80 returns to the kernel. */
	.macro F insn:vararg
99:	\insn
98:
	.pushsection .rodata.fixup, "a"
	.long 99b, 98b
	.popsection
	.endm

	.section .text.user, "ax"
	.align 4096
	.globl user_main, user_page_end
user_main:
	mov 4(%esp), %ebx               /* pointer to the page addresses */
	mov 0(%ebx), %esi               /* sv_page */
	F mov 0x10(%esi), %eax          /* read a supervisor page */
	F movl $1, 0x14(%esi)           /* write a supervisor page */
	mov 4(%ebx), %esi               /* ro_upage */
	mov 0x20(%esi), %eax            /* reading a user read-only page is fine */
	F movl $2, 0x24(%esi)           /* write a read-only page */
	mov 8(%ebx), %esi               /* not present */
	F mov 0x30(%esi), %eax
	F movb $3, 0x31(%esi)
	mov 12(%ebx), %esi              /* 4 MiB supervisor page */
	F mov 0x123(%esi), %eax
	mov 16(%ebx), %esi              /* 4 MiB user page: read + write fine */
	mov 0x40(%esi), %eax
	movl $0x5a5a5a5a, 0x2000(%esi)
	mov 20(%ebx), %esi              /* rd_page: read only from here */
	mov (%esi), %eax
	mov 24(%ebx), %esi              /* wr_page: written */
	movl $0x12345678, 8(%esi)
	/* privileged instructions */
	F hlt
	F cli
	F mov %cr0, %eax
	F inb $0x71, %al
	F int $0x0d                    /* gate DPL 0: #GP(vector*8+2) */
	F lgdt (%esi)
	mov $0x10, %eax
	F mov %eax, %ss                /* ring-0 data selector into SS at CPL 3: #GP(selector) */
	/* back to the kernel through the DPL-3 gate */
	mov $0x600d, %eax
	int $0x80
1:	jmp 1b
	.align 4096
user_page_end:

	.text
	.globl isr128
isr128:
	push $0
	push $0x80
	jmp isr_common
	.section .note.GNU-stack,"",@progbits
