import type Iconv from 'iconv-lite'
import {en} from '../core/messages.js'
import {ExitCode, UserError} from '../errors.js'

/**
 * An export in GBK, for Excel on a Chinese Windows. iconv-lite writes GB18030, GBK's superset, which gives every
 * character GBK lacks (emoji, Korean, some rare Chinese characters) a four-byte code that a GBK reader shows as two
 * wrong characters. Such a character is refused rather than replaced: a ? in a name or a note would be data lost
 * without a trace, and UTF-8, which Excel reads as well, holds it. The error names the first such row and field.
 */
export function gbkEncoder(iconv: typeof Iconv, format: 'csv' | 'tsv'): (text: string) => Buffer {
  // Where the text handed over so far has got to: records ended (the header is record 0), and inside a quoted CSV cell.
  let records = 0
  let quoted = false
  let header: string[] | undefined
  return (text) => {
    const bytes = iconv.encode(text, 'gb18030')
    const at = fourByteCode(bytes)
    if (header === undefined) header = cells(text.slice(0, recordEnd(text, format)), format)
    if (at >= 0) {
      const offset = iconv.decode(bytes.subarray(0, at), 'gb18030').length
      const place = placeOf(text.slice(0, offset), format, quoted)
      const row = records + place.records
      const char = String.fromCodePoint(text.codePointAt(offset)!)
      throw new UserError(
        en('notInGbk', {
          row: row.toLocaleString('en-US'),
          key: header[0] ?? '',
          value: place.first,
          field: header[place.field] ?? `column ${place.field + 1}`,
          char,
          code: `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
        }),
        ExitCode.Usage,
        en('notInGbkHint'),
      )
    }
    const end = placeOf(text, format, quoted)
    records += end.records
    quoted = end.quoted
    return bytes
  }
}

/** The first four-byte GB18030 sequence in the bytes (a lead byte, then a digit byte), or -1. */
function fourByteCode(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) i++
    else if (bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) return i
    else i += 2
  }
  return -1
}

/**
 * Where the end of `text` is, read from a record boundary (or inside a quoted CSV cell): how many records ended in it,
 * the field it is in, that record's first cell as written, and whether it is inside quotes. TSV escapes its tabs and
 * line breaks in cells; CSV quotes them.
 */
function placeOf(text: string, format: 'csv' | 'tsv', quoted: boolean) {
  let records = 0
  let field = 0
  let start = 0
  let firstEnd = -1
  const separator = format === 'csv' ? ',' : '\t'
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (format === 'csv' && c === '"') quoted = !quoted
    else if (quoted) continue
    else if (c === separator) {
      if (field === 0) firstEnd = i
      field++
    } else if (c === '\n') {
      records++
      field = 0
      start = i + 1
      firstEnd = -1
    }
  }
  const first = text.slice(start, firstEnd < 0 ? text.length : firstEnd).replace(/\r$/, '')
  return {records, field, quoted, first: format === 'csv' ? first.replace(/^"|"$/g, '').replaceAll('""', '"') : first}
}

/** Where the first record of a text ends (a header holds no line break). */
function recordEnd(text: string, format: 'csv' | 'tsv'): number {
  const end = text.indexOf('\n')
  return end < 0 ? text.length : format === 'csv' && text[end - 1] === '\r' ? end - 1 : end
}

/** A header's names (crm writes them, quoted in CSV only when they hold a comma, a quote or a line break). */
function cells(line: string, format: 'csv' | 'tsv'): string[] {
  if (format === 'tsv') return line.split('\t')
  const names: string[] = []
  let name = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        name += '"'
        i++
      } else quoted = !quoted
    } else if (c === ',' && !quoted) {
      names.push(name)
      name = ''
    } else name += c
  }
  return [...names, name]
}
