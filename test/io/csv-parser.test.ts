import {parse} from 'csv-parse/sync'
import {stringify} from 'csv-stringify/sync'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {CsvParser, type CsvRecord, tsvUnescape} from '../../src/io/csv-parser.js'
import {tsvCell} from '../../src/io/row-writer.js'

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
      {line: 1, cells: ['a', 'b']},
      {line: 2, cells: ['1', 'x, "y"']},
      {line: 4, cells: ['multi\r\nline', '3']},
      {line: 6, cells: ['4', '5']},
    ])
  })

  it('keeps empty cells, including a trailing one', () => {
    expect(parseChunked('a,,c,\n', ',')).toEqual([{line: 1, cells: ['a', '', 'c', '']}])
  })

  it('reads semicolons and tabs', () => {
    expect(parseChunked('"a";"b"\n1;2\n', ';').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(parseChunked('a\tb\n1\t2', '\t').map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('says which line holds an unclosed quote', () => {
    expect(() => parseChunked('a,b\n1,2\n3,"oops\n', ',')).toThrow('line 3: a quoted field is not closed')
  })

  it('agrees with csv-parse on any table, however the stream is chunked', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '王伟', ' x ', 'a"b'))
    const table = fc
      .array(fc.array(cell, {minLength: 1, maxLength: 5}), {minLength: 1, maxLength: 8})
      .filter((rows) => rows.every((r) => !(r.length === 1 && r[0] === '')))
    fc.assert(
      fc.property(
        table,
        fc.constantFrom(',', ';', '\t'),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.integer({min: 1, max: 7})),
        (rows, delimiter, eol, chunks) => {
          const text = stringify(rows, {
            delimiter,
            record_delimiter: eol === '\n' ? 'unix' : 'windows',
            quoted_match: /[\r\n]/,
          })
          const expected = parse(text, {delimiter, relax_column_count: true, skip_empty_lines: false}) as string[][]
          expect(parseChunked(text, delimiter, chunks).map((r) => r.cells)).toEqual(expected)
        },
      ),
      {numRuns: 400},
    )
  })
})

