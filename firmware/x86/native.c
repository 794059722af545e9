/* The native half: run x86test as an i386 Linux process, without a C
   library (raw int $0x80 system calls keep the binary small). Faults arrive
   as signals; the handler reads what the kernel saved from the CPU's
   exception (ucontext: trap number, error code, EIP; siginfo: si_addr as
   CR2) and resumes at fault_resume. */
#include "common.h"

static long sys3(long n, long a, long b, long c) {
  long r;
  asm volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}
static long sys4(long n, long a, long b, long c, long d) {
  long r;
  asm volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
  return r;
}
#define SYS_write 4
#define SYS_exit_group 252
#define SYS_rt_sigaction 174

static char obuf[1 << 16];
static unsigned on;
static void flush(void) { unsigned o = 0; while (o < on) { long n = sys3(SYS_write, 1, (long)(obuf + o), on - o); if (n <= 0) break; o += n; } on = 0; }
void xputc(int c) { obuf[on++] = c; if (on == sizeof obuf) flush(); }

volatile struct fault last_fault;

/* i386 ucontext: uc_flags, uc_link, uc_stack (3 words), then the sigcontext registers
   (gs fs es ds edi esi ebp esp ebx edx ecx eax trapno err eip ...), i.e. glibc's gregs[]. */
enum { REG_TRAPNO = 12, REG_ERR = 13, REG_EIP = 14 };
static void handler(int sig, void *si, void *uc) {
  (void)sig;
  u32 *gregs = (u32 *)((char *)uc + 20);
  last_fault.vec = gregs[REG_TRAPNO];
  last_fault.err = gregs[REG_ERR];
  last_fault.cr2 = ((u32 *)si)[3];   /* si_addr */
  last_fault.eip = gregs[REG_EIP];
  if (!guard_active) { flush(); static const char m[] = "unexpected fault\n"; sys3(SYS_write, 2, (long)m, sizeof m - 1); sys3(SYS_exit_group, 2, 0, 0); }
  gregs[REG_EIP] = (u32)fault_resume;
}

extern void sig_restorer(void);
asm(".text\n.globl sig_restorer\nsig_restorer:\n\tmov $173, %eax\n\tint $0x80\n");   /* rt_sigreturn */

struct kaction { void *handler; u32 flags; void (*restorer)(void); u32 mask[2]; };
#define SA_SIGINFO 0x4
#define SA_NODEFER 0x40000000
#define SA_RESTORER 0x04000000

int main(void) {
  struct kaction sa = { (void *)handler, SA_SIGINFO | SA_NODEFER | SA_RESTORER, sig_restorer, { 0, 0 } };
  static const int sigs[] = { 11, 4, 8, 5, 7 };   /* SEGV ILL FPE TRAP BUS */
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sys4(SYS_rt_sigaction, sigs[i], (long)&sa, 0, 8);
  x86test_main();
  flush();
  return 0;
}

asm(".text\n.globl _start\n_start:\n\txor %ebp, %ebp\n\tand $-16, %esp\n\tcall main\n\tmov %eax, %ebx\n\tmov $252, %eax\n\tint $0x80\n");
