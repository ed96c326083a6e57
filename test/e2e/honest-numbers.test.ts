import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'

// Every child runs in Shanghai's zone (+08:00, no daylight saving), whatever the machine's zone is.
const ZONE = 'Asia/Shanghai'

type SummaryRecord = Record<string, string | number | null>

describe('unknown is not zero', () => {
  const {dir, db, cleanup} = tempDir()
  const env = {CRM_DB: db, TZ: ZONE}
  beforeAll(() => {
    // No deposits at all; AUM missing for one customer; loans for one of three; a contact with a mass customer.
    const file = join(dir, 'nulls.csv')
    writeFileSync(
      file,
      'customer_id,name,type,aum,deposits,loans\nA1,张三,individual,100.00,,\nA2,李四,individual,7000000.00,,5.00\nA3,王五,individual,,,\n',
    )
    expect(crm(['customer', 'import', file], {env}).code).toBe(0)
    expect(
      crm(
        ['contact', 'log', '--customer', 'A1', '--channel', 'phone', '--purpose', 'review', '--at', '2026-11-20 10:00'],
        {env},
      ).code,
    ).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum', '--as-of', '2026-11-28'], {env}).code).toBe(0)
  })
  afterAll(cleanup)

  it('prints a sum none of whose customers has a value as null in JSON, with how many each sum covers', () => {
    const rows = json<{rows: SummaryRecord[]}>(crm(['summary', '--scheme', 'retail-aum', '--json'], {env})).rows
    const total = rows.at(-1)!
    expect(total).toMatchObject({
      kind: 'total',
      customers: 3,
      deposits: null,
      deposits_count: 0,
      aum: '7000100.00',
      aum_count: 2,
      loans: '5.00',
      loans_count: 1,
    })
    // The average is over the customers with a value, not over all three.
    expect(total.aum_average).toBe('3500050.00')
    const mass = rows.find((r) => r.tier === 'mass')!
    expect(mass).toMatchObject({customers: 2, aum: '100.00', aum_count: 1, deposits: null, loans: null, loans_count: 0})
  })

  it('leaves an unknown sum empty in CSV', () => {
    const csv = parse(crm(['summary', '--scheme', 'retail-aum', '--format', 'csv'], {env}).stdout, {
      columns: true,
    }) as Record<string, string>[]
    const total = csv.at(-1)!
    expect([total.kind, total.deposits, total.deposits_count, total.aum, total.aum_count]).toEqual([
      'total',
      '',
      '0',
      '7000100.00',
      '2',
    ])
  })

  it('shows — for an unknown sum in a table and marks a partly known one, with a note saying how many it covers', () => {
    const table = crm(['summary', '--scheme', 'retail-aum', '--format', 'table'], {env}).stdout
    const total = table.split('\n').find((l) => l.includes('Total'))!
    expect(total).toContain('7,000,100.00*')
    expect(total).toContain('—')
    expect(total).not.toMatch(/\b0\.00\b/)
    expect(table).toContain('AUM 2 of 3, deposits 0 of 3, loans 1 of 3')
  })

  it('keeps an empty tier at 0.00: nothing to add is zero', () => {
    const rows = json<{rows: SummaryRecord[]}>(crm(['summary', '--scheme', 'retail-aum', '--json'], {env})).rows
    expect(rows.find((r) => r.tier === 'diamond')).toMatchObject({
      customers: 0,
      aum: '0.00',
      deposits: '0.00',
      contacted: 0,
    })
  })

  it("leaves an empty tier's average unknown: null in JSON, empty in CSV, — in a table, with or without --by", () => {
    for (const by of [[], ['--by', 'branch']]) {
      const rows = json<{rows: SummaryRecord[]}>(
        crm(['summary', '--scheme', 'retail-aum', ...by, '--json'], {env}),
      ).rows
      expect(rows.find((r) => r.tier === 'diamond')).toMatchObject({customers: 0, aum_count: 0, aum_average: null})
      const csv = parse(crm(['summary', '--scheme', 'retail-aum', ...by, '--format', 'csv'], {env}).stdout, {
        columns: true,
      }) as Record<string, string>[]
      expect(csv.find((r) => r.tier === 'diamond')!.aum_average).toBe('')
      const table = crm(['summary', '--scheme', 'retail-aum', ...by, '--format', 'table', '--lang', 'en'], {env}).stdout
      const diamond = table.split('\n').find((l) => /Diamond|diamond/.test(l))!
      // Customers 0, share 0%, AUM 0.00, then the average: unknown, not 0.00.
      expect(diamond).toMatch(/0\.00\s*│\s*—/)
    }
  })

  it('keeps unknown sums unknown in a breakdown (--by type)', () => {
    const rows = json<{rows: SummaryRecord[]}>(
      crm(['summary', '--scheme', 'retail-aum', '--by', 'type', '--json'], {env}),
    ).rows
    expect(rows.find((r) => r.kind === 'subtotal')).toMatchObject({
      type: 'individual',
      deposits: null,
      deposits_count: 0,
      aum_count: 2,
    })
  })

  it("counts the mass tier's contacts as a number, as every other tier's, with its coverage unknown (issue 19)", () => {
    const rows = json<{rows: SummaryRecord[]}>(crm(['summary', '--scheme', 'retail-aum', '--json'], {env})).rows
    expect(rows.map((r) => typeof r.contacted)).toEqual(rows.map(() => 'number'))
    expect(rows.find((r) => r.tier === 'mass')).toMatchObject({contacted: 1, contact_coverage: null})
    expect(rows.find((r) => r.tier === 'private-banking')).toMatchObject({contacted: 0, contact_coverage: 0})
    const csv = parse(crm(['summary', '--scheme', 'retail-aum', '--format', 'csv'], {env}).stdout, {
      columns: true,
    }) as Record<string, string>[]
    expect(csv.find((r) => r.tier === 'mass')!.contacted).toBe('1')
    expect(csv.every((r) => r.contacted !== '')).toBe(true)
  })
})

