import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type Book, describeBackends} from '../helpers/backends.js'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {queryBook, seedCustomers, seedRecords} from '../helpers/seed.js'

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

const BOOK = [
  'customer_id,name,type,id_number,phone,branch,rm',
  'C1,王伟,individual,11010519491231002X,17612348055,浦东支行,RM01',
  'C2,李娜,individual,,,徐汇支行,RM02',
  'C3,张三,individual,,,浦东支行,RM01',
]

beforeAll(() => {
  const file = join(temp.dir, 'book.csv')
  writeFileSync(file, BOOK.join('\n'))
  expect(crm(['customer', 'import', file, ...db]).code).toBe(0)
})

/** A book of the backend's with BOOK's customers, for the describe it is called in; its --db flag. */
function seededBook(backend: {book(): Book}): {db: string[]} {
  const flags = {db: [] as string[]}
  let book: Book | undefined
  beforeAll(() => {
    book = backend.book()
    seedCustomers(book, seedRecords(BOOK))
    flags.db = ['--db', book.db]
  })
  afterAll(() => book?.cleanup())
  return flags
}

describeBackends('crm contact log', (backend) => {
  const book = seededBook(backend)
  const log = (...flags: string[]) => crm(['contact', 'log', ...book.db, ...flags])
  it('logs a contact given every flag and prints its id; notes come back byte for byte', () => {
    const notes = '第一行 "quoted", \'single\'\n=SUM(A1) +1 -2 @x\t; DROP TABLE contacts;-- 🙂'
    const result = log(
      '--customer',
      'C2',
      '--channel',
      '微信',
      '--purpose',
      '营销',
      '--direction',
      'in',
      '--at',
      '2026-01-05 09:30',
      '--note',
      notes,
      '--outcome',
      'interested',
      '--json',
    )
    expect(result.code).toBe(0)
    const logged = json<any>(result)
    expect(logged).toMatchObject({
      created: true,
      customer_id: 'C2',
      channel: 'wechat',
      purpose: 'marketing',
      direction: 'in',
      at: '2026-01-05T09:30:00',
      rm: 'RM02',
    })
    const [back] = json<any[]>(crm(['contact', 'list', '--customer', 'C2', ...book.db, '--format', 'json']))
    expect(back.id).toBe(logged.id)
    expect(back.notes).toBe(notes)
  })

  it.each([
    [['--channel', 'phone', '--purpose', 'review'], '--customer is required'],
    [['--customer', 'C1', '--purpose', 'review'], '--channel is required'],
    [['--customer', 'C1', '--channel', 'phone'], '--purpose is required'],
  ])('with no terminal, a missing value is a usage error naming the flag (%j)', (flags, message) => {
    const result = log(...flags)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })

  it('refuses an unknown customer (exit 4) and suggests the closest ids', () => {
    const result = log('--customer', 'C11', '--channel', 'phone', '--purpose', 'review')
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('no customer with customer_id "C11"')
    expect(result.stderr).toContain('did you mean C1 (王伟)')
  })

  it.each([
    [['--channel', 'fax'], '"fax" is not a channel'],
    [['--purpose', 'gossip'], '"gossip" is not a purpose'],
    [['--at', '2026-02-30'], '2026-02-30 is not a date'],
    [['--follow-up', '2020-01-01'], 'is in the past'],
    [['--follow-up', 'tomorrow'], 'is not a date'],
  ])('refuses bad values with a usage error (%j)', (flags, message) => {
    const base: Record<string, string> = {'--customer': 'C1', '--channel': 'phone', '--purpose': 'review'}
    for (let i = 0; i < flags.length; i += 2) base[flags[i]] = flags[i + 1]
    const result = log(...Object.entries(base).flat())
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
  })

  it('closes the open follow-ups that a later contact answers, but not by an SMS we sent', () => {
    const first = json<any>(
      log(
        '--customer',
        'C3',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        '2026-01-01 10:00',
        '--follow-up',
        '2099-01-01',
        '--json',
      ),
    )
    expect(
      json<any>(
        log('--customer', 'C3', '--channel', 'sms', '--purpose', 'marketing', '--at', '2026-01-02 10:00', '--json'),
      ).closed_follow_ups,
    ).toBe(0)
    const answer = json<any>(
      log('--customer', 'C3', '--channel', 'visit', '--purpose', 'service', '--at', '2026-01-03 10:00', '--json'),
    )
    expect(answer.closed_follow_ups).toBe(1)
    const [closed] = json<any[]>(
      crm(['contact', 'list', '--customer', 'C3', '--channel', 'phone', ...book.db, '--json']),
    )
    expect(closed).toMatchObject({id: first.id, follow_up_closed_by: answer.id})
  })

  it('searches notes as shown: a masked phone by its visible digits, the whole number only with --reveal', () => {
    const logged = json<any>(
      log(
        '--customer',
        'C1',
        '--channel',
        'phone',
        '--purpose',
        'service',
        '--note',
        'Call back on 13912345678',
        '--json',
      ),
    )
    const search = (...flags: string[]) =>
      json<any[]>(crm(['contact', 'list', ...book.db, '--json', ...flags])).map((c) => c.id)
    expect(search('--search', '5678')).toEqual([logged.id])
    expect(search('--search', '13912345678')).toEqual([])
    expect(search('--search', '13912345678', '--reveal')).toEqual([logged.id])
    expect(search('--search', 'CALL BACK')).toEqual([logged.id])
  })

  it('exports what list lists, record for record, as JSON and as CSV', () => {
    const listed = json<any[]>(crm(['contact', 'list', ...book.db, '--json']))
    const file = join(tempDir().dir, 'contacts.json')
    expect(crm(['contact', 'export', ...book.db, '--output', file]).code).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(listed)
    const csv = crm(['contact', 'export', ...book.db, '--format', 'csv']).stdout
    expect(csv).toContain('customer_name')
    expect(csv).not.toContain('13912345678')
  })

  it('records each log in the audit log with the OS user', () => {
    const logs = queryBook<{n: number}>(
      {db: book.db[1], dir: '', cleanup: () => {}},
      "SELECT count(*) AS n FROM audit_log WHERE action = 'contact.log' AND os_user IS NOT NULL",
    )
    const listed = json<any[]>(crm(['contact', 'list', ...book.db, '--json']))
    expect(Number(logs[0].n)).toBe(listed.length)
  })

  describe('crm customer show', () => {
    it("shows the customer's latest contacts, newest first", () => {
      const shown = json<any>(crm(['customer', 'show', 'C3', ...book.db, '--json']))
      expect(shown.recent_contacts.map((c: any) => c.channel)).toEqual(['visit', 'sms', 'phone'])
      expect(crm(['customer', 'show', 'C3', ...book.db]).stdout).toMatch(
        /Last contacts {2}2026-01-03 10:00 on-site visit service/,
      )
    })
  })
})

