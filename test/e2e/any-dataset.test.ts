import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Issue 14 §6: a foreign export (a bank-churn file with no aum) mapped, classified and summarised.
const {dir, db, cleanup} = tempDir()
const env = {CRM_DB: db}
const path = (name: string, text: string) => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

// Limit amounts past 2^53 fen, so a sum through floating point would be off; C4's limit and amount are missing.
const CARDS = `${[
  'CLIENTNUM,Card_Category,Total_Trans_Amt,Credit_Limit,Contact_Phone,Calls,Naive_Bayes_Classifier_1,Naive_Bayes_Classifier_2',
  'C1,Blue,1144.5,50000000000000.01,13800138000,3,0.1,0.9',
  'C2,Gold,1291,50000000000000.02,13900139000,0,0.2,0.8',
  'C3,Blue,1887,3418,13700137000,,0.3,0.7',
  'C4,Silver,,,13600136000,1,0.4,0.6',
].join('\n')}\n`
const MAPPING = JSON.stringify({
  columns: {
    CLIENTNUM: 'customer_id',
    'Naive_Bayes_*': '-',
    Dependent_count: '-',
    Contact_Phone: 'extra:Tel',
    Credit_Limit: 'extra:Limit',
  },
  defaults: {name: 'unknown', type: 'individual'},
})
const scheme = (version: number, bound: number) =>
  path(
    `cards-v${version}.yaml`,
    `name: cards
version: ${version}
title: {zh: 信用卡, en: Cards}
extras:
  Card_Category: text
  Total_Trans_Amt: number
  Limit: money
  Tel: text
tiers:
  - id: big
    label: {zh: 大额, en: Big}
    rule: Total_Trans_Amt >= ${bound}
  - id: rest
    label: {zh: 其他, en: Rest}
`,
  )

let cards: string
let mapping: string
let run1: number
let run2: number
beforeAll(() => {
  cards = path('cards.csv', CARDS)
  mapping = path('cards.json', MAPPING)
  expect(crm(['customer', 'import', cards, '--mapping', mapping], {env}).code).toBe(0)
  run1 = json<{run: number}>(
    crm(['classify', '--scheme', scheme(1, 1200), '--as-of', '2026-11-28', '--json'], {env}),
  ).run
})
afterAll(cleanup)

type Row = Record<string, string | number | null>
const rowsOf = (args: string[]) => json<{rows: Row[]; sum?: unknown}>(crm(['summary', ...args, '--json'], {env}))

describe('mappings for a family of exports', () => {
  it('imports with a mapping that drops columns the file lacks, drops columns by glob, and keeps columns under new names', () => {
    const shown = json<{extra: Record<string, string>}>(crm(['customer', 'show', 'C1', '--json'], {env}))
    expect(shown.extra).toEqual({
      Card_Category: 'Blue',
      Total_Trans_Amt: '1144.5',
      Limit: '50000000000000.01',
      Tel: '138****8000',
      Calls: '3',
    })
  })

  it('takes --map "Source=extra:NewName" on import, and refuses extra: without a name or with a field\'s (exit 2)', () => {
    const {db: other, cleanup: done} = tempDir()
    try {
      const file = path('small.csv', 'id,name,type,Source\nX1,Li,individual,web\n')
      expect(
        crm(['customer', 'import', file, '--db', other, '--map', 'Source=extra:Channel', '--map', 'Nowhere=-'], {env})
          .code,
      ).toBe(0)
      expect(json<{extra: unknown}>(crm(['customer', 'show', 'X1', '--db', other, '--json'])).extra).toEqual({
        Channel: 'web',
      })
      for (const [map, message] of [
        ['Source=extra:', 'which names no column'],
        ['Source=extra:aum', 'but aum is a customer field'],
      ]) {
        const result = crm(['customer', 'import', file, '--db', other, '--map', map])
        expectHandled(result, 2)
        expect(result.stderr).toContain(message)
      }
    } finally {
      done()
    }
  })

  it('classify check leaves dropped columns out, shows kept ones by their new names and classifies as the stored run does', () => {
    const csv = parse(
      crm([
        'classify',
        'check',
        cards,
        '--scheme',
        scheme(1, 1200),
        '--mapping',
        mapping,
        '--as-of',
        '2026-11-28',
        '--format',
        'csv',
      ]).stdout,
      {columns: true},
    ) as Row[]
    expect(Object.keys(csv[0])).toEqual([
      'CLIENTNUM',
      'Card_Category',
      'Total_Trans_Amt',
      'Limit',
      'Tel',
      'Calls',
      'tier',
      'reason',
    ])
    expect(csv.map((r) => r.Tel)).toEqual(['138****8000', '139****9000', '137****7000', '136****6000'])
    const stored = json<{results: Row[]}>(crm(['classify', 'show', String(run1), '--json'], {env})).results
    expect(csv.map((r) => [r.CLIENTNUM, r.tier])).toEqual(stored.map((r) => [r.customer_id, r.tier]))

    const result = crm([
      'classify',
      'check',
      cards,
      '--scheme',
      scheme(1, 1200),
      '--mapping',
      mapping,
      '--map',
      'Calls=-',
      '--as-of',
      '2026-11-28',
      '--json',
    ])
    const rows = json<{rows: Row[]}>(result).rows
    expect(Object.keys(rows[0])).toEqual([
      'CLIENTNUM',
      'Card_Category',
      'Total_Trans_Amt',
      'Limit',
      'Tel',
      'tier',
      'reason',
    ])
    const table = crm([
      'classify',
      'check',
      cards,
      '--scheme',
      scheme(1, 1200),
      '--mapping',
      mapping,
      '--as-of',
      '2026-11-28',
      '--format',
      'table',
    ])
    expect(table.code).toBe(0)
    expect(table.stdout).not.toContain('Naive_Bayes')
  })

  it('reads --map X=contacts_12m in classify check as the contact measure, an empty cell as unknown', () => {
    const calls = path(
      'calls.yaml',
      `name: calls
version: 1
title: {zh: 联系, en: Calls}
tiers:
  - id: called
    label: {zh: 联系过, en: Called}
    rule: contacts_12m >= 1
  - id: unknown
    label: {zh: 未知, en: Unknown}
    rule: contacts_12m is null
  - id: quiet
    label: {zh: 未联系, en: Quiet}
`,
    )
    const args = [
      'classify',
      'check',
      cards,
      '--scheme',
      calls,
      '--mapping',
      mapping,
      '--map',
      'Calls=contacts_12m',
      '--as-of',
      '2026-11-28',
    ]
    const rows = json<{rows: Row[]}>(crm([...args, '--json'])).rows
    expect(rows.map((r) => [r.CLIENTNUM, r.contacts_12m, r.tier])).toEqual([
      ['C1', '3', 'called'],
      ['C2', '0', 'quiet'],
      ['C3', '', 'unknown'],
      ['C4', '1', 'called'],
    ])
    const csv = crm([...args, '--format', 'csv'])
    expect(csv.code).toBe(0)
    expect(csv.stdout.split('\n')[0]).toBe('CLIENTNUM,Card_Category,Total_Trans_Amt,Limit,Tel,contacts_12m,tier,reason')
  })
})

