/**
 * A streaming RFC 4180 parser for the import hot path. csv-parse took a third of a 1M-row import's time
 * (node --cpu-prof); this one scans with indexOf and slices, and is checked against csv-parse by a property test.
 *
 * Quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and CR all end a record;
 * blank lines are skipped. A quote inside an unquoted field is kept as text, as Excel does.
 *
 * A field larger than the limit (in UTF-8 bytes) is not kept: its cell is left empty and the record says which
 * field it was and how large, so the caller can reject the row rather than hold the field in memory.
 */
import {en} from '../core/messages.js'
export interface CsvRecord {
  /** The line the record starts on (1-based). */
  readonly line: number
  readonly cells: string[]
  /** The first field larger than the limit (its cell is empty). */
  tooLarge?: FieldTooLarge
  /** Set through mark(): something is wrong with the record's text (bytes that did not decode, say). */
  problem?: string
}

export interface FieldTooLarge {
  /** The field's column, from 0. */
  readonly column: number
  /** Its size in UTF-8 bytes. */
  readonly bytes: number
}

interface Mark {
  readonly offset: number
  readonly problem: string
}

export class CsvParser {
  private line = 1
  private readonly delimiter: number
  private readonly pending: PendingRecord
  /** Where the text being scanned starts, as an offset into all the text written (less what was dropped). */
  private base = 0
  /**
   * Records longer than this (in characters) may hold a field over the limit (a character is at most 3 UTF-8 bytes).
   */
  private readonly longRecord: number
  private readonly marks: Mark[] = []
  private nextMark = 0
  /** Line breaks inside a dropped field of the pending record, which the record's own scan no longer sees. */
  private droppedBreaks = 0
  /** The pending record's field over the limit, for the first record of the next scan. */
  private pendingTooLarge: FieldTooLarge | undefined

  constructor(
    private readonly delimiterText: string,
    private readonly maxFieldBytes = Number.POSITIVE_INFINITY,
  ) {
    this.delimiter = delimiterText.charCodeAt(0)
    this.longRecord = Math.floor(maxFieldBytes / 3)
    this.pending = new PendingRecord(this.delimiter, maxFieldBytes)
  }

  /**
   * Marks the record that holds the character at `offset` (counted over all the text written, including text
   * not written yet) with a problem. Marks must come in order of offset; a record keeps its first.
   */
  mark(offset: number, problem: string): void {
    this.marks.push({offset, problem})
  }

  /** Parses the complete records in `text` (after what was pending) and keeps an incomplete tail for later. */
  write(text: string, out: CsvRecord[] = []): CsvRecord[] {
    if (this.pending.isEmpty) return this.scanAll(text, 0, out)
    if (!this.pending.add(text)) return out
    return this.scanAll(this.pending.text, this.pending.dropped, out)
  }

  /** Parses what is left; throws on an unclosed quote. */
  end(out: CsvRecord[] = []): CsvRecord[] {
    if (this.pending.isEmpty) return out
    const text = this.pending.finish()
    this.beginScan(this.pending.dropped)
    this.scan(text, true, out)
    this.endScan(text.length)
    return out
  }

  /** Scans s (whose first `dropped` characters of input were left out) and keeps what is left as the pending record. */
  private scanAll(s: string, dropped: number, out: CsvRecord[]): CsvRecord[] {
    this.beginScan(dropped)
    const consumed = this.scan(s, false, out)
    this.endScan(consumed)
    if (consumed < s.length && this.pending.add(s.slice(consumed))) {
      // The scan and the pending record's scan disagree about where a record ends: a bug, and an endless loop if
      // ignored.
      throw new Error(en('csvRecordEndLost', {line: this.line}))
    }
    return out
  }

  /** Takes over what the pending record knows of itself before the scan parses it. */
  private beginScan(dropped: number): void {
    this.base += dropped
    this.droppedBreaks = this.pending.droppedBreaks
    this.pendingTooLarge = this.pending.tooLarge
    this.pending.reset()
  }

  private endScan(consumed: number): void {
    this.base += consumed
    if (this.nextMark === this.marks.length) {
      this.marks.length = 0
      this.nextMark = 0
    }
  }

