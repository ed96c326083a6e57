import Database from 'better-sqlite3'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {WrittenRecords} from '../../../src/core/customer.js'
import {DERIVED, KEPT, markPersonal} from '../../../src/core/masking.js'
import type {RunTier} from '../../../src/core/runs.js'
import {migrate} from '../../../src/db/migrations.js'
import {classificationRepository} from '../../../src/db/repositories/classifications.js'
import {RESULT_KEYS, runResultView, tierLabels} from '../../../src/io/classify-views.js'
import {cellText, cellWriter} from '../../../src/io/row-writer.js'

// classify show's CSV and TSV lines as SQLite writes them (eachResultLine) against the row writer's lines of
// runResultView's records, for random stored runs: the same bytes, masked and revealed, in both languages.

/** Any text: quotes, commas, tabs, line breaks, control characters, Chinese, emoji. */
const anyText = fc
  .string({unit: 'binary', maxLength: 10})
  .filter((t) => !/[\ud800-\udfff]/u.test(t.replace(/[\ud800-\udbff][\udc00-\udfff]/gu, '')))
/** Text that may start like a formula or hold what CSV quotes and TSV escapes. */
const hostile = fc.oneof(
  anyText,
  fc
    .tuple(
      fc.constantFrom(
        '=',
        '+',
        '-',
        '@',
        '\t',
        '\r',
        "'",
        "''=",
        "'-1",
        '"',
        ',',
        '\n',
        '\\',
        '-12.5',
        '+3',
        '.5',
        '-',
        '王',
      ),
      anyText,
    )
    .map(([head, rest]) => head + rest),
)
const personalValue = fc.oneof(
  fc.stringMatching(/^\d{17}[\dX]$/),
  fc.stringMatching(/^1[3-9]\d{9}$/),
  fc.constantFrom('wang@bank.cn', '1985-09-10', '021-5555123', ''),
  anyText,
)
/**
 * A reason as crm stores it: free text, personal values marked (markPersonal), or unmarked after a field's name (an
 * earlier crm).
 */
const reason = fc
  .array(
    fc.oneof(
      hostile,
      fc
        .tuple(fc.constantFrom('id_number', 'phone', 'email', 'birth_date', KEPT, DERIVED), personalValue)
        .map(([field, value]) => markPersonal(field, value)),
      personalValue.map((v) => `id_number '${v}'`),
      personalValue.map((v) => `phone '${v}'`),
      personalValue.map((v) => `email '${v}'`),
      fc.constantFrom('birth_date 1985-09-10', 'birth_date 19850910', "passport_number 'E1234'"),
    ),
    {maxLength: 3},
  )
  .map((parts) => parts.join(' '))
const tierId = fc.oneof(
  fc.constantFrom('private', 'mass', '1', '-vip', '=x'),
  hostile.filter((t) => t !== ''),
)
const tiers = fc.uniqueArray(fc.record({id: tierId, zh: hostile, en: hostile, cadence_days: fc.constant(null)}), {
  selector: (t) => t.id,
  maxLength: 4,
})
const customer = fc.record({
  customer_id: hostile,
  name: hostile,
  branch: fc.option(hostile, {nil: null}),
  rm: fc.option(hostile, {nil: null}),
})

interface Book {
  readonly tiers: readonly RunTier[]
  readonly customers: readonly {customer_id: string; name: string; branch: string | null; rm: string | null}[]
  /** Each customer's tier (an index into tiers, past them for no tier) and reason; absent when the run left it out. */
  readonly results: readonly ({tier: number; reason: string} | null)[]
}

const book: fc.Arbitrary<Book> = tiers.chain((t) =>
  fc.record({
    tiers: fc.constant(t),
    customers: fc.uniqueArray(customer, {selector: (c) => c.customer_id, minLength: 1, maxLength: 8}),
    results: fc.array(fc.option(fc.record({tier: fc.nat({max: t.length}), reason}), {nil: null, freq: 5}), {
      minLength: 8,
      maxLength: 8,
    }),
  }),
)

