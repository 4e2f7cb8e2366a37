/** A one-line progress display on a terminal; silent when stderr is not a TTY or when disabled. */
export class Progress {
  private lastDraw = 0;
  private active = false;

  constructor(private readonly enabled = Boolean(process.stderr.isTTY)) {}

  /** Redraws `label` with a byte count (and percentage when the total is known), at most 10 times a second. */
  update(label: string, done: number, total?: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && (total === undefined || done < total)) return;
    this.lastDraw = now;
    const percent = total ? ` ${((100 * done) / total).toFixed(1)}%` : "";
    process.stderr.write(`\r\x1b[2K${label}: ${formatBytes(done)}${total ? ` / ${formatBytes(total)}` : ""}${percent}`);
    this.active = true;
  }

  /** Ends the progress line. */
  done(): void {
    if (this.enabled && this.active) process.stderr.write("\n");
    this.active = false;
  }
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
