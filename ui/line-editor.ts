/**
 * The monitor's input line in the TUI: editing, history (up/down) and tab
 * completion of command names and `info` subcommands. Pure logic; the pane
 * draws `prompt + text` with the cursor at `cursor`.
 */
export class LineEditor {
  text = '';
  cursor = 0;
  private history: string[] = [];
  private histIndex = 0;   // == history.length: the line being typed
  private draft = '';

  constructor(private complete: (words: string[]) => string[], private maxHistory = 200) {}

  insert(s: string): void {
    this.text = this.text.slice(0, this.cursor) + s + this.text.slice(this.cursor);
    this.cursor += s.length;
  }
  backspace(): void {
    if (this.cursor === 0) return;
    this.text = this.text.slice(0, this.cursor - 1) + this.text.slice(this.cursor);
    this.cursor--;
  }
  del(): void { this.text = this.text.slice(0, this.cursor) + this.text.slice(this.cursor + 1); }
  left(): void { if (this.cursor > 0) this.cursor--; }
  right(): void { if (this.cursor < this.text.length) this.cursor++; }
  home(): void { this.cursor = 0; }
  end(): void { this.cursor = this.text.length; }
  clear(): void { this.text = ''; this.cursor = 0; }

  /** Enter: the line to run; kept in the history unless empty or a repeat. */
  take(): string {
    const line = this.text;
    if (line.trim() && this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > this.maxHistory) this.history.shift();
    }
    this.histIndex = this.history.length;
    this.clear();
    return line;
  }

  up(): void {
    if (this.histIndex === 0) return;
    if (this.histIndex === this.history.length) this.draft = this.text;
    this.set(this.history[--this.histIndex]);
  }
  down(): void {
    if (this.histIndex >= this.history.length) return;
    this.histIndex++;
    this.set(this.histIndex === this.history.length ? this.draft : this.history[this.histIndex]);
  }
  private set(s: string): void { this.text = s; this.cursor = s.length; }

  /**
   * Tab: complete the word before the cursor. One candidate completes it (and
   * adds a space); several extend it to their common prefix and are returned
   * so the pane can list them, as QEMU's readline does.
   */
  tab(): string[] {
    const before = this.text.slice(0, this.cursor);
    const words = before.split(/\s+/);
    const partial = words[words.length - 1];
    const matches = this.complete(words).filter((c) => c.startsWith(partial));
    if (matches.length === 0) return [];
    if (matches.length === 1) { this.insert(matches[0].slice(partial.length) + ' '); return []; }
    let common = matches[0];
    for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
    this.insert(common.slice(partial.length));
    return matches;
  }
}

/** Completion for HMP: the first word from the command names, `info`'s second from its subcommands. */
export function hmpCompleter(commands: string[], info: string[]): (words: string[]) => string[] {
  return (words) => (words.length === 1 ? commands : words.length === 2 && words[0] === 'info' ? info : []);
}
