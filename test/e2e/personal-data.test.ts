import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {residentIdCheckChar} from '../../src/core/identifiers.js'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Personal data (ID numbers, phones, e-mail, birth dates) is masked in every output unless --reveal, which is audited.

const temp = tempDir()
const env = {CRM_DB: temp.db}
const AS_OF = '2026-11-28'
const ID = '11010519491231002X'
const PHONE = '13800138000'
const EMAIL = 'zhang.san@bank.com'
const BORN = '1949-12-31'
const SECRETS = [ID, PHONE, EMAIL, BORN]
const book = join(temp.dir, 'book.csv')
const scheme = join(temp.dir, 'personal.yaml')

/** A scheme whose rules read every personal field, so reasons hold their values. */
const PERSONAL_SCHEME = `name: personal
version: 1
tiers:
  - id: known
    label: {zh: 已知, en: Known}
    rule: id_number != 'x' and phone != '1' and email != 'x@y.cn' and birth_date > '1900-01-01'
  - id: elder
    label: {zh: 长者, en: Elder}
    rule: age(birth_date) >= 60
  - id: rest
    label: {zh: 其他, en: Rest}
`

const audits = (action: string) => {
  const db = new Database(temp.db, {readonly: true})
  try {
    return (
      db.prepare('SELECT rows, details FROM audit_log WHERE action = ? ORDER BY id').all(action) as {
        rows: number
        details: string
      }[]
    ).map((r) => ({rows: r.rows, ...(JSON.parse(r.details) as Record<string, unknown>)}))
  } finally {
    db.close()
  }
}

const expectMasked = (text: string) => {
  for (const secret of SECRETS) expect(text).not.toContain(secret)
}

beforeAll(() => {
  writeFileSync(
    book,
    [
      'customer_id,name,type,id_number,phone,email,birth_date,aum',
      `C1,张三,individual,${ID},${PHONE},${EMAIL},${BORN},800000`,
      'C2,李四,individual,110101199003074477,13912345678,li@bank.com,1990-03-07,1000',
      'C3,王五,individual,,,,,5',
      'C4,赵六,individual,,,,1950-06-15,10',
    ].join('\n'),
  )
  writeFileSync(scheme, PERSONAL_SCHEME)
  expect(crm(['customer', 'import', book], {env}).code).toBe(0)
  expect(crm(['classify', '--scheme', scheme, '--as-of', AS_OF, '--reveal'], {env}).code).toBe(0)
})
afterAll(temp.cleanup)

describe('birth dates', () => {
  it.each([
    ['customer list (tsv)', ['customer', 'list']],
    ['customer list --format csv', ['customer', 'list', '--format', 'csv']],
    ['customer list --json', ['customer', 'list', '--json']],
    ['customer show', ['customer', 'show', 'C1']],
    ['customer show --json', ['customer', 'show', 'C1', '--json']],
    ['customer export', ['customer', 'export']],
    ['customer export --format ndjson', ['customer', 'export', '--format', 'ndjson']],
  ])('are masked to the year in %s, as the other personal fields are', (_, args) => {
    const result = crm(args, {env})
    expect(result.code).toBe(0)
    expectMasked(result.stdout)
    expect(result.stdout).toContain('1949-**-**')
  })

  it('are shown whole with --reveal', () => {
    const shown = json<Record<string, unknown>>(crm(['customer', 'show', 'C1', '--json', '--reveal'], {env}))
    expect(shown).toMatchObject({id_number: ID, phone: PHONE, email: EMAIL, birth_date: BORN})
  })
})