describe('crm contact log at a terminal', () => {
  it('asks for the customer, channel, direction, purpose, outcome, note and a follow-up date (re-asking on a bad date), then confirms', () => {
    const steps = [
      ['Customer', '王'],
      ['C1', '\r'],
      ['Channel', '\x1b[B\r'],
      ['Direction', '\r'],
      ['Purpose', '\x1b[B\x1b[B\r'],
      ['Outcome', '\r'],
      ['Note', '\x1b[B\x1b[B\r'],
      ['Follow up on', '2026-02-30\r'],
      ['is not a date', `${'\x7f'.repeat(10)}2099-03-04\r`],
      ['Log this contact?', '\r'],
    ]
    const result = spawnSync(
      'python3',
      [
        join(ROOT, 'test/helpers/pty-run.py'),
        JSON.stringify(steps),
        '--',
        process.execPath,
        BIN,
        'contact',
        'log',
        ...db,
      ],
      {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}},
    )
    expect(result.stdout).toContain('176****8055')
    expect(result.stdout).not.toContain('17612348055')
    expect(result.stdout).toMatch(/Logged contact \d+ with C1/)
    expect(result.status).toBe(0)
    const [contact] = json<any[]>(crm(['contact', 'list', '--customer', 'C1', ...db, '--json']))
    expect(contact).toMatchObject({channel: 'phone', purpose: 'review', follow_up_on: '2099-03-04', direction: 'out'})
  })
})

