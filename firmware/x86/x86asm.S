/* Instruction sequences that need exact control of registers and stack:
   the exception triggers (each with a global label at the faulting
   instruction) and ENTER/LEAVE, PUSHA/POPA. Built into both programs. */
	.text
#define T(name) .globl name; name:

T(t_de_div)     xor %ecx, %ecx; mov $1, %eax; xor %edx, %edx
T(t_de_div_at)  divl %ecx; ret
T(t_de_idiv)    mov $0x80000000, %eax; cdq; mov $-1, %ecx
T(t_de_idiv_at) idivl %ecx; ret
T(t_de_div8)    mov $0x1000, %ax; mov $0x10, %cl
T(t_de_div8_at) divb %cl; ret
T(t_de_aam)
T(t_de_aam_at)  .byte 0xd4, 0x00; ret          /* aam 0 */
T(t_ud_ud2)
T(t_ud_ud2_at)  ud2; ret
T(t_ud_lock)
T(t_ud_lock_at) .byte 0xf0, 0x01, 0xc0; ret    /* lock add %eax,%eax: LOCK on a register form */
T(t_ud_lea)
T(t_ud_lea_at)  .byte 0x8d, 0xc0; ret          /* lea with a register operand */
T(t_bp_int3)
T(t_bp_int3_at) int3; ret
T(t_bp_cd03)
T(t_bp_cd03_at) int $3; ret
T(t_of_into)    mov $0x7fffffff, %eax; add $1, %eax
T(t_of_into_at) into; ret
T(t_br_bound)   sub $8, %esp; movl $10, (%esp); movl $20, 4(%esp); mov $21, %eax
T(t_br_bound_at) bound %eax, (%esp); add $8, %esp; ret
T(t_gp_ds)      mov $0x1234, %eax
T(t_gp_ds_at)   mov %eax, %ds; ret
T(t_gp_es)      mov $0x0100, %eax
T(t_gp_es_at)   mov %eax, %es; ret
T(t_pf_read)    mov $0x1000, %ecx
T(t_pf_read_at) mov 0x10(%ecx), %eax; ret
T(t_pf_write)   mov $0x2000, %ecx
T(t_pf_write_at) movl $5, 0x24(%ecx); ret
T(t_pf_ro)      mov $ro_page, %ecx
T(t_pf_ro_at)   movw $5, 0x30(%ecx); ret
T(t_nofault)
T(t_nofault_at) mov $1, %eax; ret

/* enter_leave(out): out[0..] = ESP/EBP deltas and frame contents for a few ENTER forms. */
	.globl enter_leave
enter_leave:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov 20(%esp), %edi          /* out */
	mov %esp, %esi              /* reference */
	mov $0x11111111, %ebp
	enter $16, $0
	mov %esi, %eax; sub %esp, %eax; mov %eax, 0(%edi)     /* bytes pushed/reserved */
	mov %esi, %eax; sub %ebp, %eax; mov %eax, 4(%edi)
	mov (%ebp), %eax; mov %eax, 8(%edi)                     /* saved ebp */
	leave
	mov %esi, %eax; sub %esp, %eax; mov %eax, 12(%edi)
	mov %ebp, 16(%edi)
	/* nesting level 1 */
	mov %esi, %ebp
	sub $64, %ebp               /* a fake outer frame below us */
	movl $0xaaaa0001, -4(%ebp)
	movl $0xaaaa0002, -8(%ebp)
	mov %ebp, %ebx
	sub $128, %esp
	enter $8, $1
	mov %esi, %eax; sub %esp, %eax; mov %eax, 20(%edi)
	mov %ebx, %eax; sub %ebp, %eax; mov %eax, 24(%edi)     /* where the new ebp is relative to ... */
	mov %esi, %eax; sub %ebp, %eax; mov %eax, 24(%edi)
	mov (%ebp), %eax; sub %ebx, %eax; mov %eax, 28(%edi)   /* saved ebp == old ebp */
	mov -4(%ebp), %eax; sub %ebp, %eax; mov %eax, 32(%edi) /* level-1 frame pointer copy = new ebp */
	leave
	mov %ebp, %eax; sub %ebx, %eax; mov %eax, 36(%edi)
	/* nesting level 3: copies two outer frame pointers then pushes the new one */
	mov %ebx, %ebp
	enter $4, $3
	mov -4(%ebp), %eax; mov %eax, 40(%edi)
	mov -8(%ebp), %eax; mov %eax, 44(%edi)
	mov -12(%ebp), %eax; sub %ebp, %eax; mov %eax, 48(%edi)
	mov %ebp, %eax; sub %esp, %eax; mov %eax, 52(%edi)
	leave
	mov %esi, %esp
	/* 16-bit ENTER (operand-size prefix): pushes BP, replaces only BP (EBP's upper half stays) */
	mov $0x22223333, %ebp
	.byte 0x66; enter $6, $0
	mov %esi, %eax; sub %esp, %eax; mov %eax, 56(%edi)
	movzwl 6(%esp), %eax; mov %eax, 60(%edi)
	mov %ebp, %eax; shr $16, %eax; mov %eax, 64(%edi)
	lea 6(%esp), %eax; sub %ebp, %eax; movzwl %ax, %eax; mov %eax, 68(%edi)
	mov $0, %ebp
	mov %esi, %esp
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret

/* pusha_popa(out): PUSHA image (ESP slot as a delta), POPA results, and the 16-bit forms. */
	.globl pusha_popa
pusha_popa:
	push %ebp
	push %ebx
	push %esi
	push %edi
	mov 20(%esp), %eax
	mov %eax, out_ptr
	mov %esp, ref_esp
	mov $0xa0a0a0a0, %eax; mov $0xc1c1c1c1, %ecx; mov $0xd2d2d2d2, %edx; mov $0xb3b3b3b3, %ebx
	mov $0xe5e5e5e5, %ebp; mov $0x51515151, %esi; mov $0xd7d7d7d7, %edi
	pusha
	mov out_ptr, %eax
	mov ref_esp, %ecx
	xor %edx, %edx
1:	mov (%esp,%edx,4), %ebx
	cmp $3, %edx
	jne 2f
	sub %ecx, %ebx              /* the ESP slot: ESP before PUSHA, relative */
2:	mov %ebx, (%eax,%edx,4)
	inc %edx
	cmp $8, %edx
	jne 1b
	/* change the image and POPA: ESP slot is skipped */
	movl $0x12345678, 12(%esp)
	movl $0x0000beef, 28(%esp)
	popa
	mov %eax, %ebx
	mov out_ptr, %eax
	mov %ebx, 32(%eax)
	mov %esp, %ebx; sub ref_esp, %ebx; mov %ebx, 36(%eax)
	/* 16-bit */
	mov $0x1111aaaa, %ebx
	mov $0x2222bbbb, %ecx
	.byte 0x66; pusha
	mov %esp, %edx; sub ref_esp, %edx; mov %edx, 40(%eax)
	movzwl 8(%esp), %edx; mov %edx, 44(%eax)   /* BX slot */
	movzwl 12(%esp), %edx; mov %edx, 48(%eax)  /* CX slot */
	movw $0x7777, 8(%esp)
	.byte 0x66; popa
	mov out_ptr, %eax
	mov %ebx, 52(%eax)          /* upper half kept */
	mov %esp, %ebx; sub ref_esp, %ebx; mov %ebx, 56(%eax)
	mov ref_esp, %esp
	pop %edi
	pop %esi
	pop %ebx
	pop %ebp
	ret
	.data
out_ptr: .long 0
ref_esp: .long 0
	.section .note.GNU-stack,"",@progbits