describe('summary --by any text field or declared extra', () => {
  it('groups by a declared extra in JSON and in a table, with subtotals', () => {
    const rows = rowsOf(['--scheme', 'cards', '--by', 'Card_Category'])
    expect(rows.rows.filter((r) => r.kind === 'subtotal').map((r) => [r.Card_Category, r.customers])).toEqual([
      ['Blue', 2],
      ['Gold', 1],
      ['Silver', 1],
    ])
    const table = crm(['summary', '--scheme', 'cards', '--by', 'card_category', '--format', 'table'], {env})
    expect(table.code).toBe(0)
    expect(table.stdout).toContain('Card_Category')
    expect(table.stdout).toMatch(/Silver +│ Rest/)
  })

  it('groups by a canonical text field other than branch, rm and type (null as —)', () => {
    const rows = rowsOf(['--scheme', 'cards', '--by', 'industry']).rows
    expect(rows.filter((r) => r.kind === 'subtotal').map((r) => [r.industry, r.customers])).toEqual([[null, 4]])
    expect(crm(['summary', '--scheme', 'cards', '--by', 'industry', '--format', 'table'], {env}).stdout).toContain('—')
  })

  it("masks an extra's values that look personal unless --reveal, which the audit log records", () => {
    expect(
      rowsOf(['--scheme', 'cards', '--by', 'Tel'])
        .rows.filter((r) => r.kind === 'subtotal')
        .map((r) => r.Tel),
    ).toEqual(['136****6000', '137****7000', '138****8000', '139****9000'])
    expect(
      rowsOf(['--scheme', 'cards', '--by', 'Tel', '--reveal'])
        .rows.filter((r) => r.kind === 'subtotal')
        .map((r) => r.Tel),
    ).toContain('13800138000')
    const audit = new Database(db, {readonly: true})
    try {
      expect(audit.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'summary.reveal'").get()).toEqual({n: 1})
    } finally {
      audit.close()
    }
  })

  it.each([
    [
      ['--by', 'Card_Categry'],
      '--by Card_Categry is not a text field or an extra of cards',
      'did you mean --by Card_Category?',
    ],
    [['--by', 'phone'], "--by phone would list every customer's phone, which is personal data", 'add --reveal'],
    [['--by', 'aum'], '--by aum is not a text field or an extra of cards', ''],
    [['--by', 'type', '--by', 'branch', '--by', 'rm'], '--by takes at most two breakdowns', ''],
    [['--sum', 'Limt'], '--sum Limt is not a money or number field or extra of cards', 'did you mean --sum Limit?'],
    [
      ['--sum', 'Card_Category'],
      '--sum Card_Category is not a money or number field or extra of cards',
      'Total_Trans_Amt, Limit',
    ],
  ])('refuses %j as a usage error (exit 2), in a table and in JSON', (args, message, hint) => {
    const table = crm(['summary', '--scheme', 'cards', ...args], {env})
    expectHandled(table, 2)
    expect(table.stderr).toContain(message)
    expect(table.stderr).toContain(hint)
    const asJson = json<{error: {message: string; exit: number}}>(
      crm(['summary', '--scheme', 'cards', ...args, '--json'], {env}),
    )
    expect(asJson.error).toMatchObject({message, exit: 2})
  })

  it('groups by a personal field with --reveal', () => {
    const result = crm(['summary', '--scheme', 'cards', '--by', 'phone', '--reveal', '--json'], {env})
    expect(result.code).toBe(0)
    expect(json<{by: string[]}>(result).by).toEqual(['phone'])
  })
})

describe('summary --sum', () => {
  it('totals a money extra exactly past 2^53 fen, unknown values left out and counted, in JSON, CSV and a table', () => {
    const summary = rowsOf(['--scheme', 'cards', '--sum', 'Limit'])
    expect(summary.sum).toEqual({field: 'Limit', type: 'money'})
    // C1 (1144.5) and C4 (no amount) are rest; C2 and C3 are big.
    expect(summary.rows.map((r) => [r.tier, r.sum, r.sum_count])).toEqual([
      ['big', '50000000003418.02', 2],
      ['rest', '50000000000000.01', 1],
      ['', '100000000003418.03', 3],
    ])
    const csv = parse(crm(['summary', '--scheme', 'cards', '--sum', 'Limit', '--format', 'csv'], {env}).stdout, {
      columns: true,
    }) as Row[]
    expect(csv.map((r) => [r.tier, r.sum, r.sum_count])).toEqual([
      ['big', '50000000003418.02', '2'],
      ['rest', '50000000000000.01', '1'],
      ['', '100000000003418.03', '3'],
    ])
    const table = crm(['summary', '--scheme', 'cards', '--sum', 'Limit', '--format', 'table'], {env}).stdout
    expect(table).toContain('Limit total')
    expect(table).toContain('100,000,000,003,418.03*')
    expect(table).toContain('Limit 3 of 4')
    // No customer has AUM, deposits or loans: with --sum the table leaves those columns out.
    expect(table).not.toContain('AUM')
  })

  it('totals a number extra and a canonical field per tier and per group', () => {
    const summary = rowsOf(['--scheme', 'cards', '--sum', 'Total_Trans_Amt', '--by', 'Card_Category'])
    expect(summary.sum).toEqual({field: 'Total_Trans_Amt', type: 'number'})
    expect(summary.rows.filter((r) => r.kind !== 'tier').map((r) => [r.Card_Category, r.sum, r.sum_count])).toEqual([
      ['Blue', '3031.5', 2],
      ['Gold', '1291', 1],
      ['Silver', null, 0],
      [null, '4322.5', 3],
    ])
    const aum = rowsOf(['--scheme', 'cards', '--sum', 'aum'])
    expect(aum.rows.map((r) => [r.sum, r.sum_count])).toEqual([
      [null, 0],
      [null, 0],
      [null, 0],
    ])
  })

  it('keeps the columns scripts read when --sum is not given', () => {
    const header = crm(['summary', '--scheme', 'cards', '--format', 'csv'], {env}).stdout.split('\n')[0]
    expect(header).toBe(
      'kind,tier,tier_label,customers,customer_share,aum,aum_average,deposits,loans,aum_share,contacted,contact_coverage,aum_count,deposits_count,loans_count',
    )
  })
})

describe('summary --compare across scheme versions', () => {
  beforeAll(() => {
    run2 = json<{run: number}>(
      crm(['classify', '--scheme', scheme(2, 1500), '--as-of', '2026-11-29', '--json'], {env}),
    ).run
  })

  it('says the runs used different versions, with their hashes, above the matrix and in JSON', () => {
    const table = crm(['summary', '--compare', String(run1), String(run2), '--format', 'table'], {env})
    expect(table.code).toBe(0)
    const lines = table.stdout.split('\n')
    expect(lines[1]).toMatch(
      new RegExp(
        `^the runs used different versions of cards: run ${run1} v1 \\([0-9a-f]{12}\\), run ${run2} v2 \\([0-9a-f]{12}\\)`,
      ),
    )
    expect(lines[2]).toMatch(/^┌/)
    const result = json<{
      scheme_changed: boolean
      from_run: {version: string; hash: string}
      to_run: {version: string; hash: string}
    }>(crm(['summary', '--compare', String(run1), String(run2), '--json'], {env}))
    expect(result.scheme_changed).toBe(true)
    expect([result.from_run.version, result.to_run.version]).toEqual(['1', '2'])
    expect(result.from_run.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(result.from_run.hash).not.toBe(result.to_run.hash)
  })

  it('says nothing when both runs used the same scheme text', () => {
    const again = json<{run: number}>(
      crm(['classify', '--scheme', scheme(2, 1500), '--as-of', '2026-11-30', '--json'], {env}),
    ).run
    const table = crm(['summary', '--compare', String(run2), String(again), '--format', 'table'], {env})
    expect(table.stdout).not.toContain('different versions')
    expect(
      json<{scheme_changed: boolean}>(crm(['summary', '--compare', String(run2), String(again), '--json'], {env}))
        .scheme_changed,
    ).toBe(false)
  })
})
