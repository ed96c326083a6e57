import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {CsvParser} from '../../src/io/csv-parser.js'

/** Feeds text to the parser in the given chunk sizes, as a stream would. */
function parseChunked(text: string, delimiter: string, chunks: readonly number[] = [text.length]) {
  const parser = new CsvParser(delimiter)
  const out: {line: number; cells: string[]}[] = []
  let at = 0
  for (const size of chunks) {
    if (at >= text.length) break
    parser.write(text.slice(at, at + Math.max(size, 1)), out)
    at += Math.max(size, 1)
  }
  if (at < text.length) parser.write(text.slice(at), out)
  return parser.end(out)
}

describe('CsvParser', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, and counts lines', () => {
    const text = 'a,b\r\n1,"x, ""y"""\r\n\r\n"multi\r\nline",3\r\n4,5'
    expect(parseChunked(text, ',')).toEqual([
      {line: 1, cells: ['a', 'b']}, {line: 2, cells: ['1', 'x, "y"']}, {line: 4, cells: ['multi\r\nline', '3']}, {line: 6, cells: ['4', '5']},
    ])
  })

  it('keeps empty cells, including a trailing one', () => {
    expect(parseChunked('a,,c,\n', ',')).toEqual([{line: 1, cells: ['a', '', 'c', '']}])
  })

  it('reads semicolons and tabs', () => {
    expect(parseChunked('"a";"b"\n1;2\n', ';').map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']])
    expect(parseChunked('a\tb\n1\t2', '\t').map((r) => r.cells)).toEqual([['a', 'b'], ['1', '2']])
  })

  it('says which line holds an unclosed quote', () => {
    expect(() => parseChunked('a,b\n1,2\n3,"oops\n', ',')).toThrow('line 3: a quoted field is not closed')
  })

  it('agrees with csv-parse on any table, however the stream is chunked', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '王伟', ' x ', 'a"b'))
    const table = fc.array(fc.array(cell, {minLength: 1, maxLength: 5}), {minLength: 1, maxLength: 8})
      .filter((rows) => rows.every((r) => !(r.length === 1 && r[0] === '')))
    fc.assert(fc.property(table, fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'), fc.array(fc.integer({min: 1, max: 7})), (rows, delimiter, eol, chunks) => {
      const text = stringify(rows, {delimiter, record_delimiter: eol === '\n' ? 'unix' : 'windows', quoted_match: /[\r\n]/})
      const expected = parse(text, {delimiter, relax_column_count: true, skip_empty_lines: false}) as string[][]
      expect(parseChunked(text, delimiter, chunks).map((r) => r.cells)).toEqual(expected)
    }), {numRuns: 400})
  })
})
