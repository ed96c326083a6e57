import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {detectDelimiter, detectEncoding, RecordSource} from '../../src/io/source.js'
import {tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)

async function readAll(name: string, content: string | Buffer, options = {}) {
  const file = join(temp.dir, name)
  writeFileSync(file, content)
  const source = RecordSource.open(file, options)
  const records = []
  for await (const batch of source.batches()) records.push(...batch)
  return {header: source.header, records, description: source.description}
}

describe('detectDelimiter', () => {
  it.each([['a,b,c', ','], ['a;b;c', ';'], ['a\tb\tc', '\t'], ['"a,b";c;d', ';'], ['a|b', '|']])('finds the delimiter of %j', (line, delimiter) => {
    expect(detectDelimiter(`${line}\n1,2`)).toBe(delimiter)
  })
})

describe('detectEncoding', () => {
  it('reads a UTF-8 BOM, strict UTF-8, and takes other bytes for GB18030', () => {
    expect(detectEncoding(Buffer.from('\uFEFFa,b', 'utf8'), undefined, 'f')).toEqual({encoding: 'utf-8', bom: true})
    expect(detectEncoding(Buffer.from('客户号', 'utf8'), undefined, 'f')).toEqual({encoding: 'utf-8', bom: false})
    expect(detectEncoding(iconv.encode('客户号,客户名称', 'gbk'), undefined, 'f')).toEqual({encoding: 'gb18030', bom: false})
  })

  it('refuses a binary file, naming the byte', () => {
    expect(() => detectEncoding(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), undefined, 'book.xlsx')).toThrow('book.xlsx is not a text file (it has a NUL byte at byte 5)')
  })
})

describe('RecordSource', () => {
  it('reads GBK with CRLF', async () => {
    const {header, records, description} = await readAll('gbk.csv', iconv.encode('客户号,客户名称\r\nC1,王伟\r\n', 'gbk'))
    expect(description.encoding).toBe('gb18030')
    expect(header).toEqual(['客户号', '客户名称'])
    expect(records).toEqual([{line: 2, cells: ['C1', '王伟']}])
  })

  it('strips a UTF-8 BOM from the first header', async () => {
    const {header} = await readAll('bom.csv', '\uFEFFcustomer_id,name\nC1,A\n')
    expect(header[0]).toBe('customer_id')
  })

  it('reads a JSON array of objects, with record numbers', async () => {
    const {header, records, description} = await readAll('a.json', '[{"customer_id": "C1", "aum": 1234.5, "vip": true}, {"customer_id": "C2", "aum": null}]')
    expect(description.format).toBe('json')
    expect(header).toEqual(['customer_id', 'aum', 'vip'])
    expect(records).toEqual([{line: 1, cells: ['C1', '1234.5', 'true']}, {line: 2, cells: ['C2', '', '']}])
  })

  it('reads NDJSON line by line and marks a broken line instead of stopping', async () => {
    const {records} = await readAll('a.ndjson', '{"customer_id": "C1"}\n{oops\n\n{"customer_id": "C3", "x": 1}\n')
    expect(records[0]).toEqual({line: 1, cells: ['C1']})
    expect(records[1]).toMatchObject({line: 2, problem: expect.stringContaining('not valid JSON')})
    expect(records[2]).toMatchObject({line: 4, problem: expect.stringContaining('the key "x"')})
  })

  it('refuses a JSON number too long to be exact', async () => {
    const {records} = await readAll('big.ndjson', '{"customer_id": "C1", "aum": 12345678901234567.5}\n')
    expect(records[0].problem).toContain('write it as a string')
  })

  it('says an empty file is empty', async () => {
    await expect(readAll('empty.csv', '')).rejects.toThrow('is empty')
  })

  it('says where a file stops being UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('customer_id,name\n'.repeat(5000)), iconv.encode('C1,王伟\n', 'gbk')])
    await expect(readAll('mixed.csv', bytes, {encoding: 'utf-8'})).rejects.toThrow(/is not valid UTF-8/)
  })
})
