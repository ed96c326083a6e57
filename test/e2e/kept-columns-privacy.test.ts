import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Columns an import keeps (extras) have no field to say they are personal: a value that looks like an ID number, a
// phone or an e-mail is masked in every output unless --reveal.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const ID = '11010519491231002X'
const MOBILE = '13912345678'
const MAIL = 'wang.fang@example.cn'
const LANDLINE = '0571-87654321'

beforeAll(() => {
  const file = join(temp.dir, 'kept.csv')
  writeFileSync(file, `customer_id,name,type,身份证,手机,contact_mail,座机,note\nP001,王芳,individual,${ID},${MOBILE},${MAIL},${LANDLINE},VIP since 2019\n`)
  expectHandled(crm(['customer', 'import', file, ...db]), 0)
})

describe('kept columns that look like personal data', () => {
  it.each([
    ['customer show', ['customer', 'show', 'P001']],
    ['customer list --json', ['customer', 'list', '--json']],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv']],
    ['customer list --format ndjson', ['customer', 'list', '--format', 'ndjson']],
    ['customer export', ['customer', 'export']],
    ['customer export --format json', ['customer', 'export', '--format', 'json']],
  ])('are masked in %s, and other kept values are not', (_, args) => {
    const result = crm([...args, ...db])
    expectHandled(result, 0)
    for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(result.stdout).not.toContain(secret)
    expect(result.stdout).toContain('110105********002X')
    expect(result.stdout).toContain('139****5678')
    expect(result.stdout).toContain('0571-****4321')
    expect(result.stdout).toContain('VIP since 2019')
  })

  it('are shown whole with --reveal, in the table path and the SQL path alike', () => {
    for (const args of [['customer', 'show', 'P001', '--reveal'], ['customer', 'list', '--json', '--reveal']]) {
      const result = crm([...args, ...db])
      expectHandled(result, 0)
      for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(result.stdout).toContain(secret)
    }
  })

  it('are masked in an export written to a file', () => {
    const out = join(temp.dir, 'book.csv')
    expectHandled(crm(['customer', 'export', '--output', out, ...db]), 0)
    const text = readFileSync(out, 'utf8')
    for (const secret of [ID, MOBILE, MAIL, LANDLINE]) expect(text).not.toContain(secret)
  })
})
