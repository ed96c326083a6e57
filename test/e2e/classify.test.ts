import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {generateCustomers} from '../../bench/generate.js'
import {describeBackends} from '../helpers/backends.js'
import {crm, json, tempDir} from '../helpers/cli.js'
import {importCustomers} from '../helpers/pg-seed.js'

const AS_OF = '2026-11-28'
const scratch = tempDir()
const book = join(scratch.dir, 'book.csv')

beforeAll(async () => {
  await generateCustomers({rows: 3000, seed: 11, out: book, headers: 'zh'})
})
afterAll(scratch.cleanup)

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, string>)

describeBackends('classify', (backend) => {
  const {dir, db, cleanup} = backend.book()
  const env = {CRM_DB: db}

  beforeAll(() => {
    const imported = importCustomers({dir, db, cleanup}, book, ['--json'])
    expect(imported.code).toBe(0)
  })
  afterAll(cleanup)

  describe('crm classify', () => {
    it('stores a run with every customer the scheme applies to, and prints the count per tier', () => {
      const result = crm(['classify', '--scheme', 'retail-aum', '--as-of', AS_OF], {env})
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/^retail-aum v2 · run \d+ · as of 2026-11-28 · [\d,]+ customers/)
      expect(result.stdout).toContain('Private banking')
      const runs = json<Record<string, unknown>[]>(crm(['classify', 'runs', '--json'], {env}))
      expect(runs[0]).toMatchObject({scheme: 'retail-aum', version: '2', as_of: AS_OF})
      const shown = ndjson(crm(['classify', 'show', String(runs[0].id), '--format', 'ndjson'], {env}).stdout)
      expect(shown).toHaveLength(runs[0].customers as number)
      expect(shown.every((r) => r.reason.length > 0)).toBe(true)
    })

    it('returns the run under --json with counts that add up, and stores nothing on a dry run', () => {
      const before = json<unknown[]>(crm(['classify', 'runs', '--json'], {env})).length
      const dry = json<{run: number | null; customers: number; skipped: number; tiers: {customers: number}[]}>(
        crm(['classify', '-s', 'sme-size', '--dry-run', '--json', '--as-of', AS_OF], {env}),
      )
      expect(dry.run).toBeNull()
      expect(dry.tiers.reduce((sum, t) => sum + t.customers, 0)).toBe(dry.customers)
      expect(dry.customers + dry.skipped).toBe(3000)
      expect(json<unknown[]>(crm(['classify', 'runs', '--json'], {env})).length).toBe(before)
    })

    it('classifies only the filtered portfolio', () => {
      const all = json<{customers: number}>(
        crm(['classify', '-s', 'rfm', '--dry-run', '--json', '--as-of', AS_OF], {env}),
      )
      const branch = json<{customers: number; filter: Record<string, string>}>(
        crm(
          [
            'classify',
            '-s',
            'rfm',
            '--branch',
            '上海分行浦东支行',
            '--where',
            'aum > 0',
            '--dry-run',
            '--json',
            '--as-of',
            AS_OF,
          ],
          {env},
        ),
      )
      expect(branch.customers).toBeGreaterThan(0)
      expect(branch.customers).toBeLessThan(all.customers)
      expect(branch.filter).toMatchObject({branch: '上海分行浦东支行', where: 'aum > 0'})
    })

    it('refuses a broken scheme file with its line and column (exit 3), and an unknown scheme (exit 4)', () => {
      const file = join(dir, 'my-tiers.yaml')
      writeFileSync(
        file,
        'name: my-tiers\nversion: 1\ntiers:\n  - id: rich\n    rule: aum_total >= 6000000\n  - id: rest\n',
      )
      const broken = crm(['classify', '--scheme', file], {env})
      expect(broken.code).toBe(3)
      expect(broken.stderr).toContain('my-tiers.yaml line 5, column 11: unknown field "aum_total"')
      expect(broken.stderr).toContain('did you mean "aum"?')
      expect(broken.stderr).not.toContain('    at ')
      expect(crm(['scheme', 'validate', file], {env}).code).toBe(3)
      const unknown = crm(['classify', '--scheme', 'retail-aun'], {env})
      expect(unknown.code).toBe(4)
      expect(unknown.stderr).toContain('did you mean retail-aum?')
    })

    it('shows the tier in customer show and filters customer list by it', () => {
      const runs = json<{id: number; scheme: string}[]>(crm(['classify', 'runs', '--json'], {env}))
      const run = runs.find((r) => r.scheme === 'retail-aum')!
      const wealthy = ndjson(
        crm(['classify', 'show', String(run.id), '--tier', 'wealth', '--format', 'ndjson'], {env}).stdout,
      )
      const listed = json<{customer_id: string}[]>(
        crm(['customer', 'list', '--tier', 'wealth', '--scheme', 'retail-aum', '--json'], {env}),
      )
      expect(listed.map((c) => c.customer_id).sort()).toEqual(wealthy.map((r) => r.customer_id).sort())
      const shown = json<{tiers: {scheme: string; tier: string; reason: string}[]}>(
        crm(['customer', 'show', wealthy[0].customer_id, '--json'], {env}),
      )
      expect(shown.tiers).toContainEqual(expect.objectContaining({scheme: 'retail-aum', tier: 'wealth'}))
      const text = crm(['customer', 'show', wealthy[0].customer_id, '--lang', 'zh'], {env}).stdout
      expect(text).toMatch(/分层\s+retail-aum\s+财富客户\s+aum [\d.]+ >= 50万/)
    })

    it('explains a tier and what would move the customer up', () => {
      const id =
        ndjson(
          crm(
            [
              'classify',
              'show',
              String(json<{id: number}[]>(crm(['classify', 'runs', '--json'], {env})).find(() => true)!.id),
              '--tier',
              'gold',
              '--format',
              'ndjson',
            ],
            {env},
          ).stdout,
        )[0]?.customer_id ??
        json<{customer_id: string}[]>(
          crm(['customer', 'list', '--tier', 'gold', '--scheme', 'retail-aum', '--json'], {env}),
        )[0].customer_id
      const explained = json<{tier: string; next: {tier: string; needs: string[]}}[]>(
        crm(['classify', 'explain', id, '--scheme', 'retail-aum', '--as-of', AS_OF, '--json'], {env}),
      )
      expect(explained[0].tier).toBe('gold')
      expect(explained[0].next.tier).toBe('wealth')
      expect(explained[0].next.needs[0]).toMatch(/^aum would have to be >= 50万 \(now [\d.]+\)$/)
      expect(crm(['classify', 'explain', 'NOPE', '--scheme', 'retail-aum'], {env}).code).toBe(4)
    })

    it('suggests close customer numbers for a mistyped one in classify explain, as customer show does (exit 4)', () => {
      const explain = crm(['classify', 'explain', 'C10000001'], {env})
      expect(explain.code).toBe(4)
      expect(explain.stderr).toMatch(/did you mean C100000001 \(.+\)/)
      expect(explain.stderr).toBe(crm(['customer', 'show', 'C10000001'], {env}).stderr)
    })

    it("lists customers whose tier's contact cadence has lapsed in contact due, until they are contacted", () => {
      const due = json<{
        lapsed_cadence: {
          customer_id: string
          scheme: string
          tier: string
          cadence_days: number
          last_contact_at: string | null
        }[]
      }>(crm(['contact', 'due', '--date', AS_OF, '--json'], {env}))
      const privateBanking = due.lapsed_cadence.find((r) => r.scheme === 'retail-aum' && r.tier === 'private-banking')!
      expect(privateBanking).toMatchObject({cadence_days: 30, last_contact_at: null})
      expect(
        crm(
          [
            'contact',
            'log',
            '--customer',
            privateBanking.customer_id,
            '--channel',
            'phone',
            '--purpose',
            'review',
            '--at',
            '2026-11-20 10:00',
          ],
          {env},
        ).code,
      ).toBe(0)
      const after = json<{lapsed_cadence: {customer_id: string; scheme: string}[]}>(
        crm(['contact', 'due', '--date', AS_OF, '--json'], {env}),
      )
      expect(
        after.lapsed_cadence.filter((r) => r.customer_id === privateBanking.customer_id && r.scheme === 'retail-aum'),
      ).toEqual([])
      const text = crm(['contact', 'due', '--date', AS_OF], {env}).stdout
      expect(text).toMatch(/retail-aum [a-z-]+ cadence \d+ days, never contacted/)
    })

    it('deletes a run', () => {
      const run = json<{run: number}>(crm(['classify', '-s', 'abc', '--json', '--as-of', AS_OF], {env})).run
      expect(crm(['classify', 'delete', String(run)], {env}).code).toBe(0)
      expect(crm(['classify', 'show', String(run)], {env}).code).toBe(4)
      expect(crm(['classify', 'delete', String(run)], {env}).code).toBe(4)
    })
  })

  describe('crm classify check', () => {
    it.each(['retail-aum', 'sme-size', 'loan-risk', 'rfm', 'abc', 'lifecycle', 'churn-risk', 'value-matrix'])(
      'gives the same tiers as the database path for %s',
      (scheme) => {
        const stored = json<{run: number}>(crm(['classify', '-s', scheme, '--json', '--as-of', AS_OF], {env}))
        const fromDb = new Map(
          ndjson(crm(['classify', 'show', String(stored.run), '--format', 'ndjson'], {env}).stdout).map((r) => [
            r.customer_id,
            r.tier,
          ]),
        )
        const checked = crm(['classify', 'check', book, '-s', scheme, '--as-of', AS_OF, '--format', 'ndjson'])
        expect(checked.code).toBe(0)
        const rows = ndjson(checked.stdout)
        expect(rows).toHaveLength(3000)
        const fromCheck = new Map(rows.filter((r) => r.tier !== '').map((r) => [r.客户号, r.tier]))
        expect(fromCheck.size).toBe(fromDb.size)
        expect(Object.fromEntries(fromCheck)).toEqual(Object.fromEntries(fromDb))
      },
    )
  })

  describe('crm scheme', () => {
    it('prints a scheme as a file that loads back and classifies the same', () => {
      const file = join(dir, 'copy.yaml')
      writeFileSync(file, crm(['scheme', 'show', 'retail-aum']).stdout)
      expect(crm(['scheme', 'validate', file]).code).toBe(0)
      const a = json<{tiers: unknown}>(
        crm(['classify', '-s', 'retail-aum', '--dry-run', '--json', '--as-of', AS_OF], {env}),
      )
      const b = json<{tiers: unknown}>(crm(['classify', '-s', file, '--dry-run', '--json', '--as-of', AS_OF], {env}))
      expect(b.tiers).toEqual(a.tiers)
    })
  })

  describe('a scheme written for a foreign dataset', () => {
    it('classifies the public churn dataset by the columns its import kept, the same by both paths', async () => {
      const {parse} = await import('csv-parse/sync')
      const {readFileSync} = await import('node:fs')
      const churn = backend.book()
      const dataset = join(import.meta.dirname, '../fixtures/Churn_Modelling.csv')
      const mapping = join(import.meta.dirname, '../../data/mappings/churn-modelling.json')
      const scheme = join(import.meta.dirname, '../../data/schemes/churn-modelling-risk.yaml')
      expect(importCustomers(churn, dataset, ['--mapping', mapping]).code).toBe(0)
      const run = json<{run: number; customers: number; tiers: {tier: string; customers: number}[]}>(
        crm(['classify', '-s', scheme, '--json'], {env: {CRM_DB: churn.db}}),
      )
      const rows = parse(readFileSync(dataset), {columns: true}) as Record<string, string>[]
      expect(run.customers).toBe(rows.length)
      expect(run.tiers.find((t) => t.tier === 'churned')!.customers).toBe(rows.filter((r) => r.Exited === '1').length)
      const fromDb = new Map(
        ndjson(crm(['classify', 'show', String(run.run), '--format', 'ndjson'], {env: {CRM_DB: churn.db}}).stdout).map(
          (r) => [r.customer_id, r.tier],
        ),
      )
      const checked = ndjson(
        crm(['classify', 'check', dataset, '-s', scheme, '--mapping', mapping, '--format', 'ndjson']).stdout,
      )
      expect(new Map(checked.map((r) => [r.CustomerId, r.tier]))).toEqual(fromDb)
      churn.cleanup()
    })
  })
})