describe('CsvParser with a field-size limit', () => {
  /** What the parser should give with a limit: csv-parse's cells, a cell over the limit emptied and named. */
  function expectedWithLimit(text: string, delimiter: string, limit: number) {
    const lines = parseChunked(text, delimiter).map((r) => r.line)
    return (parse(text, {delimiter, relax_column_count: true, skip_empty_lines: false}) as string[][]).map(
      (cells, at) => {
        const column = cells.findIndex((c) => Buffer.byteLength(c) > limit)
        const record: {line: number; cells: string[]; tooLarge?: {column: number; bytes: number}} = {
          line: lines[at],
          cells: cells.map((c) => (Buffer.byteLength(c) > limit ? '' : c)),
        }
        if (column >= 0) record.tooLarge = {column, bytes: Buffer.byteLength(cells[column])}
        return record
      },
    )
  }

  function parseLimited(text: string, delimiter: string, limit: number, chunks: readonly number[]) {
    const parser = new CsvParser(delimiter, limit)
    const out: CsvRecord[] = []
    let at = 0
    for (const size of [...chunks, text.length]) {
      if (at >= text.length) break
      parser.write(text.slice(at, at + Math.max(size, 1)), out)
      at += Math.max(size, 1)
    }
    return parser.end(out)
  }

  it('empties a field over the limit, says which and how large, and keeps the other fields and the line numbers', () => {
    const text = 'a,b,c\n1,"long\nquoted text",3\n4,short,6\n7,unquoted long text,9\n'
    expect(parseLimited(text, ',', 6, [3])).toEqual([
      {line: 1, cells: ['a', 'b', 'c']},
      {line: 2, cells: ['1', '', '3'], tooLarge: {column: 1, bytes: 16}},
      {line: 4, cells: ['4', 'short', '6']},
      {line: 5, cells: ['7', '', '9'], tooLarge: {column: 1, bytes: 18}},
    ])
  })

  it('agrees with csv-parse, less the fields over the limit, however the stream is chunked', () => {
    const cell = fc.oneof(
      fc.string({maxLength: 30}),
      fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '王伟王伟', ' x ', 'a"b', 'line\nbreak\nlong'),
    )
    const table = fc
      .array(fc.array(cell, {minLength: 1, maxLength: 5}), {minLength: 1, maxLength: 8})
      .filter((rows) => rows.every((r) => !(r.length === 1 && r[0] === '')))
    fc.assert(
      fc.property(
        table,
        fc.constantFrom(',', ';'),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({min: 1, max: 12}),
        fc.array(fc.integer({min: 1, max: 9})),
        (rows, delimiter, eol, limit, chunks) => {
          const text = stringify(rows, {
            delimiter,
            record_delimiter: eol === '\n' ? 'unix' : 'windows',
            quoted_match: /[\r\n]/,
          })
          // The size of a dropped field is counted as it streams past, doubled quotes twice: close enough for a
          // message.
          const roughly = (records: {tooLarge?: {column: number; bytes: number}}[]) =>
            records.map((r) => ({
              ...r,
              tooLarge: r.tooLarge && {column: r.tooLarge.column, over: r.tooLarge.bytes > limit},
            }))
          expect(roughly(parseLimited(text, delimiter, limit, chunks))).toEqual(
            roughly(expectedWithLimit(text, delimiter, limit)),
          )
        },
      ),
      {numRuns: 400},
    )
  })

  it('reads a line of many megabytes in linear time, keeping no more than the limit of it', () => {
    const parser = new CsvParser(',', 1000)
    const out: CsvRecord[] = []
    parser.write('id,notes\nC1,"', out)
    const piece = 'x'.repeat(64 * 1024)
    for (let k = 0; k < 160; k++) parser.write(piece, out)
    parser.write('"\nC2,ok\n', out)
    expect(parser.end(out)).toEqual([
      {line: 1, cells: ['id', 'notes']},
      {line: 2, cells: ['C1', ''], tooLarge: {column: 1, bytes: 160 * 64 * 1024}},
      {line: 3, cells: ['C2', 'ok']},
    ])
  })
})

describe('CsvParser marks', () => {
  it('gives a mark to the record whose text holds it, however the stream is chunked', () => {
    const text = 'a,b\n1,x\n"2\nmore",y\n\n3,z\n'
    for (const size of [1, 2, 5, text.length]) {
      const parser = new CsvParser(',')
      // Marks at the start of line 3 (inside record 2's quoted field) and at record 3.
      parser.mark(text.indexOf('more'), 'bad bytes in line 3')
      parser.mark(text.indexOf('3,z'), 'bad bytes in line 6')
      const out: CsvRecord[] = []
      for (let at = 0; at < text.length; at += size) parser.write(text.slice(at, at + size), out)
      expect(parser.end(out)).toEqual([
        {line: 1, cells: ['a', 'b']},
        {line: 2, cells: ['1', 'x']},
        {line: 3, cells: ['2\nmore', 'y'], problem: 'bad bytes in line 3'},
        {line: 6, cells: ['3', 'z'], problem: 'bad bytes in line 6'},
      ])
    }
  })
})

describe('tsvUnescape', () => {
  it.each([
    ['a\\nb', 'a\nb'],
    ['a\\tb\\r\\n', 'a\tb\r\n'],
    ['C:\\\\new', 'C:\\new'],
    ['C:\\data', 'C:\\data'],
    ['\\\\n', '\\n'],
    ['end\\', 'end\\'],
    ['plain', 'plain'],
  ])('reads %j as %j', (cell, text) => {
    expect(tsvUnescape(cell)).toBe(text)
  })

  it('reads back whatever tsvCell writes', () => {
    fc.assert(
      fc.property(
        fc.string({unit: fc.constantFrom('a', '\\', '\t', '\n', '\r', 'n', 't', 'r')}),
        (text) => tsvUnescape(tsvCell(text)) === text,
      ),
    )
  })
})