describeBackends('crm contact due', (backend) => {
  const book = seededBook(backend)
  it('groups open follow-ups on a fixed date into overdue, due today and upcoming', () => {
    const dueDb = book.db
    const at = (customer: string, date: string, followUp: string) =>
      crm([
        'contact',
        'log',
        ...dueDb,
        '--customer',
        customer,
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        `${date} 09:00`,
        '--follow-up',
        followUp,
      ])
    at('C1', '2026-01-01', '2099-01-10')
    at('C2', '2026-01-01', '2099-01-15')
    at('C3', '2026-01-01', '2099-01-20')
    const report = json<any>(crm(['contact', 'due', ...dueDb, '--date', '2099-01-15', '--days', '7', '--json']))
    expect(report.overdue.map((r: any) => [r.customer_id, r.days_overdue, r.last_channel])).toEqual([
      ['C1', 5, 'phone'],
    ])
    expect(report.due_today.map((r: any) => r.customer_id)).toEqual(['C2'])
    expect(report.upcoming.map((r: any) => r.customer_id)).toEqual(['C3'])
    expect(
      json<any>(crm(['contact', 'due', ...dueDb, '--date', '2099-01-15', '--days', '2', '--json'])).upcoming,
    ).toEqual([])
    expect(
      json<any>(crm(['contact', 'due', ...dueDb, '--date', '2099-01-15', '--rm', 'RM02', '--json'])).overdue,
    ).toEqual([])
    const text = crm(['contact', 'due', ...dueDb, '--date', '2099-01-15'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('Overdue (1)')
    expect(text.stdout).toContain('follow-up 2099-01-10 (5 days)')
  })

  it('exits 0 when nothing is due, and contact done closes one by hand', () => {
    const dueDb = book.db
    const before = json<any>(crm(['contact', 'due', ...dueDb, '--date', '2099-01-15', '--json']))
    const done = crm(['contact', 'done', String(before.overdue[0].contact_id), ...dueDb])
    expect(done.stdout).toContain('Closed the follow-up')
    expect(json<any>(crm(['contact', 'due', ...dueDb, '--date', '2099-01-15', '--json'])).overdue).toEqual([])
    expect(crm(['contact', 'due', ...dueDb, '--date', '1999-01-01']).code).toBe(0)
    expect(crm(['contact', 'done', '999', ...dueDb]).code).toBe(4)
  })
})

describe('crm contact import', () => {
  it('imports a call-centre file with rejects, counts and a reject file; again adds nothing twice', () => {
    const file = join(temp.dir, 'calls.csv')
    writeFileSync(
      file,
      [
        '客户号,联系时间,渠道,方向,目的,结果,备注,下次跟进日期',
        'C1,2026-02-01 10:00,电话,呼出,回访,接通,"他说""好""\n明天再聊",2099-02-05',
        'C1,2026-02-01 10:00,电话,呼出,回访,接通,"他说""好""\n明天再聊",2099-02-05',
        'C404,2026-02-01,电话,,回访,,,',
        'C2,2026-02-30,传真,,,,,',
        'C3,2026/2/2 9:05,微信,in,投诉,,=HYPERLINK("x"),',
      ].join('\r\n'),
    )
    const first = crm(['contact', 'import', file, ...db, '--json'])
    expect(first.code).toBe(3)
    const report = json<any>(first)
    expect({
      read: report.read,
      inserted: report.inserted,
      duplicates: report.duplicates,
      rejected: report.rejected,
    }).toEqual({read: 5, inserted: 2, duplicates: 1, rejected: 2})
    const rejects = readFileSync(report.rejects_file, 'utf8')
    expect(rejects).toContain('customer C404 does not exist')
    expect(rejects).toContain('2026-02-30 is not a date')
    const unknownOnly = join(temp.dir, 'unknown-only.csv')
    writeFileSync(unknownOnly, 'customer_id,at,channel,purpose\nNOPE,2026-01-01 10:00,phone,review\n')
    const told = crm(['contact', 'import', unknownOnly, ...db, '--lang', 'en'])
    expect(told.code).toBe(3)
    expect(told.stdout + told.stderr).toContain('Read 1 row from')
    expect(told.stdout + told.stderr).toContain('Nothing was written: no row passed the checks.')
    const again = json<any>(crm(['contact', 'import', file, ...db, '--json']))
    expect({inserted: again.inserted, unchanged: again.unchanged}).toEqual({inserted: 0, unchanged: 2})
    const c3 = json<any[]>(crm(['contact', 'list', '--customer', 'C3', '--channel', 'wechat', ...db, '--json']))
    expect(c3).toHaveLength(1)
    expect(c3[0]).toMatchObject({
      at: '2026-02-02T09:05:00',
      direction: 'in',
      purpose: 'complaint',
      notes: '=HYPERLINK("x")',
    })
  })

  it('closes the open follow-ups that imported contacts answer: logged before, or opened in the same file', () => {
    const own = ['--db', join(temp.dir, 'follow-ups.db')]
    expect(crm(['customer', 'import', join(temp.dir, 'book.csv'), ...own]).code).toBe(0)
    expect(
      crm([
        'contact',
        'log',
        ...own,
        '--customer',
        'C1',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        '2026-03-01 10:00',
        '--follow-up',
        '2099-01-01',
      ]).code,
    ).toBe(0)
    const file = join(temp.dir, 'answers.csv')
    writeFileSync(
      file,
      [
        'customer_id,at,channel,direction,purpose,follow_up_on',
        'C1,2026-03-02 09:00,sms,out,marketing,', // an SMS we sent answers nothing
        'C2,2026-03-03 10:00,phone,out,review,2099-02-02',
        'C2,2026-03-04 10:00,wechat,in,service,', // answers C2's follow-up from the line above
        'C1,2026-03-05 10:00,phone,in,service,', // answers C1's logged follow-up
        'C3,2026-03-10 10:00,phone,out,review,2099-03-03',
        'C3,2026-03-09 10:00,phone,in,service,', // earlier than C3's follow-up: leaves it open
      ].join('\n'),
    )
    expect(json<any>(crm(['contact', 'import', file, ...own, '--json'])).closed_follow_ups).toBe(2)
    const open = json<any[]>(crm(['contact', 'list', '--open', ...own, '--json']))
    expect(open.map((c) => [c.customer_id, c.follow_up_on])).toEqual([['C3', '2099-03-03']])
    const last = join(temp.dir, 'last.csv')
    writeFileSync(last, 'customer_id,at,channel,direction,purpose\nC3,2026-03-11 10:00,phone,in,service\n')
    expect(crm(['contact', 'import', last, ...own, '--lang', 'en']).stdout).toContain(
      'Closed 1 open follow-up that these contacts answer',
    )
  })

  it('closes a follow-up that a contact stored earlier answers: an import completed in two runs closes as one', () => {
    const once = ['--db', join(temp.dir, 'answered-once.db')]
    const twice = ['--db', join(temp.dir, 'answered-twice.db')]
    const file = join(temp.dir, 'answered.csv')
    const header = 'customer_id,at,channel,direction,purpose,notes,follow_up_on'
    const later = 'C1,2026-10-01 10:00,phone,out,review,later call,'
    writeFileSync(file, [header, later, 'C1,2026-03-01 10:00,phone,out,review,early call,2026-04-01'].join('\n'))
    const firstPart = join(temp.dir, 'answered-part.csv')
    writeFileSync(firstPart, [header, later].join('\n'))
    for (const own of [once, twice])
      expect(crm(['customer', 'import', join(temp.dir, 'book.csv'), ...own]).code).toBe(0)
    expect(crm(['contact', 'import', file, ...once]).code).toBe(0)
    expect(crm(['contact', 'import', firstPart, ...twice]).code).toBe(0)
    expect(json<any>(crm(['contact', 'import', file, ...twice, '--json'])).closed_follow_ups).toBe(1)
    for (const own of [once, twice])
      expect(json<any[]>(crm(['contact', 'list', '--open', ...own, '--json']))).toEqual([])
  })

  it('keeps the offset written with a time or in a utc_offset column, and the wall-clock time as written', () => {
    const own = ['--db', join(temp.dir, 'offsets.db')]
    expect(crm(['customer', 'import', join(temp.dir, 'book.csv'), ...own]).code).toBe(0)
    const file = join(temp.dir, 'offsets.csv')
    writeFileSync(
      file,
      [
        'customer_id,at,channel,purpose,notes,utc_offset',
        'C1,2026-11-29T18:00:04+08:00,phone,review,with the time,',
        'C1,2026-11-20 09:00,phone,review,in the column,-05:00',
        'C1,2026-11-21 09:00 +0530,phone,review,both agree,+05:30',
        'C2,2026-11-20 09:00,phone,review,none: the machine zone,',
        'C2,2026-11-21 09:00,phone,review,beyond the range,+15:00',
        'C2,2026-11-22 09:00+08:00,phone,review,two offsets,+09:00',
        'C2,2026-11-23 09:00,phone,review,not an offset,Asia/Tokyo',
      ].join('\n'),
    )
    const result = crm(['contact', 'import', file, ...own, '--json'], {env: {TZ: 'Asia/Shanghai'}})
    expect(result.code).toBe(3)
    const report = json<any>(result)
    expect({inserted: report.inserted, rejected: report.rejected}).toEqual({inserted: 4, rejected: 3})
    const rejects = readFileSync(report.rejects_file, 'utf8')
    expect(rejects).toContain('+15:00"" is not an offset from UTC: offsets run from -12:00 to +14:00')
    expect(rejects).toContain('utc_offset +09:00 differs from the offset written with the time (+08:00)')
    expect(rejects).toContain('Asia/Tokyo"" is not an offset from UTC (write +08:00)')
    const kept = json<any[]>(crm(['contact', 'list', ...own, '--json'])).map((c) => [c.notes, c.at, c.utc_offset])
    expect(kept).toEqual(
      expect.arrayContaining([
        ['with the time', '2026-11-29T18:00:04', '+08:00'],
        ['in the column', '2026-11-20T09:00:00', '-05:00'],
        ['both agree', '2026-11-21T09:00:00', '+05:30'],
        ['none: the machine zone', '2026-11-20T09:00:00', '+08:00'],
      ]),
    )
  })

  it("contact export → contact import into another zone keeps each contact's offset; again, nothing changes", () => {
    const [from, to] = [
      ['--db', join(temp.dir, 'zone-a.db')],
      ['--db', join(temp.dir, 'zone-b.db')],
    ]
    for (const d of [from, to]) expect(crm(['customer', 'import', join(temp.dir, 'book.csv'), ...d]).code).toBe(0)
    expect(
      crm(
        [
          'contact',
          'log',
          ...from,
          '--customer',
          'C1',
          '--channel',
          'phone',
          '--purpose',
          'review',
          '--at',
          '2026-11-20 15:30',
        ],
        {env: {TZ: 'Asia/Shanghai'}},
      ).code,
    ).toBe(0)
    expect(
      crm([
        'contact',
        'log',
        ...from,
        '--customer',
        'C2',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        '2026-07-01 09:00-04:00',
      ]).code,
    ).toBe(0)
    for (const format of ['csv', 'tsv', 'json']) {
      const file = join(temp.dir, `zones.${format}`)
      expect(crm(['contact', 'export', '--format', format, '--output', file, '--force', ...from]).code).toBe(0)
      const imported = json<any>(crm(['contact', 'import', file, '--json', ...to], {env: {TZ: 'Europe/London'}}))
      expect(imported.rejected).toBe(0)
      const offsets = json<any[]>(crm(['contact', 'list', ...to, '--json'])).map((c) => [
        c.customer_id,
        c.at,
        c.utc_offset,
      ])
      expect(offsets).toEqual(
        expect.arrayContaining([
          ['C1', '2026-11-20T15:30:00', '+08:00'],
          ['C2', '2026-07-01T09:00:00', '-04:00'],
        ]),
      )
      expect(offsets).toHaveLength(2)
    }
  })

  it('records every write in the audit log', () => {
    const audit = new Database(temp.db, {readonly: true})
    const actions = audit.prepare('SELECT DISTINCT action FROM audit_log').pluck().all()
    audit.close()
    expect(actions).toEqual(expect.arrayContaining(['contact.log', 'contact.import', 'contact.import.complete']))
  })
})