describe('a --sum over kept columns', () => {
  const {dir, db, cleanup} = tempDir()
  afterAll(cleanup)

  it('totals number and money extras exactly however large, past what int64 holds in millionths or fen', () => {
    const file = join(dir, 'big.csv')
    writeFileSync(
      file,
      'customer_id,name,type,Amt,Cash\nA1,a,个人,10000000000000,99999999999999999999.99\nA2,b,个人,"9,300,000,000,000.000001",0.01\nA3,c,个人,-0.5,\n',
    )
    const scheme = join(dir, 's3.yaml')
    writeFileSync(
      scheme,
      'name: s3\nversion: 1\ntitle: {zh: t, en: t}\nextras:\n  Amt: number\n  Cash: money\ntiers:\n  - {id: q, label: {zh: Q, en: Q}, rule: Amt > 1}\n  - {id: rest, label: {zh: R, en: R}}\n',
    )
    expect(crm(['customer', 'import', file, '--db', db]).code).toBe(0)
    expect(crm(['classify', '--scheme', scheme, '--db', db]).code).toBe(0)
    const amt = crm(['summary', '--scheme', 's3', '--sum', 'Amt', '--format', 'csv', '--db', db])
    expect(amt.code).toBe(0)
    const rows = parse(amt.stdout, {columns: true}) as Record<string, string>[]
    expect(rows.map((r) => [r.tier, r.sum, r.sum_count])).toEqual([
      ['q', '19300000000000.000001', '2'],
      ['rest', '-0.5', '1'],
      ['', '19299999999999.500001', '3'],
    ])
    const cash = json<{rows: SummaryRecord[]}>(
      crm(['summary', '--scheme', 's3', '--sum', 'Cash', '--json', '--db', db]),
    ).rows
    expect(cash.at(-1)).toMatchObject({kind: 'total', sum: '100000000000000000000.00', sum_count: 2})
  })
})