  /** Adds a record: checks its fields' sizes when it is long, and attaches a mark that falls inside it. */
  private emit(out: CsvRecord[], cells: string[], start: number, end: number): void {
    const record: CsvRecord = {line: this.line, cells}
    if (this.pendingTooLarge !== undefined) {
      record.tooLarge = this.pendingTooLarge
      this.pendingTooLarge = undefined
    }
    if (end - start > this.longRecord) this.checkFieldSizes(record)
    if (this.nextMark < this.marks.length && this.marks[this.nextMark].offset < this.base + end) {
      record.problem = this.marks[this.nextMark].problem
      while (this.nextMark < this.marks.length && this.marks[this.nextMark].offset < this.base + end) this.nextMark++
    }
    out.push(record)
    if (this.droppedBreaks > 0) {
      this.line += this.droppedBreaks
      this.droppedBreaks = 0
    }
  }

  private checkFieldSizes(record: CsvRecord): void {
    const {cells} = record
    for (let column = 0; column < cells.length; column++) {
      if (cells[column].length <= this.longRecord) continue
      const bytes = Buffer.byteLength(cells[column], 'utf8')
      if (bytes <= this.maxFieldBytes) continue
      if (record.tooLarge === undefined || record.tooLarge.column > column) record.tooLarge = {column, bytes}
      cells[column] = ''
    }
  }

  /** Returns how many characters of s were consumed by complete records. */
  private scan(s: string, final: boolean, out: CsvRecord[]): number {
    const n = s.length
    const delimiter = this.delimiter
    let i = 0
    let nextQuote = -1
    let nextCr = -1
    records: while (i < n) {
      const c0 = s.charCodeAt(i)
      if (c0 === 10 || c0 === 13) {
        // Blank line.
        if (c0 === 13 && i + 1 >= n && !final) return i
        i += c0 === 13 && s.charCodeAt(i + 1) === 10 ? 2 : 1
        this.line++
        continue
      }
      const start = i
      // Fast path: a line with no quote and no lone CR splits natively.
      const newline = s.indexOf('\n', i)
      if (newline >= 0) {
        if (nextQuote < i) nextQuote = indexOrEnd(s, '"', i)
        if (nextCr < i) nextCr = indexOrEnd(s, '\r', i)
        const end = nextCr === newline - 1 ? newline - 1 : newline
        if (nextQuote > newline && nextCr >= end) {
          this.emit(out, s.slice(i, end).split(this.delimiterText), i, newline + 1)
          this.line++
          i = newline + 1
          continue
        }
      }
      const cells: string[] = []
      let breaks = 0
      for (;;) {
        if (s.charCodeAt(i) === 34) {
          let value = ''
          let from = i + 1
          for (;;) {
            const q = s.indexOf('"', from)
            if (q < 0) {
              if (!final) return start
              throw new Error(en('quoteNotClosed', {line: this.line}))
            }
            if (q + 1 >= n && !final) return start
            if (s.charCodeAt(q + 1) === 34) {
              value += s.slice(from, q + 1)
              from = q + 2
              continue
            }
            value += s.slice(from, q)
            i = q + 1
            break
          }
          // Text after the closing quote (malformed, but seen in the wild) is kept.
          const j = fieldEnd(s, i, delimiter)
          if (j >= n && !final) return start
          if (j > i) value += s.slice(i, j)
          i = j
          breaks += lineBreaks(value)
          cells.push(value)
        } else {
          const j = fieldEnd(s, i, delimiter)
          if (j >= n && !final) return start
          cells.push(s.slice(i, j))
          i = j
        }
        if (i >= n) {
          this.emit(out, cells, start, n)
          this.line += 1 + breaks
          return n
        }
        const c = s.charCodeAt(i)
        if (c === delimiter) {
          i++
          if (i >= n) {
            if (!final) return start
            cells.push('')
            this.emit(out, cells, start, n)
            this.line += 1 + breaks
            return n
          }
          continue
        }
        // End of record: CR, LF or CRLF.
        if (c === 13) {
          if (i + 1 >= n && !final) return start
          i += s.charCodeAt(i + 1) === 10 ? 2 : 1
        } else i++
        this.emit(out, cells, start, i)
        this.line += 1 + breaks
        continue records
      }
    }
    return i
  }
}

