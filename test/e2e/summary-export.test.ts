import {spawn} from 'node:child_process'
import {closeSync, copyFileSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {displayWidth} from '../../src/core/display-width.js'
import {MIGRATIONS} from '../../src/db/migrations.js'
import {describeBackends} from '../helpers/backends.js'
import {BIN, crm, json, tempDir} from '../helpers/cli.js'
import {importCustomers} from '../helpers/pg-seed.js'

const AS_OF = '2026-11-28'
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const book = join(dir, 'book.csv')

/** Yuan text to fen, by digits alone: the independent sum the test checks crm against. */
const fen = (text: string) => {
  if (text === '') return 0n
  const [whole, frac = ''] = text.replaceAll(',', '').split('.')
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'))
}
const yuan = (f: bigint) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>)

beforeAll(async () => {
  await generateCustomers({rows: 1200, seed: 5, out: book, headers: 'en'})
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
})
afterAll(cleanup)

describeBackends('summary', (backend) => {
  const own = backend.book()
  const env = {CRM_DB: own.db}
  beforeAll(() => {
    expect(importCustomers(own, book).code).toBe(0)
  })
  afterAll(own.cleanup)

  describe('crm summary', () => {
    it('adds up each tier exactly to the sums of the file', () => {
      const run = json<{run: number}>(crm(['classify', '-s', 'retail-aum', '--as-of', AS_OF, '--json'], {env})).run
      const tierOf = new Map(
        ndjson(crm(['classify', 'show', String(run), '--format', 'ndjson'], {env}).stdout).map((r) => [
          r.customer_id,
          r.tier,
        ]),
      )
      const rows = parse(readFileSync(book), {columns: true}) as Record<string, string>[]
      const expected = new Map<string, {customers: number; aum: bigint; deposits: bigint; loans: bigint}>()
      for (const r of rows) {
        const tier = tierOf.get(r.customer_id)
        if (tier === undefined) continue
        const t = expected.get(tier) ?? {customers: 0, aum: 0n, deposits: 0n, loans: 0n}
        expected.set(tier, {
          customers: t.customers + 1,
          aum: t.aum + fen(r.aum),
          deposits: t.deposits + fen(r.deposits),
          loans: t.loans + fen(r.loans),
        })
      }
      const summary = json<{
        rows: {
          kind: string
          tier: string
          customers: number
          aum: string
          deposits: string
          loans: string
          aum_average: string
        }[]
      }>(crm(['summary', '--scheme', 'retail-aum', '--json'], {env}))
      const tiers = summary.rows.filter((r) => r.kind === 'tier')
      expect(tiers.map((r) => r.tier)).toEqual(['private-banking', 'diamond', 'wealth', 'gold', 'mass'])
      for (const r of tiers) {
        const e = expected.get(r.tier) ?? {customers: 0, aum: 0n, deposits: 0n, loans: 0n}
        expect({customers: r.customers, aum: r.aum, deposits: r.deposits, loans: r.loans}).toEqual({
          customers: e.customers,
          aum: yuan(e.aum),
          deposits: yuan(e.deposits),
          loans: yuan(e.loans),
        })
      }
      const total = summary.rows.at(-1)!
      const all = [...expected.values()].reduce((a, b) => ({
        customers: a.customers + b.customers,
        aum: a.aum + b.aum,
        deposits: a.deposits + b.deposits,
        loans: a.loans + b.loans,
      }))
      expect({customers: total.customers, aum: total.aum}).toEqual({customers: all.customers, aum: yuan(all.aum)})
    })

    it('prints raw numbers in CSV and separators and bars in a table', () => {
      const csv = crm(['summary', '-s', 'retail-aum', '--format', 'csv'], {env}).stdout
      expect(csv.split('\n')[0]).toBe(
        'kind,tier,tier_label,customers,customer_share,aum,aum_average,deposits,loans,aum_share,contacted,contact_coverage,aum_count,deposits_count,loans_count',
      )
      expect(csv).not.toMatch(/█|\d,\d{3}\.\d\d/)
      const table = crm(['summary', '-s', 'retail-aum', '--format', 'table', '--lang', 'zh'], {env}).stdout
      expect(table).toMatch(/私人银行/)
      expect(table).toMatch(/█/)
      expect(table).toMatch(/\d{1,3},\d{3},\d{3}\.\d\d/)
      expect(table).toMatch(/合计/)
    })

    it('stores no run of an empty portfolio (exit 3), and shows every tier of the scheme', () => {
      expect(crm(['classify', '-s', 'abc', '--where', 'aum > 1亿', '--as-of', AS_OF, '--json'], {env}).code).toBe(3)
      json(crm(['classify', '-s', 'abc', '--as-of', AS_OF, '--json'], {env}))
      const rows = json<{rows: {tier: string}[]}>(crm(['summary', '-s', 'abc', '--json'], {env})).rows
      expect(rows.map((r) => r.tier)).toEqual(['unscored', 'A', 'B', 'C', ''])
    })

    it('breaks down by branch and lists the largest customers of each tier, masked', () => {
      const result = json<{rows: {kind: string; branch: string | null}[]; top: {tier: string; name: string}[]}>(
        crm(['summary', '-s', 'retail-aum', '--by', 'branch', '--top', '2', '--json'], {env}),
      )
      expect(result.rows.filter((r) => r.kind === 'subtotal').length).toBeGreaterThan(3)
      expect(result.top.filter((t) => t.tier === 'gold')).toHaveLength(2)
      expect(result.top.every((t) => t.name.includes('*'))).toBe(true)
    })

    it('lists the --top customers in the tier order of the scheme, not by tier id', () => {
      const result = json<{top: {tier: string}[]}>(crm(['summary', '-s', 'retail-aum', '--top', '1', '--json'], {env}))
      const order = ['private-banking', 'diamond', 'wealth', 'gold', 'mass']
      const tiers = result.top.map((t) => t.tier)
      expect(tiers).toEqual(order.filter((t) => tiers.includes(t)))
      expect(tiers).toContain('diamond')
      expect(tiers).toContain('private-banking')
    })

    it('gives the --top customers in CSV and TSV too, as records of kind top under the same header', () => {
      const csv = parse(crm(['summary', '-s', 'retail-aum', '--top', '2', '--format', 'csv'], {env}).stdout, {
        columns: true,
      }) as Record<string, string>[]
      const top = csv.filter((r) => r.kind === 'top')
      const tiers = csv.filter((r) => r.kind === 'tier')
      expect(top).toHaveLength(tiers.reduce((sum, t) => sum + Math.min(2, Number(t.customers)), 0))
      expect(top[0]).toMatchObject({tier: 'private-banking', tier_label: 'Private banking', customers: ''})
      expect(
        top.every(
          (r) => /^C\d+$/.test(r.customer_id) && r.name.includes('*') && /^\d+\.\d\d$/.test(r.aum) && r.branch !== '',
        ),
      ).toBe(true)
      expect(tiers.every((r) => r.customer_id === '' && r.name === '')).toBe(true)
      const viaJson = json<{top: {customer_id: string}[]}>(
        crm(['summary', '-s', 'retail-aum', '--top', '2', '--json'], {env}),
      ).top
      expect(top.map((r) => r.customer_id)).toEqual(viaJson.map((t) => t.customer_id))
      const tsv = crm(['summary', '-s', 'retail-aum', '--top', '2', '--format', 'tsv'], {env})
        .stdout.trim()
        .split('\n')
        .map((line) => line.split('\t'))
      expect(tsv.filter((cells) => cells[0] === 'top')).toHaveLength(top.length)
      expect(new Set(tsv.map((cells) => cells.length)).size).toBe(1)
    })

    it('lines up the --top table by terminal columns, with Chinese names and branches', () => {
      const text = crm(['summary', '-s', 'retail-aum', '--top', '3', '--format', 'table', '--reveal'], {env}).stdout
      const lines = text.split('\n').filter((line) => /^ {2}C\d+ {2}/.test(line))
      expect(lines.length).toBeGreaterThan(6)
      expect(lines.some((line) => /[\u4e00-\u9fff]{3}/.test(line.split('  ')[2]))).toBe(true)
      // Each line ends in the same column (amounts right-aligned), and each branch starts in the same column.
      expect(new Set(lines.map(displayWidth)).size).toBe(1)
      expect(new Set(lines.map((line) => displayWidth(line.slice(0, line.search(/[\u4e00-\u9fff]+分行/))))).size).toBe(
        1,
      )
    })

    it('needs a scheme when several have runs', () => {
      const result = crm(['summary'], {env})
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('choose one')
    })
  })

  describe('crm summary --compare', () => {
    it('counts the migration between two hand-built runs, with new and gone customers and the movers', () => {
      const small = backend.book()
      const e = {CRM_DB: small.db}
      const file = join(small.dir, 'six.csv')
      writeFileSync(
        file,
        'customer_id,name,type,aum\nC1,甲,individual,7000000\nC2,乙,individual,600000\nC3,丙,individual,60000\nC4,丁,individual,100\nC5,戊,individual,100\n',
      )
      importCustomers(small, file)
      const a = json<{run: number}>(
        crm(['classify', '-s', 'retail-aum', '--where', "customer_id != 'C6'", '--json'], {env: e}),
      ).run
      writeFileSync(
        file,
        'customer_id,name,type,aum\nC1,甲,individual,100\nC3,丙,individual,600000\nC6,己,individual,70000\n',
      )
      importCustomers(small, file)
      const b = json<{run: number}>(
        crm(['classify', '-s', 'retail-aum', '--where', "customer_id != 'C5'", '--json'], {env: e}),
      ).run
      const m = json<{
        up: number
        down: number
        unchanged: number
        new: number
        gone: number
        matrix: {from: string | null; to: string | null; customers: number}[]
        movers: {customer_id: string; from: string; to: string; direction: string}[]
      }>(crm(['summary', '--compare', String(a), String(b), '--movers', '--json'], {env: e}))
      expect({up: m.up, down: m.down, unchanged: m.unchanged, new: m.new, gone: m.gone}).toEqual({
        up: 1,
        down: 1,
        unchanged: 2,
        new: 1,
        gone: 1,
      })
      expect(m.matrix).toContainEqual({from: 'private-banking', to: 'mass', customers: 1})
      expect(m.matrix).toContainEqual({from: null, to: 'gold', customers: 1})
      expect(m.matrix).toContainEqual({from: 'mass', to: null, customers: 1})
      expect(m.movers).toEqual([
        {customer_id: 'C1', name: '甲', from: 'private-banking', to: 'mass', direction: 'down'},
        {customer_id: 'C3', name: '丙', from: 'gold', to: 'wealth', direction: 'up'},
      ])
      const text = crm(['summary', '--compare', String(a), String(b), '--format', 'table'], {env: e}).stdout
      expect(text).toContain('up 1 · down 1 · unchanged 2 · new 1 · gone 1')
      small.cleanup()
    })

    it('refuses runs of different schemes', () => {
      const runs = json<{id: number; scheme: string}[]>(crm(['classify', 'runs', '--json'], {env}))
      const a = runs.find((r) => r.scheme === 'retail-aum')!
      const b = runs.find((r) => r.scheme === 'abc')!
      const result = crm(['summary', '--compare', String(a.id), String(b.id)], {env})
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('only runs of the same scheme can be compared')
    })
  })
})

