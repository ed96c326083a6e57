/** A one-line progress bar on stderr, drawn only on a terminal and at most ten times a second. */
export class Progress {
  private last = 0
  private readonly started = Date.now()
  private drawn = false

  constructor(
    private readonly enabled: boolean,
    private readonly total: number | null,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /**
   * Whether to draw on stderr: on a terminal, outside CI, unless the command is quiet (--json). Ask on the main thread:
   * a worker's stderr is never a terminal.
   */
  static wanted(quiet: boolean): boolean {
    return !quiet && process.stderr.isTTY === true && process.env.CI === undefined
  }

  update(done: number, rows: number, label = 'rows'): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.last < 100) return
    this.last = now
    const seconds = Math.max((now - this.started) / 1000, 0.001)
    const rate = rows / seconds
    const width = 32
    let line: string
    if (this.total !== null && this.total > 0) {
      const fraction = Math.min(done / this.total, 1)
      const filled = Math.round(fraction * width)
      const eta = fraction > 0 ? seconds * (1 / fraction - 1) : 0
      line = `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${rows.toLocaleString('en-US')} ${label}  ${formatRate(rate)}  eta ${Math.ceil(eta)}s`
    } else {
      line = `${rows.toLocaleString('en-US')} ${label}  ${formatRate(rate)}`
    }
    this.stream.write(`\r${line}\x1b[K`)
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K')
    this.drawn = false
  }
}

function formatRate(perSecond: number): string {
  return perSecond >= 1000 ? `${Math.round(perSecond / 1000)}k rows/s` : `${Math.round(perSecond)} rows/s`
}
