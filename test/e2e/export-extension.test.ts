import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, tempDir} from '../helpers/cli.js'

// --output's extension decides the export format when --format is not given; a --format that contradicts a known
// extension is a usage error (exit 2) naming both, and nothing is written.

const temp = tempDir()
const db = ['--db', temp.db]
const out = (name: string) => join(temp.dir, name)
const ZIP = Buffer.from('PK\u0003\u0004')

beforeAll(() => {
  const book = join(temp.dir, 'customers.csv')
  writeFileSync(book, 'customer_id,name,type\nC1,王小明,individual\nC2,李四,individual\n')
  expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
  const logged = crm(['contact', 'log', '--customer', 'C1', '--channel', 'phone', '--purpose', 'review', ...db])
  expect(logged.code, logged.stderr).toBe(0)
})
afterAll(() => temp.cleanup())

describe.each([['customer'], ['contact']])('%s export --output', (noun) => {
  it('writes a workbook into FILE.xlsx without --format', () => {
    const file = out(`${noun}.xlsx`)
    const result = crm([noun, 'export', '--output', file, ...db])
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(file).subarray(0, 4)).toEqual(ZIP)
  })

  it.each([
    ['json', (t: string) => expect(Array.isArray(JSON.parse(t))).toBe(true)],
    [
      'jsonl',
      (t: string) =>
        expect(
          t
            .trim()
            .split('\n')
            .every((l) => l.startsWith('{')),
        ).toBe(true),
    ],
    ['TSV', (t: string) => expect(t.split('\n')[0]).toContain('\t')],
    ['csv', (t: string) => expect(t.split('\n')[0]).toContain(',')],
  ])('takes the format from .%s', (ext, check) => {
    const file = out(`${noun}-rows.${ext}`)
    const result = crm([noun, 'export', '--output', file, ...db])
    expect(result.code, result.stderr).toBe(0)
    check(readFileSync(file, 'utf8'))
  })

  it.each([
    ['xlsx', 'c.csv'],
    ['csv', 'c.xlsx'],
    ['json', 'c.ndjson'],
  ])('refuses --format %s --output %s (exit 2, naming both, nothing written)', (format, name) => {
    const file = out(`${noun}-${name}`)
    const result = crm([noun, 'export', '--format', format, '--output', file, ...db])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`--format ${format}`)
    expect(result.stderr).toContain(file)
    expect(result.stderr).not.toMatch(/internal error/i)
    expect(existsSync(file)).toBe(false)
  })

  it('keeps --format for a file whose extension names no format', () => {
    const file = out(`${noun}.out`)
    const result = crm([noun, 'export', '--format', 'xlsx', '--output', file, ...db])
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(file).subarray(0, 4)).toEqual(ZIP)
  })
})