describe('exports', () => {
  const hostile = join(dir, 'hostile.csv')
  beforeAll(() => {
    writeFileSync(
      hostile,
      'customer_id,name,type,contribution,phone,id_number,branch\nX1,=HYPERLINK("http://evil"),individual,-12.50,13912345678,11010519491231002X,+branch\nX2,@SUM(A1),corporate,100,,,-5\n',
    )
    expect(crm(['customer', 'import', hostile], {env}).code).toBe(0)
    // The run the export below writes out (the summary tests classify books of their own, one per backend).
    expect(crm(['classify', '-s', 'retail-aum', '--as-of', AS_OF], {env}).code).toBe(0)
  })

  it('neutralises cells a spreadsheet would run as formulas, keeps numbers numbers, and masks personal data', () => {
    const out = join(dir, 'x.csv')
    expect(crm(['customer', 'export', '--search', 'X', '--output', out], {env}).code).toBe(0)
    const bytes = readFileSync(out)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(bytes.subarray(3), {columns: true}) as Record<string, string>[]
    const x1 = rows.find((r) => r.customer_id === 'X1')!
    expect(x1.name).toBe('\'=HYPERLINK("http://evil")')
    expect(x1.branch).toBe("'+branch")
    expect(x1.contribution).toBe('-12.50')
    expect(x1.phone).toBe('139****5678')
    expect(x1.id_number).toBe('110105********002X')
    const x2 = rows.find((r) => r.customer_id === 'X2')!
    expect([x2.name, x2.branch]).toEqual(["'@SUM(A1)", '-5'])
    expect(statSync(out).mode & 0o777).toBe(0o600)
  })

  it('reveals with --reveal and records it in the audit log; writes GBK when asked', () => {
    const out = join(dir, 'gbk.csv')
    expect(
      crm(['customer', 'export', '--search', 'X1', '--reveal', '--encoding', 'gbk', '--output', out], {env}).code,
    ).toBe(0)
    const text = iconv.decode(readFileSync(out), 'gb18030')
    expect(text).toContain('13912345678')
    const audit = new Database(db, {readonly: true})
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'customer.export.reveal'")
      .pluck()
      .get()
    expect(audit).toBe(1)
    const withChinese = join(dir, 'zh.csv')
    expect(crm(['customer', 'export', '--encoding', 'gbk', '--output', withChinese], {env}).code).toBe(0)
    expect(iconv.decode(readFileSync(withChinese), 'gb18030')).toMatch(/[\u4e00-\u9fff]/)
  })

  it('exports contacts and a run as JSON and NDJSON', () => {
    crm(
      [
        'contact',
        'log',
        '--customer',
        'X1',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--note',
        '=1+1 "quoted"\nline',
        '--at',
        '2026-11-01 10:00',
      ],
      {env},
    )
    crm(
      [
        'contact',
        'log',
        '--customer',
        'X1',
        '--channel',
        'phone',
        '--purpose',
        'service',
        '--note',
        '\tcmd',
        '--at',
        '2026-11-02 10:00',
      ],
      {env},
    )
    const contacts = JSON.parse(crm(['contact', 'export', '--customer', 'X1', '--format', 'json'], {env}).stdout) as {
      notes: string
    }[]
    expect(contacts.map((c) => c.notes)).toEqual(['\tcmd', '=1+1 "quoted"\nline'])
    const csv = crm(['contact', 'export', '--customer', 'X1'], {env}).stdout
    expect(csv).toContain('"\'=1+1 ""quoted""\nline"')
    expect(csv).toContain(",'\tcmd,")
    const run = json<{id: number; scheme: string}[]>(crm(['classify', 'runs', '--json'], {env})).find(
      (r) => r.scheme === 'retail-aum',
    )!
    const out = join(dir, 'run.ndjson')
    expect(crm(['classify', 'show', String(run.id), '--output', out, '--format', 'ndjson'], {env}).code).toBe(0)
    const lines = ndjson(readFileSync(out, 'utf8'))
    expect(lines.length).toBeGreaterThan(500)
    expect(Object.keys(lines[0])).toEqual(['customer_id', 'name', 'branch', 'rm', 'tier', 'tier_label', 'reason'])
  })
})

