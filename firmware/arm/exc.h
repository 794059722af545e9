#ifndef TSEMU_EXC_H
#define TSEMU_EXC_H
#include "types.h"

enum {
    EXC_UNDEF = 1, EXC_SVC = 2, EXC_PABT = 3, EXC_DABT = 4,
    EXC_HYP = 5, EXC_IRQ = 6, EXC_FIQ = 7, EXC_NTYPES = 8
};

struct exc_frame {
    u32 spsr;
    u32 pad;
    u32 r[13];
    u32 pc;         /* see start.S for what this holds per exception type */
};

typedef void (*exc_hook_fn)(struct exc_frame *f, int type);

/* Per-type hook; NULL means "report and power off". */
extern exc_hook_fn exc_hooks[EXC_NTYPES];

/* Generic "recover" support: if a hook sets frame->pc = exc_recover_pc the
 * interrupted code resumes there (used by the probe_* helpers). */
extern volatile u32 exc_recover_pc;

void exc_dispatch(struct exc_frame *f, int type);
void psci_system_off(void) __attribute__((noreturn));
void psci_system_reset(void) __attribute__((noreturn));

#endif
