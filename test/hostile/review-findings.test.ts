// Findings of a hostile review of import input (issue 13/15): each bad input gets a clear error, and loses nothing.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {localDateTime} from '../../src/core/dates.js'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {crm, json, tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)
let files = 0

function file(name: string, content: string | Buffer): string {
  const path = join(temp.dir, `${++files}-${name}`)
  writeFileSync(path, content)
  return path
}

/** A fresh database for one command. */
function db(): string {
  return join(temp.dir, `${++files}.db`)
}

function rejectsOf(path: string, encoding = 'utf8'): string[][] {
  const text = encoding === 'utf8' ? readFileSync(path, 'utf8') : iconv.decode(readFileSync(path), encoding)
  return parse(text, {bom: true, relax_column_count: true}) as string[][]
}

interface Report {
  read: number
  inserted: number
  rejected: number
  reject_examples: {line: number; field: string; reason: string}[]
}

/** Imports a file with --json and a named reject file: the report, the reject file's rows, and stderr. */
function importJson(path: string, extra: string[] = []) {
  const rejects = `${path}.rej.csv`
  const result = crm(['customer', 'import', path, '--db', db(), '--json', '--rejects', rejects, ...extra])
  expect(result.stderr).not.toMatch(/internal error/i)
  return {result, report: json<Report>(result), rejects}
}

describe('identity and date checks', () => {
  const id = (first17: string) => first17 + residentIdCheckChar(first17)
  const tomorrow = new Date(Date.now() + 2 * 86_400_000)
  const future = localDateTime(tomorrow).slice(0, 10)

  it('rejects IDs born in the future or of no province, future dates, births before 1900 and a birth_date the ID contradicts', () => {
    const born = future.replaceAll('-', '')
    const path = file(
      'identity.csv',
      [
        'customer_id,name,type,id_number,birth_date,opened_on,last_txn_on',
        `A1,甲,individual,${id(`110105${born}001`)},,,`,
        `A2,乙,individual,${id('99010519850910138')},,,`,
        `A3,丙,individual,,${future},,`,
        'A4,丁,individual,,1899-12-31,,',
        `A5,戊,individual,,,${future},`,
        `A6,己,individual,,,,${future}`,
        `A7,庚,individual,${id('11010519850910138')},1985-09-11,,`,
        'A8,某公司,corporate,440524188001010014,,,',
        `A9,辛,individual,${id('11010519850910138')},1985-09-10,2020-01-01,2024-01-01`,
      ].join('\n'),
    )
    const {report, rejects} = importJson(path)
    expect(report.inserted).toBe(1)
    const rows = rejectsOf(rejects)
    const byLine = Object.fromEntries(rows.slice(1).map((r) => [Number(r[0]), {field: r[1], reason: r[2]}]))
    expect(byLine[2]).toMatchObject({field: 'id_number', reason: expect.stringContaining('is after today')})
    expect(byLine[3]).toMatchObject({field: 'id_number', reason: expect.stringContaining('is not a province')})
    expect(byLine[4]).toMatchObject({field: 'birth_date', reason: expect.stringContaining('is after today')})
    expect(byLine[5]).toMatchObject({field: 'birth_date', reason: expect.stringContaining('before 1900')})
    expect(byLine[6]).toMatchObject({field: 'opened_on', reason: expect.stringContaining('is after today')})
    expect(byLine[7]).toMatchObject({field: 'last_txn_on', reason: expect.stringContaining('is after today')})
    expect(byLine[8]).toMatchObject({
      field: 'birth_date',
      reason:
        'birth_date 1985-**-** is not the birth date in id_number 110105********1381 (1985-**-**): correct one of them',
    })
    expect(byLine[9]).toMatchObject({field: 'id_number', reason: expect.stringContaining('looks like a resident ID')})
    expect(report.reject_examples[0]).toEqual({line: 2, ...byLine[2]})
    // The reasons are masked; the reject file's own columns keep the row as it was.
    expect(rows.find((r) => r[0] === '8')).toEqual([
      '8',
      'birth_date',
      byLine[8].reason,
      'A7',
      '庚',
      'individual',
      id('11010519850910138'),
      '1985-09-11',
      '',
      '',
    ])
  })
})