/**
 * The incomplete record at the end of the text written so far, kept in pieces. Each new piece is scanned once, on
 * from where the last scan stopped and only as far as the record's end; the pieces are joined once, when the record
 * is complete (joining them with every chunk made a long line take quadratic time). A field that grows past the
 * limit has its text dropped as it is scanned: the pieces keep an empty field in its place.
 */
class PendingRecord {
  private pieces: string[] = []
  /** Characters in pieces. */
  private length = 0
  /** Characters of input left out of the pieces. */
  dropped = 0
  droppedBreaks = 0
  tooLarge: FieldTooLarge | undefined
  /** The complete record (and the text after it), once add() has said it is complete. */
  text = ''

  private recordStart = true
  private fieldStart = true
  private inQuotes = false
  private quoted = false
  /** Inside quotes, the last character seen was a quote: a closing one, or the first of a doubled one. */
  private quoteAtEnd = false
  /** The record ended with a CR that was the last character seen (an LF may follow). */
  private crAtEnd = false
  private column = 0
  private fieldChars = 0
  /** Where the current field's text starts in the pieces (after its opening quote). */
  private fieldOffset = 0
  private dropping = false
  private droppedBytes = 0
  /** The text dropped last ended with a CR (an LF at the start of the next is the same line break). */
  private droppedCrLast = false

  constructor(
    private readonly delimiter: number,
    private readonly maxFieldBytes: number,
  ) {}

  get isEmpty(): boolean {
    return this.length === 0 && this.dropped === 0 && !this.dropping
  }

  reset(): void {
    this.pieces = []
    this.length = 0
    this.dropped = 0
    this.droppedBreaks = 0
    this.tooLarge = undefined
    this.text = ''
    this.recordStart = true
    this.fieldStart = true
    this.inQuotes = false
    this.quoted = false
    this.quoteAtEnd = false
    this.crAtEnd = false
    this.column = 0
    this.fieldChars = 0
    this.dropping = false
  }

