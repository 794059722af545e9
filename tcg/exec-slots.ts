/**
 * Words every target reserves at the end of its 4 KiB CPU state block for
 * the execution engine: generated code and cpu_exec talk through them.
 */
export const ENV_SIZE = 4096;
/** Guest instructions left in this slice; each TB subtracts its count at entry and returns when negative. */
export const ENV_BUDGET = ENV_SIZE - 64;
/** Id of the TB that most recently started (so cpu_exec knows which TB left through a chain stub). */
export const ENV_LAST_TB = ENV_SIZE - 60;
/** Guest pc of the instruction that called a helper, for precise exceptions from compiled code. */
export const ENV_FAULT_PC = ENV_SIZE - 56;
export const ENV_FAULT_EXTRA = ENV_SIZE - 52;
/** Non-zero after a slow-path memory access in compiled code raised a guest exception. */
export const ENV_FAULTED = ENV_SIZE - 48;
/** Two words generated code may clobber at will (the interpreter's warm-up TB writes them). */
export const ENV_SCRATCH = ENV_SIZE - 44;
