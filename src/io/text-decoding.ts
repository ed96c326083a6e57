import {isAscii, isUtf8} from 'node:buffer'
import iconv from 'iconv-lite'
import {en} from '../core/messages.js'

/** Text decoded from a stream of bytes, with the lines whose bytes are not text in the file's encoding. */
export interface DecodedText {
  readonly text: string
  /** For each bad line: where its text starts in `text`, and what is wrong with its bytes. */
  readonly problems: readonly LineProblem[]
}

export interface LineProblem {
  readonly at: number
  readonly problem: string
}

export interface TextDecoding {
  write(chunk: Buffer): DecodedText
  end(): DecodedText
}

export interface DecodingOptions {
  /** Bytes at the start to skip (a byte-order mark); offsets in messages still count them. */
  readonly skip?: number
  /**
   * GB18030 only: reject a line that is valid UTF-8 with Chinese (or other three-byte) characters. Such a line was
   * pasted from a UTF-8 file: GB18030 would read it without an error, as garbage (王五 as 鐜嬩簲).
   */
  readonly rejectUtf8Lines?: boolean
}

/**
 * A line longer than this is decoded in parts (cut between characters), so that a line of many megabytes never sits
 * whole in memory here: the CSV parser drops a field over the size limit as it goes.
 */
const LONG_LINE_BYTES = 256 * 1024

const LABEL: Record<string, string> = {'utf-8': 'UTF-8', gb18030: 'GBK/GB18030'}

/**
 * Decodes a file's bytes, checking that every line is text in the encoding: a line with bytes that do not decode
 * (or, in a GB18030 file, a UTF-8 line) is reported with the byte where it goes wrong, so its row can be rejected
 * while the rest are read. The bytes are decoded a chunk of whole lines at a time (a line break is never inside a
 * UTF-8 or GB18030 character), and only a chunk that fails is decoded again line by line.
 * Other encodings (UTF-16, Windows-1252) are decoded without checks.
 */
export function textDecoding(encoding: string, options: DecodingOptions = {}): TextDecoding {
  if (encoding === 'utf-8' || encoding === 'gb18030') return new CheckedDecoding(encoding, options)
  const decoder = iconv.getDecoder(encoding, {stripBOM: true})
  return {
    write: (chunk) => ({text: decoder.write(chunk), problems: []}),
    end: () => ({text: decoder.end() ?? '', problems: []}),
  }
}

class CheckedDecoding implements TextDecoding {
  private decoder: TextDecoder
  /** The bytes of the line not yet complete. */
  private held: Buffer[] = []
  private heldLength = 0
  /** Where the next bytes to decode are in the file. */
  private offset = 0
  private toSkip: number
  private readonly rejectUtf8Lines: boolean

  constructor(
    private readonly encoding: 'utf-8' | 'gb18030',
    options: DecodingOptions,
  ) {
    this.decoder = this.fatalDecoder()
    this.toSkip = options.skip ?? 0
    this.rejectUtf8Lines = (options.rejectUtf8Lines ?? false) && encoding === 'gb18030'
  }

  write(chunk: Buffer): DecodedText {
    if (this.toSkip > 0) {
      const skipped = Math.min(this.toSkip, chunk.length)
      chunk = chunk.subarray(skipped)
      this.toSkip -= skipped
      this.offset += skipped
    }
    const lastBreak = Math.max(chunk.lastIndexOf(10), chunk.lastIndexOf(13))
    if (lastBreak < 0) {
      this.hold(chunk)
      if (this.heldLength < LONG_LINE_BYTES) return EMPTY
      const line = this.takeHeld()
      const cut = this.characterBoundary(line)
      this.hold(line.subarray(cut))
      return this.decodeRegion(line.subarray(0, cut), false)
    }
    const lines = chunk.subarray(0, lastBreak + 1)
    const region = this.heldLength > 0 ? Buffer.concat([this.takeHeld(), lines]) : lines
    this.hold(chunk.subarray(lastBreak + 1))
    return this.decodeRegion(region, true)
  }

