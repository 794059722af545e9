/**
 * Which console front end a run gets, QEMU's way: -nographic puts serial and
 * monitor on stdio; -display tui (or curses) is the full-screen TUI; -display
 * none has no console at all (serial0 still has its screen, for screendump).
 * With neither, a terminal gets the TUI and a pipe the plain stdio mux, so
 * programs and tests keep driving the guest through stdin.
 */
export type DisplayMode = 'tui' | 'none' | 'nographic' | 'stdio';

export function chooseDisplay(o: { nographic: boolean; display?: string }, tty: { stdin: boolean; stdout: boolean }): DisplayMode {
  if (o.nographic) return 'nographic';
  if (o.display === 'tui' || o.display === 'curses') return 'tui';
  if (o.display === 'none') return 'none';
  return tty.stdin && tty.stdout ? 'tui' : 'stdio';
}

/** `vc` is QEMU's name for a console on the display; under the TUI stdio means the TUI too. */
export function isDisplayConsole(spec: string, mode: DisplayMode): boolean {
  if (spec === 'vc' || spec.startsWith('vc:') || spec === 'mon:vc') return mode === 'tui' || mode === 'none';
  return mode === 'tui' && (spec === 'stdio' || spec === 'mon:stdio');
}
