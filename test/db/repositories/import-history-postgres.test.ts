import {afterAll, expect, it, type TestContext} from 'vitest'
import {openPostgres} from '../../../src/db/connection.js'
import type {PgDatabase} from '../../../src/db/postgres/connection.js'
import {importHistoryRepository} from '../../../src/db/repositories/import-history.js'
import {dbTarget} from '../../../src/db/target.js'
import {UserError} from '../../../src/errors.js'
import {type UndoResult, undoImport} from '../../../src/services/import-undo.js'
import {type Book, describePostgres, POSTGRES} from '../../helpers/backends.js'
import {crm, crmAsync} from '../../helpers/cli.js'
import {pgSnapshot, seedFirstBatch, seedSecondBatch} from '../../helpers/pg-import-seed.js'

// h1 on PostgreSQL, on books seeded with plain INSERTs (the PostgreSQL import is built elsewhere):
// test/e2e/import-undo.test.ts runs the same cases through crm on both backends once it is.

const books: Book[] = []
const open: PgDatabase[] = []
afterAll(() => {
  for (const db of open) db.close()
  for (const book of books) book.cleanup()
})

function seeded(): {db: PgDatabase; url: string; afterFirst: string} {
  const book = POSTGRES.book()
  books.push(book)
  const target = dbTarget(book.db)
  if (target.kind !== 'postgres') throw new Error('not a PostgreSQL book')
  const db = openPostgres(target)
  open.push(db)
  seedFirstBatch(db)
  const afterFirst = pgSnapshot(db)
  seedSecondBatch(db)
  return {db, url: book.db, afterFirst}
}

const options = {force: false, dryRun: false, actor: 'tester', command: 'crm import undo'}

/**
 * The undo writes an audit entry: until the PostgreSQL audit log (another part of issue 18) is merged, the undo
 * says it does not run yet, and the test is skipped, loudly, rather than passed.
 */
function undo(ctx: TestContext, db: PgDatabase, batch: number, more: Partial<typeof options> = {}): UndoResult {
  try {
    return undoImport(db, {...options, ...more, batch})
  } catch (error) {
    if (error instanceof UserError && /auditRepository does not run on a PostgreSQL book yet/.test(error.message)) {
      process.stderr.write(`!!! skipped until the PostgreSQL audit log is merged: ${ctx.task.name}\n`)
      ctx.skip()
    }
    throw error
  }
}

describePostgres('import history', () => {
  it('lists the batches newest first, instants as the SQLite book stores them, and counts them', () => {
    const {db} = seeded()
    const history = importHistoryRepository(db)
    const list = [...history.list(undefined)]
    expect(list.map((b) => [b.id, b.kind, b.status, b.inserted, b.updated, b.unchanged])).toEqual([
      [2, 'customers', 'complete', 1, 1, 1],
      [1, 'customers', 'complete', 3, 0, 0],
    ])
    expect(list[1]).toMatchObject({startedAt: '2026-11-29T08:00:00.000Z', finishedAt: '2026-11-29T08:00:01.000Z'})
    expect(list[1].undoneAt).toBeNull()
    expect([...history.list(1)].map((b) => b.id)).toEqual([2])
    expect(history.count()).toBe(2)
    expect(history.find(3)).toBeUndefined()
  })

  it('gives the reject examples its completion recorded, and null for a batch that recorded none', () => {
    const {db} = seeded()
    const history = importHistoryRepository(db)
    expect(history.rejectExamples(1)).toEqual([{line: 5, field: 'id_number', reason: 'check digit should be X, not 9'}])
    expect(history.rejectExamples(2)).toBeNull()
    expect(history.journalled(2)).toBe(1)
  })

  it('names the customers something changed after a batch, with what did', () => {
    const {db} = seeded()
    const history = importHistoryRepository(db)
    const batch = history.find(2)!
    expect([...history.laterChanges(batch)]).toEqual([])
    db.exec(`INSERT INTO contacts (customer_id, at, channel, direction, purpose, notes_key, logged_at)
      VALUES ('C4', '2026-11-29 12:00', 'phone', 'out', 'review', '', '2026-11-29T12:00:00Z');
      INSERT INTO customer_changes (customer_id, batch_id, old_values) VALUES ('C1', 3, '{"branch": "B9"}');
      UPDATE customers SET erased_at = now() WHERE customer_id = 'C1';
      INSERT INTO classification_runs (id, scheme, scheme_version, scheme_hash, scheme_text, tiers, as_of, created_at,
        actor, customers, skipped) VALUES (1, 's', '1', 'h', '', '[]', '2026-11-29', '2026-11-29T07:00:00Z', 't', 2, 0),
        (2, 's', '1', 'h', '', '[]', '2026-11-29', '2026-11-29T09:30:00Z', 't', 1, 0);
      INSERT INTO classification_results (customer_id, run_id, tier, reason) VALUES ('C2', 1, 'a', ''), ('C3', 1, 'a', ''),
        ('C3', 2, 'a', '')`)
    // C2 was placed only by a run before the batch; C3 by one after, but batch 2 did not touch C3.
    expect([...history.laterChanges(batch)]).toEqual([
      {ref: 1, customerId: 'C1', name: '王芳', type: 'individual', reasons: ['changed', 'erased']},
      {ref: 4, customerId: 'C4', name: '赵六', type: 'individual', reasons: ['contacts']},
    ])
    db.exec(`INSERT INTO classification_results (customer_id, run_id, tier, reason) VALUES ('C4', 2, 'a', '')`)
    expect([...history.laterChanges(batch)].map((c) => c.reasons)).toEqual([
      ['changed', 'erased'],
      ['contacts', 'classified'],
    ])
  })
})

