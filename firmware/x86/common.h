/* Shared by the native (Linux i386) and multiboot builds of the x86 tests. */
#ifndef X86_COMMON_H
#define X86_COMMON_H
typedef unsigned int u32;
typedef int s32;
typedef unsigned short u16;
typedef unsigned char u8;
typedef unsigned long long u64;

/* Platform hooks: native.c or kernel.c. */
void xputc(int c);

/* lib.c: a tiny printf (%d %u %x %0Nx %s %c) used by both builds, so formatting is identical. */
void pr(const char *fmt, ...);

/* What the last exception looked like (vector, error code, CR2, faulting EIP). */
struct fault { int vec; u32 err; u32 cr2; u32 eip; };
extern volatile struct fault last_fault;
/* Calls fn; returns 1 (and fills last_fault) if it faulted, 0 if it returned normally. */
int run_guarded(void (*fn)(void));
/* Where a fault handler sends execution to get out of run_guarded (fault.S). */
extern char fault_resume[];
extern volatile int guard_active;

void x86test_main(void);

/* Page-aligned, read-only in both worlds (.rodata natively; a read-only PTE in the kernel). */
extern const u8 ro_page[4096];
#define UNMAPPED_A 0x00001000u   /* below every Linux mapping; not present in the kernel's page table */
#define UNMAPPED_B 0x00002000u
#endif