describe('crm db', () => {
  it('says what the database holds', () => {
    const info = json<{schema_version: number; counts: {customers: number}; last_run: {scheme: string} | null}>(
      crm(['db', 'info', '--json'], {env}),
    )
    expect(info.schema_version).toBe(MIGRATIONS.at(-1)!.version)
    expect(info.counts.customers).toBe(1202)
    expect(info.last_run).not.toBeNull()
  })

  it('backs up a consistent copy while an import writes in another process', async () => {
    const big = join(dir, 'big.csv')
    await generateCustomers({rows: 150_000, seed: 3, out: big, headers: 'en', start: 5_000_000})
    const lines = readFileSync(big, 'utf8').split('\r\n')
    // The import reads a pipe that this test feeds: the first 60,000 rows now, the rest after the backup, so the
    // backup is taken part-way through the import however fast or slow the machine is.
    const importing = spawn(process.execPath, [BIN, 'customer', 'import', '-', '--json'], {
      cwd: dir,
      env: {...process.env, ...env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const finished = new Promise<number>((resolve) => importing.on('exit', (code) => resolve(code ?? -1)))
    importing.stdin.write(`${lines.slice(0, 60_001).join('\r\n')}\r\n`)
    const probe = new Database(db, {readonly: true})
    const count = () => probe.prepare('SELECT count(*) FROM customers').pluck().get() as number
    // The first commit comes at 50,000 rows; then, waiting for more input, the import commits what it holds.
    while (count() < 1202 + 50_000) await new Promise((r) => setTimeout(r, 50))
    const backup = join(dir, 'backup.db')
    const result = crm(['db', 'backup', backup], {env})
    expect(result.code, result.stderr).toBe(0)
    importing.stdin.end(lines.slice(60_001).join('\r\n'))
    expect(await finished).toBe(0)
    probe.close()
    expect(crm(['db', 'check', '--db', backup]).code).toBe(0)
    const copy = new Database(backup, {readonly: true})
    const copied = copy.prepare('SELECT count(*) FROM customers').pluck().get() as number
    // One moment's state: every customer the copy holds is counted by a batch it holds, and no more.
    const counted = copy.prepare('SELECT sum(inserted) FROM import_batches').pluck().get() as number
    copy.close()
    expect(copied).toBeGreaterThanOrEqual(1202 + 50_000)
    expect(copied).toBeLessThanOrEqual(1202 + 60_000)
    expect(copied).toBe(counted)
    expect(statSync(backup).mode & 0o777).toBe(0o600)
    expect(crm(['db', 'backup', backup], {env}).code).toBe(2)
  }, 120_000)

  it('fails its check with exit 3 on a damaged file', () => {
    const damaged = join(dir, 'damaged.db')
    copyFileSync(join(dir, 'backup.db'), damaged)
    const fd = openSync(damaged, 'r+')
    const size = statSync(damaged).size
    for (let at = 16384 * 3; at < size; at += 16384 * 7) writeSync(fd, Buffer.alloc(512, 0x5a), 0, 512, at + 100)
    closeSync(fd)
    const result = crm(['db', 'check', '--db', damaged])
    expect(result.code).toBe(3)
    expect(result.stderr).not.toContain('    at ')
    expect(existsSync(damaged)).toBe(true)
    // The file is damaged, and the hint says how to put a backup in its place; no talk of a lock.
    expect(result.stderr).toContain(`Error: ${damaged} is damaged`)
    expect(result.stderr).toContain(
      `restore a backup (crm db backup makes them) with: crm db restore BACKUP --db ${damaged} (it keeps the damaged file beside it)`,
    )
    expect(result.stderr).not.toContain('lock')
  })

  it('says the file is damaged, with how to restore a backup, when its first page is damaged', () => {
    const damaged = join(dir, 'damaged-header.db')
    copyFileSync(join(dir, 'backup.db'), damaged)
    const fd = openSync(damaged, 'r+')
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0)
    closeSync(fd)
    const result = crm(['db', 'check', '--db', damaged])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('first page is damaged')
    expect(result.stderr).toContain(
      `restore a backup (crm db backup makes them) with: crm db restore BACKUP --db ${damaged}`,
    )
    expect(result.stderr).not.toContain('lock')
  })

  it('keeps the write-lock hint for a database another process really holds locked', () => {
    const locked = join(dir, 'locked.db')
    copyFileSync(join(dir, 'backup.db'), locked)
    const holder = new Database(locked)
    try {
      // A rollback journal and an exclusive transaction keep every reader out until crm's busy timeout gives up.
      holder.pragma('journal_mode = DELETE')
      holder.exec('BEGIN EXCLUSIVE')
      holder.exec('UPDATE customers SET name = name')
      const result = crm(['db', 'check', '--db', locked])
      expect(result.code).toBe(3)
      expect(result.stderr).toContain('another crm holds its write lock (SQLITE_BUSY)')
      expect(result.stderr).not.toContain('damaged')
    } finally {
      holder.close()
    }
  }, 60_000)
})
