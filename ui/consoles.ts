/**
 * Which text console belongs to a machine (QEMU's console list): the screen
 * of its first serial port, kept in every display mode so `screendump` works
 * under -nographic and -display none as well as in the TUI.
 */
import type { SerialTerminal } from './serial-term.js';

const consoles = new WeakMap<object, SerialTerminal>();

export function setTextConsole(machine: object, t: SerialTerminal): void { consoles.set(machine, t); }
export function textConsole(machine: object): SerialTerminal | undefined { return consoles.get(machine); }