describe('crm classify check, without a database', () => {
  it('puts the caret of crm scheme validate under the mistake in a line with Chinese text', () => {
    const file = join(scratch.dir, 'zh-tiers.yaml')
    writeFileSync(
      file,
      'name: zh-tiers\nversion: 1\ntiers:\n  - {id: rich, label: {zh: 私人银行}, rule: aumx >= 600万}\n  - id: rest\n',
    )
    const result = crm(['scheme', 'validate', file])
    expect(result.code).toBe(3)
    // Before aumx: 27 characters, 私人银行 (8 columns, not 4) and 9 more, so the caret stands 44 columns in.
    expect(result.stderr).toContain(
      ['  4 |   - {id: rich, label: {zh: 私人银行}, rule: aumx >= 600万}', `    | ${' '.repeat(44)}^^^^`].join('\n'),
    )
  })

  it('reads a pipe, keeps line numbers when there is no customer_id, and marks invalid rows (exit 3)', () => {
    const input = 'aum,type\n6000000,individual\n5999999.99,个人\nabc,个人\n100,corporate\n'
    const result = crm(['classify', 'check', '--scheme', 'retail-aum', '--format', 'csv'], {input})
    expect(result.code).toBe(3)
    expect(result.stdout.split('\n')).toEqual([
      'line,aum,type,tier,reason',
      '2,6000000,individual,private-banking,aum 6000000.00 >= 600万',
      '3,5999999.99,个人,diamond,aum 5999999.99 >= 200万',
      '4,abc,个人,,"invalid: aum: ""abc"" is not an amount (write digits with an optional . and at most 2 decimals, e.g. 1,234.56)"',
      `5,100,corporate,,"not applicable: type = 'individual' and coalesce(status, 'active') != 'closed' does not hold"`,
      '',
    ])
    expect(result.stderr).toContain('4 rows: 2 classified, 1 not applicable, 1 invalid')
  })

  it('touches no database', () => {
    const result = crm(
      ['classify', 'check', '-s', 'retail-aum', '--format', 'tsv', '--db', join(scratch.dir, 'never.db')],
      {
        input: 'aum,type\n1,individual\n',
      },
    )
    expect(result.code).toBe(0)
    expect(existsSync(join(scratch.dir, 'never.db'))).toBe(false)
  })
})

describe('crm scheme', () => {
  it('lists the eight built-in schemes', () => {
    const names = json<{name: string}[]>(crm(['scheme', 'list', '--json'])).map((s) => s.name)
    expect(names).toEqual([
      'retail-aum',
      'sme-size',
      'loan-risk',
      'rfm',
      'abc',
      'value-matrix',
      'lifecycle',
      'churn-risk',
    ])
  })
})
