import {type Lang, say} from '../core/messages.js'

/** A one-line progress bar on stderr, drawn only on a terminal and at most ten times a second. */
export class Progress {
  private last = 0
  private readonly started = Date.now()
  private drawn = false

  /** `lang` is the language to draw in, or null to draw nothing. */
  constructor(
    private readonly lang: Lang | null,
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

  update(done: number, rows: number): void {
    const {lang} = this
    if (lang === null) return
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
      line =
        `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ` +
        `${String(Math.floor(fraction * 100)).padStart(3)}%  ${progressCounts(lang, rows, rate)}  ` +
        `${say(lang, 'progressEta', {seconds: Math.ceil(eta)})}`
    } else {
      line = progressCounts(lang, rows, rate)
    }
    this.stream.write(`\r${line}\x1b[K`)
    this.drawn = true
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K')
    this.drawn = false
  }
}

/** Rows read and rows a second: `12,000 rows  40k rows/s`, `12,000 行  4万 行/秒`. */
export function progressCounts(lang: Lang, rows: number, perSecond: number): string {
  const rate =
    perSecond >= 1000
      ? say(lang, 'progressThousands', {n: Math.round(perSecond / 1000)})
      : String(Math.round(perSecond))
  return say(lang, 'progressRows', {rows: rows.toLocaleString('en-US'), rate})
}
