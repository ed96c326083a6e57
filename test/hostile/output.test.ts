import {spawn, spawnSync} from 'node:child_process'
import {openSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Standard output that cannot be written, folders that cannot be made, and small things a hostile reviewer found.

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

beforeAll(() => {
  const rows = Array.from({length: 3000}, (_, i) => `C${String(i).padStart(6, '0')},客户${i},individual,${i * 100}`)
  writeFileSync(join(temp.dir, 'book.csv'), `customer_id,name,type,aum\n${rows.join('\n')}\n`)
  expect(crm(['customer', 'import', join(temp.dir, 'book.csv'), ...db]).code).toBe(0)
})

describe('standard output on a full disk', () => {
  it.each([
    [['customer', 'list', ...db]],
    [['customer', 'list', '--format', 'csv', ...db]],
    [['customer', 'export', '--format', 'ndjson', ...db]],
    [['db', 'info', '--json', ...db]],
    [['--version']],
  ])('crm %j is exit 3, saying standard output cannot be written', (args) => {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
      env: {...process.env, NO_COLOR: '1'},
    })
    const result = {code: run.status ?? -1, stdout: '', stderr: run.stderr}
    expectHandled(result, 3)
    expect(result.stderr).toContain('cannot write standard output: the disk is full')
    expect(result.stderr).not.toContain('    at ')
  })
})

describe('a reader that stops reading', () => {
  it('crm customer export | head stops with 141, not claiming it exported every row', async () => {
    const child = spawn(process.execPath, [BIN, 'customer', 'export', '--format', 'ndjson', ...db], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text
    })
    // Read one chunk, then go away, as `head -c 100` does.
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
    expectHandled({code, stdout: '', stderr}, 141)
    expect(stderr).not.toContain('exported')
  })
})

describe('a folder that cannot be made', () => {
  it.each([
    [['customer', 'import', join(ROOT, 'data', 'customers.csv'), '--db', '/proc/crm-nope/x.db']],
    [['customer', 'export', '--output', '/proc/crm-nope/x.csv', ...db]],
    [['db', 'backup', '/proc/crm-nope/b.db', ...db]],
  ])("crm %j is exit 3 naming the path (Node's recursive mkdir loops forever there)", (args) => {
    const result = crm(args)
    expectHandled(result, 3)
    expect(result.stderr).toContain('/proc/crm-nope')
  })
})

describe('small things', () => {
  it('an e-mail with a DEL character is a rejected row', () => {
    const file = join(temp.dir, 'del.csv')
    writeFileSync(file, 'customer_id,name,type,email\nE1,王伟,individual,a@b\x7f.com\nE2,李娜,individual,l@b.com\n')
    const result = crm(['customer', 'import', file, '--db', join(temp.dir, 'del.db'), '--json'])
    expectHandled(result, 3)
    expect(JSON.parse(result.stdout)).toMatchObject({inserted: 1, rejected: 1})
  })

  it.each(['"', '\n'])('--delimiter %j is a usage error', (delimiter) => {
    const result = crm(['customer', 'import', join(temp.dir, 'book.csv'), '--delimiter', delimiter, '--dry-run', ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('--delimiter')
  })
})

describe('CSV and TSV on standard output neutralise formula cells', () => {
  const formulas = join(temp.dir, 'formulas.csv')
  const formulaDb = ['--db', join(temp.dir, 'formulas.db')]
  beforeAll(() => {
    writeFileSync(
      formulas,
      'customer_id,name,type,branch,aum,contribution\nF1,"=cmd|\' /C calc\'!A0",individual,@SUM(A1),600000,-12.50\nF2,+李娜,individual,=HYPERLINK("x"),100,5\n',
    )
    expect(crm(['customer', 'import', formulas, ...formulaDb]).code).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum', ...formulaDb]).code).toBe(0)
  })

  it.each(['csv', 'tsv'])('customer list --format %s', (format) => {
    const result = crm(['customer', 'list', '--format', format, ...formulaDb])
    expectHandled(result, 0)
    expect(result.stdout).toContain("'=cmd|")
    expect(result.stdout).toContain("'+李娜")
    expect(result.stdout).toContain("'@SUM(A1)")
    expect(result.stdout).not.toMatch(/(^|[,\t])[=+@]/m)
    // A number stays a number.
    expect(result.stdout).toMatch(/(^|[,\t])-12\.50([,\t]|$)/m)
  })

  it.each(['csv', 'tsv'])('classify check --format %s', (format) => {
    const result = crm(['classify', 'check', '--scheme', 'retail-aum', formulas, '--format', format])
    expectHandled(result, 0)
    expect(result.stdout).toContain("'=cmd|")
    expect(result.stdout).not.toMatch(/(^|[,\t])[=+@]/m)
  })

  it('summary --by branch --format csv', () => {
    const result = crm(['summary', '--scheme', 'retail-aum', '--by', 'branch', '--format', 'csv', ...formulaDb])
    expectHandled(result, 0)
    expect(result.stdout).toContain("'=HYPERLINK")
    expect(result.stdout).not.toMatch(/(^|,)[=+@]/m)
  })

  it('a list piped to a file imports back as it was', () => {
    const listed = join(temp.dir, 'listed.csv')
    writeFileSync(listed, crm(['customer', 'list', '--format', 'csv', '--reveal', ...formulaDb]).stdout)
    const again = ['--db', join(temp.dir, 'again.db')]
    expectHandled(crm(['customer', 'import', listed, ...again]), 0)
    const shown = JSON.parse(crm(['customer', 'show', 'F1', '--json', ...again]).stdout)
    expect(JSON.stringify(shown)).toContain("=cmd|' /C calc'!A0")
    expect(JSON.stringify(shown)).not.toContain("'=cmd")
  })
})
