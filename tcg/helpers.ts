/**
 * The registry of helper functions generated code may call (QEMU's
 * DEF_HELPER). A helper receives the CPU object and up to four i32 arguments
 * and returns an i32. Helpers may read and write the CPU state block and may
 * throw GuestException to raise a guest exception precisely.
 */
export type HelperFn = (cpu: any, a: number, b: number, c: number, d: number) => number | void;

export const helperFns: HelperFn[] = [];
export const helperNames: string[] = [];

export function defHelper(name: string, fn: HelperFn): number {
  helperFns.push(fn);
  helperNames.push(name);
  return helperFns.length - 1;
}

/**
 * Thrown (as the single shared instance) by helpers and the softmmu slow path
 * once the target has recorded the exception in the CPU state. cpu_exec
 * catches it, restores the guest pc of the faulting instruction and delivers
 * the exception.
 */
export class GuestException {
  static readonly it = new GuestException();
  private constructor() {}
}

/** Thrown to leave the current TB at once after the helper already set the next pc (e.g. WFI, mode changes). */
export class ExitTbRequest {
  static readonly it = new ExitTbRequest();
  private constructor() {}
}

/**
 * Thrown by the `debug` helper, which the translator plants at a debugger
 * breakpoint (QEMU's EXCP_DEBUG): cpu_exec restores the pc of the
 * instruction, which has not run, and reports to the debugger.
 */
export class DebugException {
  static readonly it = new DebugException();
  private constructor() {}
}

/** Helper the translators call at the start of an instruction that has a debugger breakpoint. */
export const HELPER_DEBUG = defHelper('debug', () => { throw DebugException.it; });

/**
 * For a TB exit whose next pc or flags the translator could not know (mode
 * changes, exception returns): compiled code asks the CPU and follows the
 * jump table itself instead of returning to cpu_exec. -1 from next_flags
 * sends it back there: an interrupt may have become deliverable.
 */
export const HELPER_NEXT_PC = defHelper('next_pc', (cpu) => cpu.getPC());
export const HELPER_NEXT_FLAGS = defHelper('next_flags', (cpu) => (cpu.interruptRequest || cpu.exitRequest ? -1 : cpu.tbFlags()));

/** cflags for ExecCPU.translate (QEMU's CF_*): the low bits bound the instruction count (0: the target's default). */
export const CF_COUNT_MASK = 0xffff;
/** Do not plant debugger breakpoints (a single step starting at one). */
export const CF_NO_BP = 0x10000;