describe('reasons', () => {
  const run = () => json<{id: number}[]>(crm(['classify', 'runs', '--json'], {env}))[0].id

  it('store the values, yet every output of classify show masks them: table, csv, tsv, json, ndjson, --output', () => {
    const id = String(run())
    for (const format of ['table', 'csv', 'tsv', 'json', 'ndjson']) {
      const result = crm(['classify', 'show', id, '--format', format], {env})
      expect(result.code).toBe(0)
      expectMasked(result.stdout)
      expect(result.stdout).toContain('110105********002X')
      expect(result.stdout).toContain('1949-**-**')
    }
    const shown = json<{results: {customer_id: string; reason: string}[]}>(
      crm(['classify', 'show', id, '--json'], {env}),
    )
    expect(shown.results.find((r) => r.customer_id === 'C1')!.reason).toBe(
      "id_number '110105********002X' != '*'; phone '138****8000' != '*'; email 'z********@bank.com' != 'x*@y.cn'; birth_date 1949-**-** > '1900-**-**'",
    )
    for (const format of ['csv', 'json', 'ndjson']) {
      const file = join(temp.dir, `run.${format}`)
      expect(crm(['classify', 'show', id, '--output', file, '--format', format, '--force'], {env}).code).toBe(0)
      expectMasked(readFileSync(file, 'utf8'))
    }
  })

  it('hide a value computed from personal data (age(birth_date)) whole', () => {
    const shown = json<{results: {customer_id: string; reason: string}[]}>(
      crm(['classify', 'show', String(run()), '--json'], {env}),
    )
    expect(shown.results.find((r) => r.customer_id === 'C4')!.reason).toBe('age(birth_date) *** >= 60')
    const revealed = json<{results: {customer_id: string; reason: string}[]}>(
      crm(['classify', 'show', String(run()), '--json', '--reveal'], {env}),
    )
    expect(revealed.results.find((r) => r.customer_id === 'C4')!.reason).toBe('age(birth_date) 76 >= 60')
  })

  it('are masked in customer show and classify explain, text and JSON', () => {
    for (const args of [
      ['customer', 'show', 'C1'],
      ['customer', 'show', 'C1', '--json'],
      ['classify', 'explain', 'C1'],
      ['classify', 'explain', 'C1', '--json'],
    ]) {
      const result = crm(args, {env})
      expect(result.code).toBe(0)
      expectMasked(result.stdout)
      expect(result.stdout).toContain("id_number '110105********002X'")
    }
  })

  it('are shown whole with --reveal, which the audit log records with the rows shown', () => {
    const id = run()
    const before = audits('classify.show.reveal').length
    const shown = crm(['classify', 'show', String(id), '--format', 'csv', '--reveal'], {env})
    expect(shown.stdout).toContain(`id_number '${ID}'`)
    const file = join(temp.dir, 'revealed.csv')
    expect(crm(['classify', 'show', String(id), '--output', file, '--reveal', '--force'], {env}).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain(`birth_date ${BORN}`)
    expect(audits('classify.show.reveal').slice(before)).toEqual([
      {rows: 4, run: id, tier: null, status: 'complete'},
      {rows: 4, run: id, tier: null, output: file, status: 'complete'},
    ])
    expect(
      json<{reason: string}[]>(crm(['classify', 'explain', 'C1', '--json', '--reveal'], {env}))[0].reason,
    ).toContain(`email '${EMAIL}'`)
    expect(audits('classify.explain.reveal').at(-1)).toMatchObject({rows: 1, customer_id: 'C1', status: 'complete'})
    expect(
      json<{tiers: {reason: string}[]}>(crm(['customer', 'show', 'C1', '--json', '--reveal'], {env})).tiers[0].reason,
    ).toContain(`phone '${PHONE}'`)
  })

  it('stored by an earlier crm, unmarked, are masked all the same', () => {
    const db = new Database(temp.db)
    const ref = db.prepare("SELECT rowid FROM customers WHERE customer_id = 'C1'").pluck().get()
    db.prepare('UPDATE classification_results SET reason = ? WHERE customer_ref = ?').run(
      `id_number '${ID}' != 'x'; phone '${PHONE}' != '1'; email '${EMAIL}' != 'x@y.cn'; birth_date ${BORN} > '1900-01-01'`,
      ref,
    )
    db.close()
    for (const args of [
      ['classify', 'show', String(run()), '--format', 'csv'],
      ['customer', 'show', 'C1', '--json'],
    ])
      expectMasked(crm(args, {env}).stdout)
  })
})

describe('rules that read personal data', () => {
  it.each([
    [
      'a --where on id_number, even a dry run',
      ['classify', '--scheme', 'retail-aum', '--where', "starts_with(id_number, '11010519491231')", '--dry-run'],
      'id_number',
    ],
    ['a scheme file on birth_date', ['classify', '--scheme', 'SCHEME', '--dry-run'], 'birth_date'],
    ['classify check with such a scheme', ['classify', 'check', 'BOOK', '--scheme', 'SCHEME'], 'phone'],
    ['classify explain with such a scheme', ['classify', 'explain', 'C1', '--scheme', 'SCHEME'], 'email'],
  ])('are refused without --reveal: %s (exit 2, naming the field)', (_, args, field) => {
    const result = crm(
      args.map((a) => (a === 'SCHEME' ? scheme : a === 'BOOK' ? book : a)),
      {env},
    )
    expectHandled(result, 2)
    expect(result.stderr).toContain(field)
    expect(result.stderr).toContain('--reveal')
    expect(result.stdout).toBe('')
  })

  it('run with --reveal, and a dry run is audited with the customers it counted', () => {
    const before = audits('classify.reveal').length
    const dry = json<{customers: number; run: number | null}>(
      crm(
        [
          'classify',
          '--scheme',
          'retail-aum',
          '--where',
          "starts_with(id_number, '110105')",
          '--dry-run',
          '--reveal',
          '--json',
          '--actor',
          'auditor',
        ],
        {env},
      ),
    )
    expect(dry).toMatchObject({customers: 1, run: null})
    expect(audits('classify.reveal').slice(before)).toEqual([
      {
        rows: 1,
        scheme: 'retail-aum',
        filter: {where: "starts_with(id_number, '110105')"},
        dry_run: true,
        status: 'complete',
      },
    ])
  })

  it('need no --reveal when they read none (the built-in schemes)', () => {
    expect(
      crm(['classify', '--scheme', 'retail-aum', '--where', "aum > 0 and name != 'x'", '--dry-run', '--as-of', AS_OF], {
        env,
      }).code,
    ).toBe(0)
  })
})

describe('classify check', () => {
  const check = (...more: string[]) =>
    crm(['classify', 'check', book, '--scheme', 'retail-aum', '--as-of', AS_OF, ...more], {env})

  it.each(['tsv', 'csv', 'json', 'ndjson'])('masks the personal columns of its input in --format %s', (format) => {
    const result = check('--format', format)
    expect(result.code).toBe(0)
    expectMasked(result.stdout)
    for (const masked of ['110105********002X', '138****8000', 'z********@bank.com', '1949-**-**'])
      expect(result.stdout).toContain(masked)
  })

  it('masks them under --json, and in the reasons of a scheme that reads them (with --reveal only the rule runs)', () => {
    expectMasked(check('--json').stdout)
    const rows = json<{rows: Record<string, string>[]}>(
      crm(['classify', 'check', book, '--scheme', scheme, '--as-of', AS_OF, '--json', '--reveal'], {env}),
    ).rows
    expect(rows[0]).toMatchObject({id_number: ID, phone: PHONE, email: EMAIL, birth_date: BORN})
    expect(rows[0].reason).toContain(`id_number '${ID}'`)
  })

  it('prints the input as read with --reveal, and its help says what is masked and that no audit log is kept', () => {
    const result = check('--format', 'csv', '--reveal')
    for (const secret of SECRETS) expect(result.stdout).toContain(secret)
    const help = crm(['classify', 'check', '--help'], {env}).stdout.replace(/\s+/g, ' ')
    expect(help).toContain('Personal data is masked in every format')
    expect(help).toContain('not recorded in an audit log')
  })
})

describe('reject reasons', () => {
  const bad = join(temp.dir, 'bad.csv')
  beforeAll(() =>
    writeFileSync(
      bad,
      [
        'customer_id,name,type,id_number,phone,email,birth_date',
        'R1,甲,individual,110105194902300021,13800138000,,1949-02-30',
        'R2,乙,individual,,1.38001E+10,zhao@@bank.com,32000',
        'R3,丙,individual,,+86 139 1234 567x,,19491231x',
      ].join('\n'),
    ),
  )

  const secrets = ['19490230', '1949-02-30', '1.38001E+10', 'zhao@@bank.com', '32000', '19491231', '1391234567']

  it('mask the invalid birth date, phone, e-mail and ID on the console and in --json', () => {
    const text = crm(['customer', 'import', bad, '--dry-run'], {env})
    const report = json<{reject_examples: {reason: string}[]}>(
      crm(['customer', 'import', bad, '--dry-run', '--json'], {env}),
    )
    expect(text.code).toBe(3)
    for (const secret of secrets) {
      expect(text.stdout + text.stderr).not.toContain(secret)
      expect(JSON.stringify(report)).not.toContain(secret)
    }
    expect(report.reject_examples.map((r) => r.reason).join('\n')).toContain('1949-**-** is not a date')
  })

  it("mask them in the reject file's reason, which keeps the row as it was (0600)", () => {
    const rejects = join(temp.dir, 'bad.rejects.csv')
    crm(['customer', 'import', bad, '--dry-run', '--rejects', rejects], {env})
    const lines = readFileSync(rejects, 'utf8').split(/\r?\n/)
    const r1 = lines.find((l) => l.includes('R1,'))!
    expect(r1.slice(0, r1.indexOf('R1,'))).not.toContain('1949-02-30')
    expect(r1).toContain(',1949-02-30')
    expect(r1).toContain(',110105194902300021,')
  })
})

describe('a literal in a rule that stands for personal data', () => {
  it("is masked as the field it is compared with, in reasons and explanations, unless --reveal (phone = '1391…', through a defined name too)", () => {
    const own = tempDir()
    try {
      const e = {CRM_DB: own.db}
      writeFileSync(
        join(own.dir, 'book.csv'),
        [
          'customer_id,name,type,phone,aum',
          'C1,张三,individual,13800138000,1',
          'C2,李四,individual,13912345678,1',
        ].join('\n'),
      )
      writeFileSync(
        join(own.dir, 'p1.yaml'),
        `name: p1
version: 1
define:
  mobile: phone
tiers:
  - id: watched
    label: {zh: 关注, en: Watched}
    rule: mobile = '13912345678'
  - id: vip
    label: {zh: 贵宾, en: VIP}
    rule: phone in ('13800138000', '13700000000')
  - id: rest
    label: {zh: 其他, en: Rest}
`,
      )
      expect(crm(['customer', 'import', join(own.dir, 'book.csv')], {env: e}).code).toBe(0)
      const run = json<{run: number}>(
        crm(['classify', '--scheme', join(own.dir, 'p1.yaml'), '--as-of', AS_OF, '--reveal', '--json'], {env: e}),
      ).run
      const secrets = ['13912345678', '13800138000', '13700000000']
      const shown = crm(['classify', 'show', String(run), '--format', 'csv'], {env: e})
      expect(shown.code).toBe(0)
      for (const secret of secrets) expect(shown.stdout).not.toContain(secret)
      expect(shown.stdout).toContain("mobile '139****5678' = '139****5678'")
      expect(shown.stdout).toContain("phone '138****8000' in ('138****8000', '137****0000')")
      for (const customer of ['C1', 'C2']) {
        const explained = crm(['classify', 'explain', customer], {env: e})
        expect(explained.code).toBe(0)
        for (const secret of secrets) expect(explained.stdout).not.toContain(secret)
      }
      // What would move C1 up names the phone the rule is looking for: masked too.
      expect(crm(['classify', 'explain', 'C1'], {env: e}).stdout).toContain("mobile would have to be = '139****5678'")
      expect(crm(['classify', 'show', String(run), '--format', 'csv', '--reveal'], {env: e}).stdout).toContain(
        "mobile '13912345678' = '13912345678'",
      )
    } finally {
      own.cleanup()
    }
  })
})

describe('the audit log of --reveal', () => {
  it('records the rows customer export, list and show revealed', () => {
    crm(['customer', 'export', '--reveal', '--output', join(temp.dir, 'all.csv')], {env})
    crm(['customer', 'list', '--reveal', '--type', 'individual'], {env})
    crm(['customer', 'show', 'C2', '--reveal'], {env})
    expect(audits('customer.export.reveal').at(-1)).toMatchObject({rows: 4, status: 'complete'})
    expect(audits('customer.reveal').slice(-2)).toEqual([
      {rows: 4, filter: {type: 'individual'}, status: 'complete'},
      {rows: 1, customer_id: 'C2', status: 'complete'},
    ])
  })

  it('leaves an honest record when the reader goes away part-way: interrupted, with the rows handed out', async () => {
    const big = tempDir()
    try {
      const rows = Array.from(
        {length: 4000},
        (_, i) => `B${i},名${i},individual,,138${String(i).padStart(8, '0')},,1980-01-01,${i}`,
      )
      writeFileSync(
        join(big.dir, 'big.csv'),
        ['customer_id,name,type,id_number,phone,email,birth_date,aum', ...rows].join('\n'),
      )
      expect(crm(['customer', 'import', join(big.dir, 'big.csv'), '--db', big.db]).code).toBe(0)
      // Far more than a pipe holds: crm is still writing when the reader closes its end after the first chunk.
      const child = spawn(
        process.execPath,
        [BIN, 'customer', 'export', '--reveal', '--db', big.db, '--format', 'ndjson'],
        {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']},
      )
      const code = await new Promise<number>((resolve) => {
        child.stdout.once('data', () => child.stdout.destroy())
        child.once('close', (c) => resolve(c ?? -1))
      })
      expect(code).toBe(141)
      const db = new Database(big.db, {readonly: true})
      const row = db.prepare("SELECT rows, details FROM audit_log WHERE action = 'customer.export.reveal'").get() as {
        rows: number
        details: string
      }
      db.close()
      // The rows handed to the writer by then: at least what the reader got, not all of them.
      expect(JSON.parse(row.details).status).toBe('interrupted')
      expect(row.rows).toBeGreaterThan(0)
      expect(row.rows).toBeLessThan(4000)
    } finally {
      big.cleanup()
    }
  })

  it.each([
    ['SIGINT', 'customer list', 'customer.reveal'],
    ['SIGTERM', 'classify show 1', 'classify.show.reveal'],
  ] as const)(
    'leaves an honest record when stopped by %s part-way (crm %s): interrupted, with the rows handed out',
    async (signal, command, action) => {
      const big = tempDir()
      try {
        const rows = Array.from(
          {length: 20_000},
          (_, i) => `B${i},名${i},individual,,138${String(i).padStart(8, '0')},,1980-01-01,${i}`,
        )
        writeFileSync(
          join(big.dir, 'big.csv'),
          ['customer_id,name,type,id_number,phone,email,birth_date,aum', ...rows].join('\n'),
        )
        expect(crm(['customer', 'import', join(big.dir, 'big.csv'), '--db', big.db]).code).toBe(0)
        expect(crm(['classify', '-s', 'retail-aum', '--as-of', AS_OF, '--db', big.db]).code).toBe(0)
        // Many chunks: the signal is sent when the first arrives, and crm takes it before the next (the reader keeps
        // reading, so crm is never stuck in a write).
        const child = spawn(
          process.execPath,
          [BIN, ...command.split(' '), '--reveal', '--format', 'csv', '--db', big.db],
          {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']},
        )
        let received = 0
        const ended = await new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
          child.stdout.on('data', (chunk: Buffer) => {
            if (received === 0) child.kill(signal)
            received += chunk.toString().split('\n').length - 1
          })
          child.once('close', (code, killedBy) => resolve({code, signal: killedBy}))
        })
        // crm still dies of the signal (a shell reports 130 or 143), as it did.
        expect(ended).toEqual({code: null, signal})
        const db = new Database(big.db, {readonly: true})
        const row = db.prepare('SELECT rows, details FROM audit_log WHERE action = ?').get(action) as {
          rows: number
          details: string
        }
        db.close()
        expect(JSON.parse(row.details).status).toBe('interrupted')
        // At least the rows that reached the reader (its lines, less the header), not all of them.
        expect(row.rows).toBeGreaterThanOrEqual(received - 1)
        expect(row.rows).toBeLessThan(20_000)
      } finally {
        big.cleanup()
      }
    },
  )
})

describe('no output holds a full ID number from the input unless --reveal (a property over generated books)', () => {
  const digits = (n: number) =>
    fc.array(fc.integer({min: 0, max: 9}), {minLength: n, maxLength: n}).map((d) => d.join(''))
  const person = fc
    .record({
      // A province's code, then any four digits (import refuses an ID of no province).
      area: fc.tuple(fc.constantFrom('11', '31', '44', '51', '65', '82'), digits(4)).map(([p, d]) => p + d),
      born: fc.date({min: new Date('1930-01-01'), max: new Date('2005-12-31'), noInvalidDate: true}),
      seq: digits(3),
      wrong: fc.boolean(),
      phone: digits(8),
      mailbox: fc.stringMatching(/^[a-z]{2,10}$/),
    })
    .map(({area, born, seq, wrong, phone, mailbox}) => {
      const date = born.toISOString().slice(0, 10)
      const first17 = `${area}${date.replaceAll('-', '')}${seq}`
      const check = residentIdCheckChar(first17)
      // Some have a wrong check digit: their rows are rejected, and the reasons must not repeat them either.
      return {
        id: first17 + (wrong ? (check === '1' ? '2' : '1') : check),
        valid: !wrong,
        date,
        phone: `13${phone}0`,
        email: `${mailbox}@bank.cn`,
      }
    })

  it("holds for list, show, export, classify show, explain, check and the import's reject reasons", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(person, {minLength: 3, maxLength: 12, selector: (p) => p.id}), async (people) => {
        const t = tempDir()
        try {
          const file = join(t.dir, 'people.csv')
          writeFileSync(
            file,
            [
              'customer_id,name,type,id_number,phone,email,birth_date,aum',
              ...people.map(
                (p, i) => `P${i},客户${i},individual,${p.id},${p.phone},${p.email},${p.date},${i * 100000}`,
              ),
            ].join('\n'),
          )
          const e = {CRM_DB: t.db}
          const outputs = [
            crm(['customer', 'import', file], {env: e}),
            crm(['customer', 'import', file, '--json', '--dry-run'], {env: e}),
          ]
          crm(['classify', '--scheme', scheme, '--as-of', AS_OF, '--reveal'], {env: e})
          const run = json<{id: number}[]>(crm(['classify', 'runs', '--json'], {env: e}))[0]?.id
          for (const args of [
            ['customer', 'list'],
            ['customer', 'list', '--json'],
            ['customer', 'export', '--format', 'csv'],
            ['customer', 'show', 'P0', '--json'],
            ['customer', 'show', 'P1'],
            ['classify', 'explain', 'P0'],
            ['classify', 'explain', 'P1', '--json'],
            ['classify', 'check', file, '--scheme', 'retail-aum', '--format', 'csv'],
            ['classify', 'check', file, '--scheme', 'retail-aum', '--json'],
            ...(run === undefined
              ? []
              : [
                  ['classify', 'show', String(run), '--format', 'csv'],
                  ['classify', 'show', String(run), '--json'],
                ]),
          ])
            outputs.push(crm(args, {env: e}))
          const text = outputs.map((o) => o.stdout + o.stderr).join('\n')
          for (const p of people) expect(text).not.toContain(p.id)
          const revealed = crm(['customer', 'export', '--format', 'csv', '--reveal'], {env: e}).stdout
          for (const p of people.filter((x) => x.valid)) expect(revealed).toContain(p.id)
        } finally {
          t.cleanup()
        }
      }),
      {numRuns: 2},
    )
  }, 600_000)
})
