/**
 * Keys typed in the TUI's serial pane as the bytes a guest expects from an
 * xterm. The host terminal's own sequence is passed through, except cursor
 * keys: which form they take (ESC [ A or ESC O A) depends on the mode the
 * *guest* set (DECCKM), not on the mode the host terminal happens to be in.
 */
export interface KeyEvent { name?: string; sequence?: string; ctrl?: boolean; meta?: boolean; shift?: boolean }

const CURSOR: Record<string, string> = { up: 'A', down: 'B', right: 'C', left: 'D', home: 'H', end: 'F' };

export function keyBytes(ch: string | undefined, key: KeyEvent | undefined, applicationCursor: boolean): Uint8Array {
  const name = key?.name ?? '';
  if (CURSOR[name] && !key?.ctrl && !key?.meta && !key?.shift) {
    return Buffer.from((applicationCursor ? '\x1bO' : '\x1b[') + CURSOR[name], 'latin1');
  }
  return Buffer.from(key?.sequence ?? ch ?? '', 'utf8');
}
