/* The native half: run x86test as an i386 Linux process. Faults arrive as
   signals; the handler reads what the kernel saved from the CPU's exception
   (trap number, error code, CR2 as si_addr, EIP) and resumes at fault_resume. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include "common.h"

static char obuf[1 << 16];
static unsigned on;
static void flush(void) { unsigned o = 0; while (o < on) { ssize_t n = write(1, obuf + o, on - o); if (n <= 0) break; o += n; } on = 0; }
void xputc(int c) { obuf[on++] = c; if (on == sizeof obuf) flush(); }

volatile struct fault last_fault;

static void handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  (void)sig;
  last_fault.vec = uc->uc_mcontext.gregs[REG_TRAPNO];
  last_fault.err = uc->uc_mcontext.gregs[REG_ERR];
  last_fault.cr2 = (u32)si->si_addr;
  last_fault.eip = uc->uc_mcontext.gregs[REG_EIP];
  if (!guard_active) { flush(); static const char m[] = "unexpected fault\n"; write(2, m, sizeof m - 1); _exit(2); }
  uc->uc_mcontext.gregs[REG_EIP] = (greg_t)fault_resume;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  int sigs[] = { SIGSEGV, SIGILL, SIGFPE, SIGTRAP, SIGBUS };
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, 0);
  x86test_main();
  flush();
  return 0;
}
