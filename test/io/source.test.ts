import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {UserError} from '../../src/errors.js'
import {detectDelimiter, detectEncoding, RecordSource, type SourceOptions, unreadable} from '../../src/io/source.js'
import {tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)

async function readAll(name: string, content: string | Buffer, options: SourceOptions = {}) {
  const file = join(temp.dir, name)
  writeFileSync(file, content)
  const source = RecordSource.open(file, options)
  const records = []
  for await (const batch of source.batches()) records.push(...batch)
  return {header: source.header, records, description: source.description}
}

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c', ','],
    ['a;b;c', ';'],
    ['a\tb\tc', '\t'],
    ['"a,b";c;d', ';'],
    ['a|b', '|'],
  ])('finds the delimiter of %j', (line, delimiter) => {
    expect(detectDelimiter(`${line}\n1,2`)).toBe(delimiter)
  })
})

describe('detectEncoding', () => {
  it('reads a UTF-8 BOM, strict UTF-8, and takes other bytes for GB18030', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b', 'utf8'), undefined, 'f')).toEqual({encoding: 'utf-8', bom: true})
    expect(detectEncoding(Buffer.from('客户号', 'utf8'), undefined, 'f')).toEqual({encoding: 'utf-8', bom: false})
    expect(detectEncoding(iconv.encode('客户号,客户名称', 'gbk'), undefined, 'f')).toEqual({
      encoding: 'gb18030',
      bom: false,
    })
  })

  it('refuses a binary file, naming the byte and the line, and an Excel workbook or a PDF by its signature', () => {
    expect(() => detectEncoding(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), undefined, 'book.xlsx')).toThrow(
      'book.xlsx is an Excel workbook, not a text file',
    )
    expect(() => detectEncoding(Buffer.from('%PDF-1.7\n'), undefined, 'a.pdf')).toThrow('a.pdf is a PDF, not a text')
    const dump = Buffer.concat([Buffer.from('a,b\n1,2\n'), Buffer.alloc(40)])
    expect(() => detectEncoding(dump, undefined, 'dump.csv')).toThrow(
      'dump.csv is not a text file (it has a NUL byte at byte 9, on line 3',
    )
    // UTF-16 without a byte-order mark: a NUL after every ASCII character.
    expect(() => detectEncoding(Buffer.from('a,b\n1,2\n', 'utf16le'), undefined, 'u.csv')).toThrow('not a text file')
  })

  it('takes a stray NUL in text as text: its row is rejected, not the file', () => {
    const text = Buffer.from(`customer_id,name\nC1,a\u0000b\n${'C2,ok\n'.repeat(20)}`)
    expect(detectEncoding(text, undefined, 'nul.csv')).toEqual({encoding: 'utf-8', bom: false})
  })
})