  /**
   * Scans `text` on from where the record stands. True when the record is complete: `text` (this.text) then holds
   * the whole record and everything after it; false when it goes on (what is kept of `text` is kept).
   */
  add(text: string): boolean {
    const n = text.length
    // The part of text not yet added to the pieces starts at keep (or, while a field is dropped, is dropped from drop).
    let keep = this.dropping ? -1 : 0
    let drop = this.dropping ? 0 : -1
    const at = (index: number) => this.length + index - keep
    const startDropping = (index: number) => {
      if (keep >= 0) this.push(text.slice(keep, index))
      const whole = this.pieces.join('')
      this.droppedBytes = 0
      this.droppedCrLast = false
      this.dropText(whole.slice(this.fieldOffset))
      this.pieces = [whole.slice(0, this.fieldOffset)]
      this.length = this.fieldOffset
      this.dropping = true
      keep = -1
      drop = index
    }
    const endField = (index: number) => {
      if (this.dropping) {
        this.dropText(text.slice(drop, index))
        // (Less the closing quote, which was dropped with the text.)
        this.tooLarge ??= {column: this.column, bytes: this.droppedBytes - (this.quoted ? 1 : 0)}
        this.holdEmptyField()
        this.dropping = false
        keep = index
        drop = -1
      }
      this.column++
      this.fieldChars = 0
      this.fieldStart = true
      this.quoted = false
    }
    const grow = (chars: number, index: number) => {
      this.fieldChars += chars
      if (!this.dropping && this.fieldChars > this.maxFieldBytes) startDropping(index)
    }
    const complete = () => {
      this.text = this.pieces.join('') + text.slice(keep)
      return true
    }
    let i = 0
    if (this.crAtEnd) return n > 0 ? complete() : false
    if (this.quoteAtEnd && n > 0) {
      this.quoteAtEnd = false
      if (text.charCodeAt(0) === 34) {
        grow(1, 1)
        i = 1
      } else this.inQuotes = false
    }
    while (i < n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i)
        if (q < 0 || q + 1 >= n) {
          // A quote at the very end counts once the next text says whether it is doubled.
          grow(q < 0 ? n - i : q - i, n)
          if (q >= 0) this.quoteAtEnd = true
          i = n
          break
        }
        grow(q - i, q)
        if (text.charCodeAt(q + 1) === 34) {
          grow(1, q + 2)
          i = q + 2
        } else {
          this.inQuotes = false
          i = q + 1
        }
        continue
      }
      const c = text.charCodeAt(i)
      if (this.recordStart && (c === 10 || c === 13)) {
        // A blank line: the scan skips it.
        if (c === 13 && i + 1 >= n) {
          this.crAtEnd = true
          break
        }
        return complete()
      }
      if (this.fieldStart) {
        this.recordStart = false
        this.fieldStart = false
        if (c === 34) {
          this.inQuotes = true
          this.quoted = true
          this.fieldOffset = at(i + 1)
          i++
          continue
        }
        this.fieldOffset = at(i)
      }
      const j = fieldEnd(text, i, this.delimiter)
      grow(j - i, j)
      if (j >= n) {
        i = n
        break
      }
      endField(j)
      const d = text.charCodeAt(j)
      i = j + 1
      if (d === this.delimiter) continue
      // The end of the record: a CR at the very end may be followed by an LF in the next text.
      if (d === 13 && i >= n) {
        this.crAtEnd = true
        break
      }
      return complete()
    }
    if (keep >= 0) this.push(text.slice(keep))
    else this.dropText(text.slice(drop))
    return false
  }

  /** The record's text at the end of the input (a field being dropped ends here). */
  finish(): string {
    if (this.dropping) {
      this.tooLarge ??= {column: this.column, bytes: this.droppedBytes}
      // A quote seen last closed the field; without one the quote is unclosed, and the scan says so.
      if (!this.quoted || this.quoteAtEnd) this.holdEmptyField()
    }
    return this.pieces.join('')
  }

  /**
   * Puts an empty quoted field where the dropped one was (its opening quote is kept already when it was quoted): an
   * empty unquoted field would turn a record of one field into a blank line, which the scan skips.
   */
  private holdEmptyField(): void {
    const quotes = this.quoted ? '"' : '""'
    this.push(quotes)
    this.dropped -= quotes.length
  }

  private push(piece: string): void {
    if (piece.length === 0) return
    this.pieces.push(piece)
    this.length += piece.length
  }

  private dropText(piece: string): void {
    if (piece.length === 0) return
    this.dropped += piece.length
    this.droppedBytes += Buffer.byteLength(piece, 'utf8')
    // The record's scan no longer sees these line breaks, but the lines after it must still be counted right.
    this.droppedBreaks += lineBreaks(piece) - (this.droppedCrLast && piece.charCodeAt(0) === 10 ? 1 : 0)
    this.droppedCrLast = piece.charCodeAt(piece.length - 1) === 13
  }
}

/** Line breaks in a quoted field's text: LF, CRLF and a lone CR each end a line. */
function lineBreaks(text: string): number {
  let breaks = 0
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) breaks++
  for (let k = text.indexOf('\r'); k >= 0; k = text.indexOf('\r', k + 1)) if (text.charCodeAt(k + 1) !== 10) breaks++
  return breaks
}

function indexOrEnd(s: string, search: string, from: number): number {
  const at = s.indexOf(search, from)
  return at < 0 ? s.length : at
}

/** Where an unquoted field that starts at `from` ends: at the next delimiter or line break, or the end of s. */
function fieldEnd(s: string, from: number, delimiter: number): number {
  let j = from
  while (j < s.length) {
    const c = s.charCodeAt(j)
    if (c === delimiter || c === 10 || c === 13) break
    j++
  }
  return j
}

const TSV_ESCAPE = /\\[\\tnr]/g
const TSV_CHARS: Readonly<Record<string, string>> = {'\\\\': '\\', '\\t': '\t', '\\n': '\n', '\\r': '\r'}

/**
 * A TSV cell as tsvCell (row-writer.ts) wrote it: \\, \t, \n and \r read back; a backslash before anything else stays.
 */
export function tsvUnescape(text: string): string {
  return text.includes('\\') ? text.replace(TSV_ESCAPE, (pair) => TSV_CHARS[pair]) : text
}