  end(): DecodedText {
    return this.decodeRegion(this.takeHeld(), true, true)
  }

  /**
   * Decodes bytes that end between characters (or the last bytes of all, which may not): at once when they are
   * clean, else line by line.
   */
  private decodeRegion(region: Buffer, wholeLines: boolean, last = false): DecodedText {
    if (region.length === 0) return EMPTY
    let text: string | undefined
    try {
      text = this.decoder.decode(region, {stream: !last})
    } catch {
      this.decoder = this.fatalDecoder()
    }
    if (text !== undefined && !(wholeLines && this.rejectUtf8Lines && hasUtf8Line(region))) {
      this.offset += region.length
      return {text, problems: []}
    }
    const decoded = this.decodeLines(region, wholeLines)
    this.offset += region.length
    return decoded
  }

  private decodeLines(region: Buffer, wholeLines: boolean): DecodedText {
    const lenient = new TextDecoder(this.encoding, {ignoreBOM: true})
    const parts: string[] = []
    const problems: LineProblem[] = []
    let length = 0
    for (let start = 0; start < region.length; ) {
      const end = lineEnd(region, start)
      const line = region.subarray(start, end)
      let text = lenient.decode(line)
      const bad = text.includes('\uFFFD') ? badByteIn(line, text, this.encoding) : -1
      // A line with UTF-8 Chinese (three-byte characters) in it is damaged UTF-8 (a character cut off), not GBK: GBK
      // bytes make a two-byte UTF-8 character now and then, almost never a three-byte one (see isUtf8Text).
      const gbk = bad >= 0 && this.encoding === 'utf-8' && !/[\u0800-\ufffc]/.test(text) ? gb18030Text(line) : undefined
      if (gbk !== undefined) {
        // A GBK line in a file whose first 64 KB were ASCII, so read as UTF-8: its text as GBK is right, so the reject
        // file keeps its characters (in the reject file's UTF-8), not U+FFFD.
        problems.push({at: length, problem: notUtf8ButGbk(count(this.offset + start + bad + 1))})
        text = gbk
      } else if (bad >= 0) {
        problems.push({
          at: length,
          problem: en('notValidEncodingAt', {
            encoding: LABEL[this.encoding],
            at: count(this.offset + start + bad + 1),
            advice: en(this.encoding === 'utf-8' ? 'saveAsUtf8Again' : 'saveInOneEncoding'),
          }),
        })
      } else if (wholeLines && this.rejectUtf8Lines && isUtf8Text(line)) {
        problems.push({
          at: length,
          problem: en('utf8LineInGbk', {at: count(this.offset + start + 1)}),
        })
        // Its text as UTF-8 is right, so the reject file gets it right.
        text = line.toString('utf8')
      }
      parts.push(text)
      length += text.length
      start = end
    }
    return {text: parts.join(''), problems}
  }

  /** Where the last whole character of a long line ends. */
  private characterBoundary(line: Buffer): number {
    if (this.encoding === 'utf-8') {
      // Back over continuation bytes to the start of the last character, and leave that one for the next part.
      let at = line.length - 1
      while (at > 0 && (line[at] & 0xc0) === 0x80) at--
      return at > 0 ? at : line.length
    }
    // GB18030 has no such marks: step through characters of one, two or four bytes from the start.
    let at = 0
    for (;;) {
      const lead = line[at]
      const size = lead < 0x81 || lead === 0xff ? 1 : line[at + 1] >= 0x30 && line[at + 1] <= 0x39 ? 4 : 2
      if (at + size > line.length) return at
      at += size
      if (at === line.length) return at
    }
  }

  private fatalDecoder(): TextDecoder {
    return new TextDecoder(this.encoding, {fatal: true, ignoreBOM: true})
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.held.push(bytes)
    this.heldLength += bytes.length
  }

  private takeHeld(): Buffer {
    const bytes = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held)
    this.held = []
    this.heldLength = 0
    return bytes
  }
}

const EMPTY: DecodedText = {text: '', problems: []}

