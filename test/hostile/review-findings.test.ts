// Findings of a hostile review of import input (issue 13/15): each bad input gets a clear error, and loses nothing.
import {readFileSync} from 'node:fs'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {localDateTime} from '../../src/core/dates.js'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {crm, json, tempDir} from '../helpers/cli.js'
import {rejectsOf, scratchIn} from '../helpers/scratch.js'

const temp = tempDir()
afterAll(temp.cleanup)
const {file, db} = scratchIn(temp.dir)

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

describe('JSON input', () => {
  it('masks an ID number written as a JSON number in every reason, and keeps its digits in the reject file', () => {
    const path = file(
      'id.ndjson',
      '{"customer_id":"B","name":"b","type":"individual","id_number":110105198509101381}\n',
    )
    const {report, rejects} = importJson(path)
    const reason =
      'the number 110105********1381 in "id_number" has more digits than a JSON number keeps exactly: write it as a string'
    expect(report.reject_examples).toEqual([{line: 1, field: 'id_number', reason}])
    expect(rejectsOf(rejects)[1]).toEqual(['1', 'id_number', reason, 'B', 'b', 'individual', '110105198509101381'])
    const console = crm(['customer', 'import', path, '--db', db(), '--rejects', rejects])
    expect(console.stdout + console.stderr).not.toContain('1101051985091013')
  })

  it('takes records with keys the first lacks, as columns would be, and a missing key as an empty cell', () => {
    for (const [name, text] of [
      [
        'keys.ndjson',
        '{"customer_id":"C","name":"c","type":"individual"}\n{"customer_id":"D","name":"d","type":"individual","email":"x@y.com","风险":"高"}\n{"customer_id":"E","name":["x"],"type":"individual","风险":"低"}\n',
      ],
      [
        'keys.json',
        '[{"customer_id":"C","name":"c","type":"individual"},{"customer_id":"D","name":"d","type":"individual","email":"x@y.com","风险":"高"},{"customer_id":"E","name":["x"],"type":"individual","风险":"低"}]',
      ],
    ]) {
      const path = file(name, text)
      const database = db()
      const rejects = `${path}.rej.csv`
      const result = crm(['customer', 'import', path, '--db', database, '--json', '--rejects', rejects])
      const report = json<Report & {unknown_columns: string[]}>(result)
      expect(report).toMatchObject({read: 3, inserted: 2, rejected: 1, unknown_columns: ['风险']})
      const d = json<{email: string; extra: Record<string, string>}>(
        crm(['customer', 'show', 'D', '--db', database, '--json', '--reveal']),
      )
      expect(d).toMatchObject({email: 'x@y.com', extra: {风险: '高'}})
      // The rejected record keeps every key's value, the non-scalar one as its JSON text.
      expect(rejectsOf(rejects)).toEqual([
        ['reject_line', 'reject_field', 'reject_reason', 'customer_id', 'name', 'type', 'email', '风险'],
        ['3', 'name', expect.stringContaining('the value of "name" is an array'), 'E', '["x"]', 'individual', '', '低'],
      ])
    }
  })

  it('reads the same from standard input', () => {
    const text =
      '{"customer_id":"C","name":"c","type":"individual"}\n{"customer_id":"D","name":"d","type":"individual","email":"x@y.com"}\n'
    const report = json<Report>(crm(['customer', 'import', '-', '--db', db(), '--json'], {input: text, cwd: temp.dir}))
    expect(report).toMatchObject({read: 2, inserted: 2, rejected: 0})
  })

  it("rejects a key given twice, naming it, and keeps a JSON value's leading ' as written", () => {
    const path = file(
      'dup.ndjson',
      `{"customer_id":"F","name":"f","type":"individual","branch":"'=already"}\n{"customer_id":"G","name":"g","type":"individual","type":"corporate"}\n`,
    )
    const database = db()
    const {report} = (() => {
      const result = crm(['customer', 'import', path, '--db', database, '--json', '--rejects', `${path}.rej.csv`])
      return {report: json<Report>(result)}
    })()
    expect(report.reject_examples).toEqual([
      {line: 2, field: 'type', reason: 'the record has the key "type" twice: keep one'},
    ])
    const f = json<{branch: string}>(crm(['customer', 'show', 'F', '--db', database, '--json']))
    expect(f.branch).toBe("'=already")
  })
})

