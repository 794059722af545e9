/* run_guarded(fn): call fn with a way back if it faults. A handler sets the
   saved EIP to fault_resume, which restores the stack run_guarded left. */
	.text
	.globl run_guarded, fault_resume
run_guarded:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov %esp, saved_esp
	movl $1, guard_active
	mov 20(%esp), %eax
	call *%eax
	movl $0, guard_active
	xor %eax, %eax
	jmp 1f
fault_resume:
	mov saved_esp, %esp
	movl $0, guard_active
	cld
	mov $1, %eax
1:	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

	.data
	.globl guard_active
saved_esp:	.long 0
guard_active:	.long 0
	.section .note.GNU-stack,"",@progbits