describePostgres('import undo', () => {
  it('removes what the batch added and puts back what it changed, exactly, audited with what it overwrote', (ctx) => {
    const {db, afterFirst} = seeded()
    const result = undo(ctx, db, 2)
    expect(result).toMatchObject({removedCustomers: 1, restoredCustomers: 1, keptAsDeleted: 0, dryRun: false})
    const [customers, contacts] = pgSnapshot(db).split('\n')
    expect([customers, contacts]).toEqual(afterFirst.split('\n').slice(0, 2))
    const audit = db.get<{id: number; rows: number; details: string}>(
      `SELECT id, rows, details FROM audit_log WHERE action = 'import.undo'`,
    )!
    expect(JSON.parse(audit.details)).toMatchObject({batch: 2, removedCustomerIds: ['C4'], status: 'complete'})
    expect(
      db.all('SELECT customer_id, batch_id, audit_id, old_values FROM customer_changes').map((r) => ({
        ...r,
        old_values: JSON.parse(r.old_values as string),
      })),
    ).toEqual([
      {
        customer_id: 'C1',
        batch_id: null,
        audit_id: audit.id,
        old_values: {branch: 'B9', aum_fen: 15000, updated_batch_id: 2},
      },
    ])
    expect(importHistoryRepository(db).find(2)?.status).toBe('undone')
  })

  it('reads each journalled value back in its column type: a day, money as digits, kept columns as JSON text', (ctx) => {
    const {db} = seeded()
    // As an edit's oldValues may write them: money past 2^53 as digits, extra as JSON text.
    db.exec(`UPDATE customer_changes SET old_values = old_values
        || '{"aum_fen": "9007199254740993", "extra": "{\\"风险\\":\\"低\\"}", "opened_on": "2020-01-02"}';
      UPDATE customers SET extra = '{"风险": "高"}', opened_on = '2021-03-04' WHERE customer_id = 'C1'`)
    undo(ctx, db, 2)
    expect(db.get(`SELECT aum_fen, extra, opened_on::text FROM customers WHERE customer_id = 'C1'`)).toEqual({
      aum_fen: 9007199254740993n,
      extra: '{"风险": "低"}',
      opened_on: '2020-01-02',
    })
  })

  it('--dry-run gives the counts and changes nothing', (ctx) => {
    const {db} = seeded()
    const was = pgSnapshot(db)
    expect(undo(ctx, db, 2, {dryRun: true})).toMatchObject({dryRun: true, removedCustomers: 1, restoredCustomers: 1})
    expect(pgSnapshot(db)).toBe(was)
    expect(db.value(`SELECT count(*) FROM audit_log WHERE action = 'import.undo'`)).toBe(0)
  })

  it('refuses a later-changed customer, naming it masked, and --force keeps an added one as deleted', (ctx) => {
    const {db} = seeded()
    db.exec(`INSERT INTO contacts (customer_id, at, channel, direction, purpose, notes_key, logged_at)
      VALUES ('C4', '2026-11-29 12:00', 'phone', 'out', 'review', '', '2026-11-29T12:00:00Z')`)
    const was = pgSnapshot(db)
    expect(() => undo(ctx, db, 2)).toThrow(/C4 赵\* \(contacts\)/)
    expect(pgSnapshot(db)).toBe(was)
    expect(undo(ctx, db, 2, {force: true})).toMatchObject({removedCustomers: 0, keptAsDeleted: 1, laterChanges: 1})
    expect(db.value(`SELECT deleted_at IS NOT NULL FROM customers WHERE customer_id = 'C4'`)).toBe(true)
  })

  it("never brings an erased customer's personal fields back", (ctx) => {
    const {db} = seeded()
    db.exec(`UPDATE customer_changes SET old_values = old_values || '{"name": "王芳", "phone": "13812345678"}';
      UPDATE customers SET name = '', phone = NULL, erased_at = now() WHERE customer_id = 'C1'`)
    undo(ctx, db, 2, {force: true})
    expect(db.get(`SELECT name, phone, branch FROM customers WHERE customer_id = 'C1'`)).toEqual({
      name: '',
      phone: null,
      branch: 'B1',
    })
  })

  it('undoes a contact batch: its contacts go, the follow-ups they closed reopen unless a later one answers', (ctx) => {
    const {db} = seeded()
    // C2: a follow-up (1) closed by batch 3's contact (2). C3: one (3) closed by batch 3's (4), answered again later (5).
    db.exec(`INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status)
        VALUES (3, 'contacts', 'c.csv', 'x', 'insert', 'tester', '2026-11-29T10:00:00Z', 'complete');
      INSERT INTO contacts (customer_id, id, at, channel, direction, purpose, notes_key, follow_up_on, import_batch_id,
        logged_at) VALUES
        ('C2', 1, '2026-11-20 10:00', 'phone', 'out', 'review', '', '2026-11-25', NULL, '2026-11-20T02:00:00Z'),
        ('C2', 2, '2026-11-22 10:00', 'phone', 'out', 'review', '', NULL, 3, '2026-11-29T10:00:00Z'),
        ('C3', 3, '2026-11-20 10:00', 'phone', 'out', 'review', '', '2026-11-25', NULL, '2026-11-20T02:00:00Z'),
        ('C3', 4, '2026-11-21 10:00', 'visit', 'out', 'review', '', NULL, 3, '2026-11-29T10:00:00Z'),
        ('C3', 5, '2026-11-23 10:00', 'branch', 'in', 'service', '', NULL, NULL, '2026-11-19T02:00:00Z');
      UPDATE contacts SET follow_up_closed_by = 2, follow_up_closed_at = '2026-11-29T10:00:00Z' WHERE id = 1;
      UPDATE contacts SET follow_up_closed_by = 4, follow_up_closed_at = '2026-11-29T10:00:00Z' WHERE id = 3`)
    expect(undo(ctx, db, 3)).toMatchObject({kind: 'contacts', removedContacts: 2, reopenedFollowUps: 1})
    expect(
      db.rows('SELECT id, follow_up_closed_by, follow_up_closed_at IS NOT NULL FROM contacts ORDER BY id'),
    ).toEqual([
      [1, null, false],
      [3, 5, true],
      [5, null, false],
    ])
  })

  it('refuses an undone batch, and of two undos of one batch at once one wins and the other says it is undone', async (ctx) => {
    const {db, url} = seeded()
    undo(ctx, db, 2, {dryRun: true})
    const exits = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<{code: number | null; stderr: string}>((resolve) => {
            const child = crmAsync(['import', 'undo', '2', '--db', url])
            let stderr = ''
            child.stderr.on('data', (d) => {
              stderr += d
            })
            child.on('exit', (code) => resolve({code, stderr}))
          }),
      ),
    )
    expect(exits.map((e) => e.code).sort()).toEqual([0, 2])
    expect(exits.find((e) => e.code === 2)?.stderr).toContain('undone already')
    expect(db.value(`SELECT count(*) FROM audit_log WHERE action = 'import.undo'`)).toBe(1)
    expect(crm(['import', 'undo', '2', '--db', url]).stderr).toContain('undone already')
  })
})