describe('small things', () => {
  it('shows the aum sums as unknown when no row was accepted, and says a file of a header alone has no rows', () => {
    const all = file('all-bad.ndjson', '{"customer_id":"X","name":"x","type":"alien","aum":"1.00"}\n')
    const out = crm(['customer', 'import', all, '--db', db(), '--rejects', `${all}.rej.csv`])
    expect(out.stdout).not.toContain('0.00')
    const header = file('header.csv', 'customer_id,name,type\n')
    const result = crm(['customer', 'import', header, '--db', db()])
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(`no rows in ${header}: only a header`)
  })

  it('words reasons to begin with a word, so the reject file needs no formula guard on them', () => {
    const path = file('negative.csv', 'customer_id,name,type,aum,products\nN1,甲,individual,-5,-2\n')
    const {rejects} = importJson(path)
    const [, row] = rejectsOf(rejects)
    expect(row[2]).toBe(
      'the amount -5 is negative: this amount must be 0 or more; the number -2 is negative: it must be 0 or more',
    )
  })

  it("reads classify check's input as the import does: the ' crm puts before a formula is removed", () => {
    const path = file('guard.csv', "customer_id,name,type,aum,branch\nC1,甲,individual,100,'=1+1\n")
    const result = crm(['classify', 'check', path, '--scheme', 'retail-aum', '--format', 'csv'])
    expect(result.stderr).not.toMatch(/internal error/i)
    expect(result.stdout).toContain("'=1+1")
    expect(result.stdout).not.toContain("''=1+1")
  })
})

describe('NUL bytes and binary files', () => {
  it('rejects only the row of a stray NUL in the first 64 KB, naming line and field', () => {
    const path = file('nul.csv', 'customer_id,name,type\nC1,a\u0000b,individual\nC2,ok,individual\n')
    const {report} = importJson(path)
    expect(report).toMatchObject({read: 2, inserted: 1, rejected: 1})
    expect(report.reject_examples[0]).toMatchObject({line: 2, field: 'name', reason: expect.stringContaining('U+0000')})
  })

  it('refuses an xlsx saying to save it as CSV, and a file of many NULs naming the line', () => {
    const xlsx = crm(['customer', 'import', file('book.xlsx', Buffer.from('PK\u0003\u0004\u0014\u0000')), '--db', db()])
    expect(xlsx.code).toBe(3)
    expect(xlsx.stderr).toContain('is an Excel workbook, not a text file')
    expect(xlsx.stderr).toContain('save it as CSV')
    const dump = file(
      'dump.csv',
      Buffer.concat([Buffer.from('customer_id,name,type\nC1,a,individual\n'), Buffer.alloc(64)]),
    )
    const result = crm(['customer', 'import', dump, '--db', db()])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('is not a text file (it has a NUL byte at byte 39, on line 3')
  })
})

describe('a GBK file whose first 64 KB are ASCII', () => {
  it('rejects its GBK rows suggesting --encoding gbk, once in the summary, and keeps their characters in the reject file', () => {
    const rows = ['customer_id,name,type,aum']
    for (let i = 0; i < 3000; i++) rows.push(`A${String(i).padStart(5, '0')},Name${i},individual,${i}.00`)
    for (let i = 0; i < 10; i++) rows.push(`B${String(i).padStart(5, '0')},王五${i},个人,${i}.00`)
    const path = file('late-gbk.csv', iconv.encode(`${rows.join('\r\n')}\r\n`, 'gbk'))
    const rejects = `${path}.rej.csv`
    const result = crm(['customer', 'import', path, '--db', db(), '--rejects', rejects])
    expect(result.stdout).toContain('inserted 3,000')
    expect(result.stdout.match(/10 rows were rejected for bytes that are not UTF-8: .*--encoding gbk/g)).toHaveLength(1)
    const written = rejectsOf(rejects)
    expect(written).toHaveLength(11)
    expect(written[1]).toEqual([
      '3002',
      '-',
      expect.stringContaining('but valid GBK: if the file is GBK, import it again with --encoding gbk'),
      'B00000',
      '王五0',
      '个人',
      '0.00',
    ])
    expect(readFileSync(rejects, 'utf8')).not.toContain('\uFFFD')
  })
})