describe('RecordSource', () => {
  it('reads GBK with CRLF', async () => {
    const {header, records, description} = await readAll(
      'gbk.csv',
      iconv.encode('客户号,客户名称\r\nC1,王伟\r\n', 'gbk'),
    )
    expect(description.encoding).toBe('gb18030')
    expect(header).toEqual(['客户号', '客户名称'])
    expect(records).toEqual([{line: 2, cells: ['C1', '王伟']}])
  })

  it('strips a UTF-8 BOM from the first header', async () => {
    const {header} = await readAll('bom.csv', '\uFEFFcustomer_id,name\nC1,A\n')
    expect(header[0]).toBe('customer_id')
  })

  it('reads a JSON array of objects, with record numbers', async () => {
    const {header, records, description} = await readAll(
      'a.json',
      '[{"customer_id": "C1", "aum": 1234.5, "vip": true}, {"customer_id": "C2", "aum": null}]',
    )
    expect(description.format).toBe('json')
    expect(header).toEqual(['customer_id', 'aum', 'vip'])
    expect(records).toEqual([
      {line: 1, cells: ['C1', '1234.5', 'true']},
      {line: 2, cells: ['C2', '', '']},
    ])
  })

  it('reads NDJSON line by line and marks a broken line instead of stopping', async () => {
    const {records} = await readAll('a.ndjson', '{"customer_id": "C1"}\n{oops\n\n{"customer_id": "C3", "x": 1}\n')
    expect(records[0]).toEqual({line: 1, cells: ['C1', '']})
    expect(records[1]).toMatchObject({line: 2, problem: expect.stringContaining('not valid JSON')})
    expect(records[2]).toEqual({line: 4, cells: ['C3', '1']})
  })

  it('refuses a JSON number too long to be exact, masked in the reason and kept as written in the cells', async () => {
    const {records} = await readAll('big.ndjson', '{"customer_id": "C1", "aum": 12345678901234567.5}\n')
    expect(records[0].problem).toContain('write it as a string')
    const ids = await readAll('id.ndjson', '{"customer_id":"B","id_number":110105198509101381}\n')
    expect(ids.records[0]).toEqual({
      line: 1,
      cells: ['B', '110105198509101381'],
      column: 'id_number',
      problem:
        'the number 110105********1381 in "id_number" has more digits than a JSON number keeps exactly: write it as a string',
    })
    const array = await readAll(
      'id.json',
      '[{"customer_id":"B","n":{"x":1234567890123456789},"id_number":110105198509101381}]',
    )
    expect(array.records[0]).toMatchObject({cells: ['B', '{"x":1234567890123456800}', '110105198509101381']})
    expect(array.records[0].problem).toContain('"n" is an object')
  })

  it('takes JSON records with keys the first lacks: the columns are every key, a missing one an empty cell', async () => {
    for (const [name, text] of [
      ['keys.ndjson', '{"a":"1"}\n{"a":"2","email":"x@y.com"}\n{"风险":"高","a":"3"}\n'],
      ['keys.json', '[{"a":"1"},\n{"a":"2","email":"x@y.com"},{"风险":"高","a":"3"}]'],
    ]) {
      const {header, records} = await readAll(name, text)
      expect(header).toEqual(['a', 'email', '风险'])
      expect(records).toEqual([
        {line: 1, cells: ['1', '', '']},
        {line: 2, cells: ['2', 'x@y.com', '']},
        {line: 3, cells: ['3', '', '高']},
      ])
    }
  })

  it('refuses a JSON value that is an array or an object, and a key twice in one record, naming the key', async () => {
    for (const [name, text] of [
      ['values.ndjson', '{"a":"1","b":"x"}\n{"a":"2","b":["x"]}\n{"a":"3","b":{"c":1}}\n{"a":"4","b":"p","b" : "q"}\n'],
      ['values.json', '[{"a":"1","b":"x"},{"a":"2","b":["x"]},{"a":"3","b":{"c":1}},{"a":"4","b":"p","b" : "q"}]'],
    ]) {
      const {records} = await readAll(name, text)
      expect(records[0]).toEqual({line: 1, cells: ['1', 'x']})
      expect(records[1]).toMatchObject({line: 2, cells: ['2', '["x"]'], column: 'b'})
      expect(records[1].problem).toContain('the value of "b" is an array')
      expect(records[2]).toMatchObject({line: 3, cells: ['3', '{"c":1}'], column: 'b'})
      expect(records[2].problem).toContain('the value of "b" is an object')
      expect(records[3]).toMatchObject({line: 4, column: 'b', problem: 'the record has the key "b" twice: keep one'})
    }
  })

  it("removes the ' crm puts before a formula in CSV and TSV, but not in JSON, which crm never writes so", async () => {
    expect((await readAll('guard.csv', "a,b\n'=1+1,'-12\n")).records[0].cells).toEqual(['=1+1', "'-12"])
    expect((await readAll('guard.tsv', "a\tb\n'=1+1\t''=2\n")).records[0].cells).toEqual(['=1+1', "'=2"])
    expect((await readAll('guard.ndjson', '{"a":"\'=already"}\n')).records[0].cells).toEqual(["'=already"])
  })

  it('says an empty file is empty', async () => {
    await expect(readAll('empty.csv', '')).rejects.toThrow('is empty')
  })

  it('marks a row whose bytes are not UTF-8 with the byte, and reads the rows after it', async () => {
    const good = `customer_id,name\n${'C0,王伟\n'.repeat(10_000)}`
    const bytes = Buffer.concat([Buffer.from(good), iconv.encode('C1,王伟\n', 'gbk'), Buffer.from('C2,李娜\n')])
    const {records} = await readAll('mixed.csv', bytes)
    expect(records).toHaveLength(10_002)
    expect(records[10_000]).toMatchObject({
      line: 10_002,
      problem: `not valid UTF-8 at byte ${(Buffer.byteLength(good) + 4).toLocaleString('en-US')}, but valid GBK: if the file is GBK, import it again with --encoding gbk`,
      cells: ['C1', '王伟'],
    })
    expect(records[10_001]).toEqual({line: 10_003, cells: ['C2', '李娜']})
  })

  it('marks a UTF-8 line in a file detected as GBK, keeping its text as UTF-8', async () => {
    const bytes = Buffer.concat([
      iconv.encode('客户号,客户名称\nC1,王伟\n', 'gbk'),
      Buffer.from('C2,王五\n'),
      iconv.encode('C3,李娜\n', 'gbk'),
    ])
    const {records} = await readAll('gbk-mixed.csv', bytes)
    expect(records[0]).toEqual({line: 2, cells: ['C1', '王伟']})
    expect(records[1]).toMatchObject({
      line: 3,
      cells: ['C2', '王五'],
      problem: expect.stringContaining('this line is UTF-8 in a file read as GBK (from byte 25)'),
    })
    expect(records[2]).toEqual({line: 4, cells: ['C3', '李娜']})
  })

  it('trusts --encoding gbk about a line that looks like UTF-8', async () => {
    const bytes = Buffer.concat([iconv.encode('客户号,客户名称\nC1,王伟\n', 'gbk'), Buffer.from('C2,王五\n')])
    const {records} = await readAll('gbk-given.csv', bytes, {encoding: 'gbk'})
    expect(records[1]).toEqual({line: 3, cells: ['C2', iconv.decode(Buffer.from('王五'), 'gbk')]})
  })

  it('refuses a file whose first block is neither UTF-8 nor GBK, naming the byte', async () => {
    const bytes = Buffer.concat([Buffer.from('customer_id,name\nC1,'), Buffer.from([0xff, 0x41]), Buffer.from('\n')])
    await expect(readAll('binary.csv', bytes)).rejects.toThrow(
      'is neither UTF-8 nor GBK text: byte 21 of its first 64 KB is not a character in either',
    )
  })

  it('refuses a header that does not decode', async () => {
    const bytes = Buffer.concat([Buffer.from('customer_id,na'), Buffer.from([0xff]), Buffer.from('me\nC1,A\n')])
    await expect(readAll('bad-header.csv', bytes, {encoding: 'utf-8'})).rejects.toThrow(
      'the header (line 1) cannot be read: not valid UTF-8 at byte 15',
    )
  })

  it('marks a row with a field over the limit, naming the field, and reads on', async () => {
    const {records} = await readAll('wide.csv', `customer_id,notes\nC1,${'x'.repeat(2500)}\nC2,short\n`, {
      maxFieldBytes: 1000,
    })
    expect(records).toEqual([
      {
        line: 2,
        cells: ['C1', ''],
        tooLarge: {column: 1, bytes: 2500},
        problem: 'field notes is 2.5 KB, more than the 1 KB limit; raise it with --max-field-size',
        column: 'notes',
      },
      {line: 3, cells: ['C2', 'short']},
    ])
  })

  it('marks an NDJSON record with a field over the limit, and a line whose bytes are not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`{"customer_id": "C1", "notes": "${'x'.repeat(2000)}"}\n{"customer_id": "C2", "notes": "`),
      Buffer.from([0xff]),
      Buffer.from('"}\n{"customer_id": "C3", "notes": ""}\n'),
    ])
    const {records} = await readAll('wide.ndjson', bytes, {maxFieldBytes: 1000, encoding: 'utf-8'})
    expect(records[0]).toMatchObject({
      line: 1,
      problem: 'field notes is 2 KB, more than the 1 KB limit; raise it with --max-field-size',
    })
    expect(records[1]).toMatchObject({line: 2, problem: expect.stringContaining('not valid UTF-8 at byte')})
    expect(records[2]).toEqual({line: 3, cells: ['C3', '']})
  })
})

describe('unreadable', () => {
  it.each([
    [
      'EACCES',
      'cannot read f.csv: permission denied',
      'ask for read access to the file, or copy it somewhere you can read',
    ],
    ['ENOENT', 'cannot read f.csv: no such file', 'check the path'],
    ['EISDIR', 'cannot read f.csv: it is a folder, not a file', 'name the file to read'],
    ['EIO', 'cannot read f.csv: the disk or device reported an error', 'copy the file to a local disk and try again'],
  ])('turns %s into a bad-input error with the path and what to do', (code, message, hint) => {
    const error = unreadable('f.csv', Object.assign(new Error(`${code}: something, open 'f.csv'`), {code}))
    expect(error).toBeInstanceOf(UserError)
    expect(error).toMatchObject({message, hint, exitCode: 3})
  })

  it('refuses a folder before reading', () => {
    expect(() => RecordSource.open(temp.dir)).toThrow(`${temp.dir} is a folder, not a file`)
  })
})