function stored(b: Book): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.prepare(`INSERT INTO classification_runs (id, scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of, created_at, actor, customers, skipped)
    VALUES (1, 's', '1', 'h', '', ?, '2026-11-28', '2026-11-28T00:00:00Z', 't', 0, 0)`).run(JSON.stringify(b.tiers))
  db.prepare(
    `INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status) VALUES (1, 'customers', 'a.csv', '', 'upsert', 't', '2026-11-28T00:00:00Z', 'complete')`,
  ).run()
  const insertCustomer = db.prepare(
    "INSERT INTO customers (id, customer_id, name, type, branch, rm, extra, created_batch_id, updated_batch_id) VALUES (?, ?, ?, 'individual', ?, ?, '{}', 1, 1)",
  )
  const insertResult = db.prepare(
    'INSERT INTO classification_results (run_id, customer_ref, tier, reason) VALUES (1, ?, ?, ?)',
  )
  b.customers.forEach((c, i) => {
    insertCustomer.run(i + 1, c.customer_id, c.name, c.branch, c.rm)
    const result = b.results[i]
    if (result) insertResult.run(i + 1, b.tiers[result.tier]?.id ?? '', result.reason)
  })
  return db
}

/** The pages' records, joined by `between` as the writer joins them (a line may hold line breaks: CSV quotes them). */
function joined(pages: Iterable<WrittenRecords>, between: string): {text: string; rows: number} {
  const all = [...pages]
  return {
    text: all.map((p) => Buffer.from(p.bytes).toString()).join(between),
    rows: all.reduce((sum, p) => sum + p.rows, 0),
  }
}

describe("classify show's lines written by SQL", () => {
  it.each([
    ['csv', false, 'en'],
    ['csv', true, 'zh'],
    ['tsv', false, 'zh'],
    ['tsv', true, 'en'],
  ] as const)("are the writer's %s lines of runResultView's records (reveal %s, %s)", (format, reveal, lang) => {
    fc.assert(
      fc.property(book, fc.option(fc.nat({max: 9}), {nil: undefined}), fc.boolean(), (b, limit, byTier) => {
        const db = stored(b)
        const repo = classificationRepository(db)
        const run = repo.find(1)!
        const tier = byTier && b.tiers.length > 0 ? b.tiers[0].id : undefined
        const view = runResultView(run, lang, reveal)
        const write = cellWriter(format)
        const lines = repo
          .results(1, {tier, limit})
          .map((r) =>
            RESULT_KEYS.map((k) => write(cellText(view.record(r)[k as keyof ReturnType<typeof view.record>]))).join(
              format === 'csv' ? ',' : '\t',
            ),
          )
        const written = joined(
          repo.eachResultLine(1, {tier, limit, reveal}, tierLabels(run.tiers, lang), format, write, '\n'),
          '\n',
        )
        expect(written.text).toBe(lines.join('\n'))
        expect(written.rows).toBe(lines.length)
        db.close()
      }),
      {numRuns: 150},
    )
  })

  it.each([undefined, 300, 512, 513])('come for the whole run in customer order, the limit (%s) kept', (limit) => {
    const [t] = fc.sample(
      tiers.filter((x) => x.length > 0),
      {numRuns: 1, seed: 5},
    )
    const customers = fc
      .sample(customer, {numRuns: 900, seed: 7})
      .filter((c, i, all) => all.findIndex((o) => o.customer_id === c.customer_id) === i)
    const results = fc.sample(fc.option(fc.record({tier: fc.nat({max: t.length}), reason}), {nil: null, freq: 5}), {
      numRuns: customers.length,
      seed: 9,
    })
    const db = stored({tiers: t, customers, results})
    const repo = classificationRepository(db)
    const run = repo.find(1)!
    const view = runResultView(run, 'zh', false)
    const write = cellWriter('csv')
    const lines = repo
      .results(1, {limit})
      .map((r) =>
        RESULT_KEYS.map((k) => write(cellText(view.record(r)[k as keyof ReturnType<typeof view.record>]))).join(','),
      )
    const pages = repo.eachResultLine(1, {limit, reveal: false}, tierLabels(run.tiers, 'zh'), 'csv', write, '\r\n')
    expect(joined(pages, '\r\n')).toEqual({text: lines.join('\r\n'), rows: lines.length})
    db.close()
  })
})
