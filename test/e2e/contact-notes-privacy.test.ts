import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Personal data written inside a contact's notes or outcome (an ID number, a phone, an e-mail address) is masked in
// every output unless --reveal, which is audited; the notes stay stored as written.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const ID = '110105198001010008'
const MOBILE = '13800138000'
const WIDE = '１３９１２３４５６７８'
const MAIL = 'wang.li@bank.com'
const NOTES = `客户身份证${ID}，手机${MOBILE}`
const OUTCOME = `请回电 ${WIDE} 或邮件 ${MAIL}`
const SECRETS = [ID, MOBILE, WIDE, MAIL]
const MASKED = ['110105********0008', '138****8000', '139****5678', 'w******@bank.com']

const audits = (action: string) => {
  const book = new Database(temp.db, {readonly: true})
  try {
    return (
      book.prepare('SELECT rows, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
        rows: number
        details: string
      }[]
    ).map((r) => ({rows: r.rows, ...(JSON.parse(r.details) as Record<string, unknown>)}))
  } finally {
    book.close()
  }
}

beforeAll(() => {
  writeFileSync(join(temp.dir, 'c.csv'), 'customer_id,name,type\nP001,王芳,individual\nP002,李雷,individual\n')
  expectHandled(crm(['customer', 'import', join(temp.dir, 'c.csv'), ...db]), 0)
  const contacts = [
    'customer_id,at,channel,purpose,outcome,notes,follow_up_on',
    `P001,2026-11-20 10:00,phone,review,"${OUTCOME}","${NOTES}",2027-01-05`,
    'P001,2026-11-21 10:00,wechat,service,reached,Asked about the fixed deposit rate,',
    'P002,2026-11-22 10:00,branch,marketing,已接通,回访 2026-11-28，余额 12345.67,',
  ].join('\n')
  writeFileSync(join(temp.dir, 'k.csv'), `${contacts}\n`)
  expectHandled(crm(['contact', 'import', join(temp.dir, 'k.csv'), ...db]), 0)
})

const expectMasked = (text: string, otherCustomer = true) => {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
  for (const masked of MASKED) expect(text).toContain(masked)
  // The rest of the text is as written: a date and a decimal are no phone.
  expect(text).toContain('客户身份证')
  if (otherCustomer) expect(text).toContain('回访 2026-11-28，余额 12345.67')
}

describe('personal data in contact notes and outcomes', () => {
  it.each([
    ['contact list --json', ['contact', 'list', '--json']],
    ['contact list --format ndjson', ['contact', 'list', '--format', 'ndjson']],
    ['contact list --format csv', ['contact', 'list', '--format', 'csv']],
    ['contact list --format tsv', ['contact', 'list', '--format', 'tsv']],
    ['contact export', ['contact', 'export']],
    ['contact export --format json', ['contact', 'export', '--format', 'json']],
    ['contact export --format ndjson', ['contact', 'export', '--format', 'ndjson']],
    ['customer show --json', ['customer', 'show', 'P001', '--json']],
  ])('are masked in %s, the rest of the text as written', (_, args) => {
    const result = crm([...args, ...db])
    expectHandled(result, 0)
    expectMasked(result.stdout, args[0] === 'contact')
  })

  it.each([
    ['contact list', ['contact', 'list']],
    ['customer show', ['customer', 'show', 'P001']],
    ['customer show --lang zh', ['customer', 'show', 'P001', '--lang', 'zh']],
    ['contact list --lang zh', ['contact', 'list', '--lang', 'zh']],
  ])('are masked in the table of %s (notes cut to one line)', (_, args) => {
    const result = crm([...args, ...db])
    expectHandled(result, 0)
    for (const secret of SECRETS) expect(result.stdout).not.toContain(secret)
    expect(result.stdout).toContain('110105********0008')
  })

  it('are masked the same by the SQL (JSON) and the JS (CSV) writers', () => {
    const fromSql = json<{notes: string; outcome: string}[]>(crm(['contact', 'list', '--json', ...db]))
    const fromJs = json<{notes: string; outcome: string}[]>(crm(['contact', 'export', '--format', 'json', ...db]))
    expect(fromSql.map((c) => [c.notes, c.outcome])).toEqual(fromJs.map((c) => [c.notes, c.outcome]))
    expect(fromSql.find((c) => c.notes.startsWith('客户'))).toMatchObject({
      notes: '客户身份证110105********0008，手机138****8000',
      outcome: '请回电 139****5678 或邮件 w******@bank.com',
    })
  })

  it('are masked in an export written to a file, and stay stored as written', () => {
    const out = join(temp.dir, 'contacts.csv')
    expectHandled(crm(['contact', 'export', '--output', out, ...db]), 0)
    expectMasked(readFileSync(out, 'utf8'))
    const book = new Database(temp.db, {readonly: true})
    expect(
      book.prepare("SELECT notes, outcome FROM contacts WHERE customer_id = 'P001' AND channel = 'phone'").get(),
    ).toEqual({notes: NOTES, outcome: OUTCOME})
    book.close()
  })

  it('are shown as stored with --reveal, which the audit log records with the contacts shown', () => {
    for (const args of [
      ['contact', 'list', '--reveal', '--json'],
      ['contact', 'list', '--reveal', '--format', 'csv'],
      ['contact', 'list', '--reveal'],
      ['contact', 'export', '--reveal', '--format', 'ndjson'],
      ['customer', 'show', 'P001', '--reveal', '--json'],
    ]) {
      const result = crm([...args, ...db])
      expectHandled(result, 0)
      for (const secret of [ID, MOBILE]) expect(result.stdout).toContain(secret)
      if (args.includes('--json') || args.includes('ndjson') || args.includes('csv'))
        for (const secret of [WIDE, MAIL]) expect(result.stdout).toContain(secret)
    }
    expect(audits('contact.reveal')).toEqual([
      {rows: 3, filter: {}, status: 'complete'},
      {rows: 3, filter: {}, status: 'complete'},
      {rows: 3, filter: {}, status: 'complete'},
    ])
    expect(audits('contact.export.reveal')).toEqual([{rows: 3, filter: {}, output: null, status: 'complete'}])
    expect(audits('customer.reveal').at(-1)).toMatchObject({rows: 1, customer_id: 'P001', status: 'complete'})
  })

  it('are not audited when nothing is revealed', () => {
    const before = audits('contact.reveal').length
    expectHandled(crm(['contact', 'list', '--customer', 'P002', '--json', ...db]), 0)
    expect(audits('contact.reveal')).toHaveLength(before)
  })
})

describe('contact log', () => {
  it('answers with the notes and outcome masked, and stores them as written', () => {
    const note = `客户新手机 ${MOBILE}`
    const logged = json<{id: number; notes: string; outcome: string}>(
      crm(
        [
          'contact',
          'log',
          '--customer',
          'P002',
          '--channel',
          'phone',
          '--purpose',
          'service',
          '--at',
          '2026-11-25 09:00',
          '--note',
          note,
          '--outcome',
          `发至 ${MAIL}`,
          '--json',
          ...db,
        ],
        {},
      ),
    )
    expect(logged).toMatchObject({notes: '客户新手机 138****8000', outcome: '发至 w******@bank.com'})
    const book = new Database(temp.db, {readonly: true})
    expect(book.prepare('SELECT notes, outcome FROM contacts WHERE id = ?').get(logged.id)).toEqual({
      notes: note,
      outcome: `发至 ${MAIL}`,
    })
    book.close()
  })
})