/** The start of the reason a line that is GBK, not UTF-8, is rejected with (the import's summary counts them). */
export const NOT_UTF8_BUT_GBK = 'not valid UTF-8 at byte'

function notUtf8ButGbk(at: string): string {
  return `${NOT_UTF8_BUT_GBK} ${at}, but valid GBK: if the file is GBK, import it again with --encoding gbk`
}

/** Beyond ASCII, only Chinese characters and full-width punctuation: what a GBK line of a bank's export holds. */
const GBK_TEXT = /^(?:[\u0000-\u007f]|\p{Script=Han}|[\u3000-\u303f\uff00-\uffef\u2014-\u2026])*$/u

/**
 * A line's text as GB18030, if its bytes are that and read as Chinese text. GB18030 takes almost any bytes, so damaged
 * UTF-8 would read as something: only Chinese is taken as a sign of a GBK line.
 */
function gb18030Text(line: Buffer): string | undefined {
  let text: string
  try {
    text = new TextDecoder('gb18030', {fatal: true, ignoreBOM: true}).decode(line)
  } catch {
    return undefined
  }
  return GBK_TEXT.test(text) ? text : undefined
}

/** Where the first byte that is not part of a character is in UTF-8 or GB18030 bytes, or -1. */
export function firstBadByte(bytes: Buffer, encoding: 'utf-8' | 'gb18030'): number {
  return badByteIn(bytes, new TextDecoder(encoding, {ignoreBOM: true}).decode(bytes), encoding)
}

/**
 * The first bad byte, given the bytes' lenient decoding: the text before the first U+FFFD that is not in the bytes
 * themselves is exact, so its encoded length is that byte's offset.
 */
function badByteIn(bytes: Buffer, text: string, encoding: 'utf-8' | 'gb18030'): number {
  const encode = (part: string) => (encoding === 'utf-8' ? Buffer.from(part, 'utf8') : iconv.encode(part, 'gb18030'))
  const replacement = encode('\uFFFD')
  for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
    const offset = encode(text.slice(0, at)).length
    if (!bytes.subarray(offset, offset + replacement.length).equals(replacement))
      return Math.min(offset, bytes.length - 1)
  }
  return -1
}

/** The end of the line that starts at `start`: just after its LF, CR or CRLF, or the end of the bytes. */
function lineEnd(bytes: Buffer, start: number): number {
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]
    if (b === 10) return i + 1
    if (b === 13) return bytes[i + 1] === 10 ? i + 2 : i + 1
  }
  return bytes.length
}

/** Whether some line of the bytes is UTF-8 text (see isUtf8Text). */
function hasUtf8Line(region: Buffer): boolean {
  if (isAscii(region)) return false
  for (let start = 0; start < region.length; ) {
    let end = region.indexOf(10, start)
    end = end < 0 ? region.length : end + 1
    if (isUtf8Text(region.subarray(start, end))) return true
    start = end
  }
  return false
}

/**
 * How many lines of the bytes read as UTF-8 text (see isUtf8Text) and how many are not UTF-8 at all: a UTF-8 file
 * with a damaged line is still mostly UTF-8 lines, a GBK file is mostly others. The last line may be cut short.
 */
export function countUtf8Lines(bytes: Buffer): {utf8: number; notUtf8: number} {
  const counts = {utf8: 0, notUtf8: 0}
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(10, start)
    if (end < 0) break
    const line = bytes.subarray(start, end + 1)
    if (isUtf8Text(line)) counts.utf8++
    else if (!isUtf8(line)) counts.notUtf8++
    start = end + 1
  }
  return counts
}

/**
 * Valid UTF-8 with a character of three bytes or more (Chinese is). GBK text is almost never that: a GBK line whose
 * only Chinese is a two-character name is valid UTF-8 about once in 50, but with a three-byte character about once
 * in 700, and a longer line even less often.
 */
function isUtf8Text(line: Buffer): boolean {
  if (isAscii(line) || !isUtf8(line)) return false
  for (let i = 0; i < line.length; i++) if (line[i] >= 0xe0) return true
  return false
}

function count(value: number): string {
  return value.toLocaleString('en-US')
}
