import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, beforeEach, expect, it} from 'vitest'
import {PgDatabase} from '../../src/db/postgres/connection.js'
import {dbTarget} from '../../src/db/target.js'
import {type Book, describeBackends} from '../helpers/backends.js'
import {crm, json} from '../helpers/cli.js'

// contact import on both backends (contact.test.ts covers the rest of contacts, and reads them back through
// contact list): what an import stores is read from the book itself.

let temp: Book

/** Rows of a query on the book itself, on either backend (parameters $1, $2 …), as arrays. */
function bookRows(sql: string, ...params: unknown[]): unknown[][] {
  const target = dbTarget(temp.db)
  if (target.kind === 'postgres') {
    const db = new PgDatabase(target)
    try {
      return db.rows(sql, params)
    } finally {
      db.close()
    }
  }
  const db = new Database(target.file, {readonly: true})
  try {
    return db
      .prepare(sql.replace(/\$\d+/g, '?'))
      .raw()
      .all(...params) as unknown[][]
  } finally {
    db.close()
  }
}

function file(name: string, lines: readonly string[]): string {
  const path = join(temp.dir, name)
  writeFileSync(path, lines.join('\n'))
  return path
}
const run = (...args: string[]) => crm([...args, '--db', temp.db])

describeBackends('crm contact import', (backend) => {
  beforeEach(() => {
    temp = backend.book()
    const book = file('book.csv', ['customer_id,name,type', 'C1,甲,individual', 'C2,乙,individual', 'C3,丙,individual'])
    expect(run('customer', 'import', book).code).toBe(0)
  })
  afterEach(() => temp.cleanup())

  it('imports a call-centre file with rejects, counts and a reject file; again adds nothing twice', () => {
    const path = file('calls.csv', [
      '客户号,联系时间,渠道,方向,目的,结果,备注,下次跟进日期',
      'C1,2026-02-01 10:00,电话,呼出,回访,接通,"他说""好""\n明天再聊",2099-02-05',
      'C1,2026-02-01 10:00,电话,呼出,回访,接通,"他说""好""\n明天再聊",2099-02-05',
      'C404,2026-02-01,电话,,回访,,,',
      'C2,2026-02-30,传真,,,,,',
      'C3,2026/2/2 9:05,微信,in,投诉,,=HYPERLINK("x"),',
    ])
    const first = run('contact', 'import', path, '--json')
    expect(first.code).toBe(3)
    const report = json<any>(first)
    expect([report.read, report.inserted, report.duplicates, report.rejected]).toEqual([5, 2, 1, 2])
    const rejects = readFileSync(report.rejects_file, 'utf8')
    expect(rejects).toContain('customer C404 does not exist')
    expect(rejects).toContain('2026-02-30 is not a date')
    const again = json<any>(run('contact', 'import', path, '--json'))
    expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 2])
    expect(
      bookRows("SELECT customer_id, channel, direction, purpose, notes FROM contacts WHERE channel = 'wechat'"),
    ).toEqual([['C3', 'wechat', 'in', 'complaint', '=HYPERLINK("x")']])
  })

  it('closes the open follow-ups that imported contacts answer, in the file and in a later import', () => {
    const path = file('answers.csv', [
      'customer_id,at,channel,direction,purpose,follow_up_on',
      'C1,2026-03-01 10:00,phone,out,review,2099-01-01',
      'C1,2026-03-02 09:00,sms,out,marketing,', // an SMS we sent answers nothing
      'C2,2026-03-03 10:00,phone,out,review,2099-02-02',
      'C2,2026-03-04 10:00,wechat,in,service,', // answers C2's follow-up from the line above
      'C1,2026-03-05 10:00,phone,in,service,', // answers C1's
      'C3,2026-03-10 10:00,phone,out,review,2099-03-03',
      'C3,2026-03-09 10:00,phone,in,service,', // earlier than C3's follow-up: leaves it open
    ])
    expect(json<any>(run('contact', 'import', path, '--json')).closed_follow_ups).toBe(2)
    const open = 'SELECT customer_id FROM contacts WHERE follow_up_on IS NOT NULL AND follow_up_closed_at IS NULL'
    expect(bookRows(open)).toEqual([['C3']])
    const last = file('last.csv', ['customer_id,at,channel,direction,purpose', 'C3,2026-03-11 10:00,phone,in,service'])
    expect(json<any>(run('contact', 'import', last, '--json')).closed_follow_ups).toBe(1)
    expect(bookRows(open)).toEqual([])
  })

  it("keeps the offset written with a time or in a utc_offset column, else the machine zone's", () => {
    const path = file('offsets.csv', [
      'customer_id,at,channel,purpose,notes,utc_offset',
      'C1,2026-11-29T18:00:04+08:00,phone,review,with the time,',
      'C1,2026-11-20 09:00,phone,review,in the column,-05:00',
      'C2,2026-11-20 09:00,phone,review,none: the machine zone,',
      'C2,2026-11-21 09:00,phone,review,beyond the range,+15:00',
    ])
    const result = crm(['contact', 'import', path, '--db', temp.db, '--json'], {env: {TZ: 'Asia/Shanghai'}})
    expect(result.code).toBe(3)
    expect([json<any>(result).inserted, json<any>(result).rejected]).toEqual([3, 1])
    expect(bookRows('SELECT notes, utc_offset FROM contacts ORDER BY notes')).toEqual([
      ['in the column', '-05:00'],
      ['none: the machine zone', '+08:00'],
      ['with the time', '+08:00'],
    ])
  })
})