describe('one time convention', () => {
  const {dir, db, cleanup} = tempDir()
  const env = {CRM_DB: db, TZ: ZONE}
  const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/
  const LOCAL_WITH_ZONE = /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00/
  beforeAll(() => {
    const file = join(dir, 'book.csv')
    writeFileSync(file, 'customer_id,name,type,aum\nC1,张三,individual,100.00\n')
    expect(crm(['customer', 'import', file], {env}).code).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum'], {env}).code).toBe(0)
  })
  afterAll(cleanup)

  /** What the database stored for the latest run: UTC, as ISO ending in Z. */
  const storedRunTime = () =>
    new Database(db, {readonly: true})
      .prepare('SELECT created_at FROM classification_runs ORDER BY id DESC')
      .pluck()
      .get() as string
  /** A stored UTC instant as Shanghai's wall clock, computed here independently of crm. */
  const shanghai = (utc: string) => new Date(Date.parse(utc) + 8 * 3_600_000).toISOString().slice(0, 19)

  it('stores runs in UTC and shows them in local time with the zone: ISO with the offset in JSON', () => {
    const stored = storedRunTime()
    expect(stored).toMatch(/Z$/)
    const runs = json<{created_at: string}[]>(crm(['classify', 'runs', '--json'], {env}))
    expect(runs[0].created_at).toMatch(ISO_WITH_OFFSET)
    expect(runs[0].created_at).toBe(`${shanghai(stored)}+08:00`)
    const table = crm(['classify', 'runs', '--format', 'table'], {env}).stdout
    expect(table).toContain(`${shanghai(stored).replace('T', ' ')} +08:00`)
  })

  it("shows a customer's created and updated times with the zone, and writes them with the offset in JSON", () => {
    const text = crm(['customer', 'show', 'C1'], {env}).stdout
    expect(text).toMatch(new RegExp(`created ${LOCAL_WITH_ZONE.source} · updated ${LOCAL_WITH_ZONE.source}`))
    expect(text).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}Z/)
    const record = json<{created_at: string; updated_at: string}>(crm(['customer', 'show', 'C1', '--json'], {env}))
    expect(record.created_at).toMatch(ISO_WITH_OFFSET)
    expect(record.updated_at).toMatch(ISO_WITH_OFFSET)
  })

  it('shows the last import, run and audit entry in db info with the zone', () => {
    const text = crm(['db', 'info'], {env}).stdout
    for (const label of ['last import', 'last run', 'last audit'])
      expect(text.split('\n').find((l) => l.startsWith(label))).toMatch(LOCAL_WITH_ZONE)
    const info = json<{last_import: {at: string}; last_run: {at: string}; last_audit: {at: string}}>(
      crm(['db', 'info', '--json'], {env}),
    )
    expect([info.last_import.at, info.last_run.at, info.last_audit.at]).toEqual([
      expect.stringMatching(ISO_WITH_OFFSET),
      expect.stringMatching(ISO_WITH_OFFSET),
      expect.stringMatching(ISO_WITH_OFFSET),
    ])
  })

  it("keeps a contact's wall-clock time as logged and records its offset: the machine's, or the one given", () => {
    const here = json<{id: number; at: string; utc_offset: string}>(
      crm(
        [
          'contact',
          'log',
          '--customer',
          'C1',
          '--channel',
          'phone',
          '--purpose',
          'review',
          '--at',
          '2026-11-20 10:00',
          '--json',
        ],
        {env},
      ),
    )
    expect([here.at, here.utc_offset]).toEqual(['2026-11-20T10:00:00', '+08:00'])
    const given = json<{id: number; at: string; utc_offset: string}>(
      crm(
        [
          'contact',
          'log',
          '--customer',
          'C1',
          '--channel',
          'visit',
          '--purpose',
          'review',
          '--at',
          '2026-11-21 09:30+05:30',
          '--json',
        ],
        {env},
      ),
    )
    expect([given.at, given.utc_offset]).toEqual(['2026-11-21T09:30:00', '+05:30'])
    const listed = json<{id: number; at: string; utc_offset: string; logged_at: string}[]>(
      crm(['contact', 'list', '--customer', 'C1', '--json'], {env}),
    )
    expect(listed.map((c) => [c.at, c.utc_offset])).toEqual([
      ['2026-11-21T09:30:00', '+05:30'],
      ['2026-11-20T10:00:00', '+08:00'],
    ])
    expect(listed[0].logged_at).toMatch(ISO_WITH_OFFSET)
  })

  it("records the machine's offset with imported contacts, in the zone crm runs in", () => {
    const file = join(dir, 'contacts.csv')
    writeFileSync(file, 'customer_id,at,channel,direction,purpose\nC1,2026-07-15 09:00,phone,out,service\n')
    expect(crm(['contact', 'import', file], {env: {...env, TZ: 'America/New_York'}}).code).toBe(0)
    const listed = json<{at: string; utc_offset: string}[]>(
      crm(['contact', 'list', '--customer', 'C1', '--json'], {env}),
    )
    // New York keeps daylight saving time in July.
    expect(listed.find((c) => c.at === '2026-07-15T09:00:00')!.utc_offset).toBe('-04:00')
  })

  it('refuses an offset no zone has, as a usage error', () => {
    const result = crm(
      [
        'contact',
        'log',
        '--customer',
        'C1',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--at',
        '2026-11-20 10:00+25:00',
      ],
      {env},
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('not an offset from UTC')
  })
})

describe('the audit log names the OS user', () => {
  const {dir, db, cleanup} = tempDir()
  const env = {CRM_DB: db, TZ: ZONE}
  afterAll(cleanup)

  it('records the OS user beside --actor, and db info shows both', () => {
    const file = join(dir, 'book.csv')
    writeFileSync(file, 'customer_id,name,type,aum\nC1,张三,individual,100.00\n')
    expect(crm(['customer', 'import', file, '--actor', 'someone-else'], {env}).code).toBe(0)
    expect(crm(['classify', '--scheme', 'retail-aum', '--actor', 'someone-else'], {env}).code).toBe(0)
    const entries = new Database(db, {readonly: true}).prepare('SELECT actor, os_user FROM audit_log').all() as {
      actor: string
      os_user: string
    }[]
    const osUser = json<{last_audit: {os_user: string}}>(crm(['db', 'info', '--json'], {env})).last_audit.os_user
    expect(osUser).toBeTruthy()
    expect(osUser).not.toBe('someone-else')
    expect(entries.length).toBeGreaterThan(1)
    expect(entries.every((e) => e.actor === 'someone-else' && e.os_user === osUser)).toBe(true)
    expect(crm(['db', 'info'], {env}).stdout).toMatch(
      new RegExp(`last audit .* classify\\.run by someone-else \\(OS user ${osUser}\\)`),
    )
  })
})
