import Database from 'better-sqlite3'
import {afterAll, describe, expect, it} from 'vitest'
import {type CliResult, crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {scratchIn} from '../helpers/scratch.js'

// f1: findings of the hostile review of import undo and the customer import journal.

const temp = tempDir()
afterAll(() => temp.cleanup())
const scratch = scratchIn(temp.dir)

function run(db: string, ...args: string[]): CliResult {
  return crm([...args, '--db', db])
}

function ok(result: CliResult): CliResult {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
  return result
}

function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const d = new Database(db, {readonly: true})
  const result = d.prepare(sql).all(...params) as T[]
  d.close()
  return result
}

const COMPANY = 'customer_id,name,type\nA1,甲公司,对公\n'
const CONTACT = 'customer_id,at,channel,purpose,notes\nA1,2026-11-01 10:00,phone,review,note A\n'

/** A customer (batch 1) and a contacts batch (batch 2) with one contact, id 1. */
function contactBatch(): string {
  const db = scratch.db()
  ok(run(db, 'customer', 'import', scratch.file('c.csv', COMPANY)))
  ok(run(db, 'contact', 'import', scratch.file('k.csv', CONTACT)))
  return db
}

describe('undoing a contacts batch whose contacts were edited or deleted since', () => {
  it.each([
    ['edited', ['contact', 'edit', '1', '--set', 'notes=client agreed, keep']],
    ['deleted', ['contact', 'delete', '1']],
  ])('is refused (exit 3) when one was %s, naming the customer, and the contact stays', (_, change) => {
    const db = contactBatch()
    ok(run(db, ...change))
    const before = query(db, 'SELECT * FROM contacts')
    const refused = run(db, 'import', 'undo', '2')
    expectHandled(refused, 3)
    expect(refused.stderr).toContain('A1')
    expect(refused.stderr).toContain('contact_edited')
    expect(query(db, 'SELECT * FROM contacts')).toEqual(before)
  })

  it('is refused by the dry run too', () => {
    const db = contactBatch()
    ok(run(db, 'contact', 'edit', '1', '--set', 'notes=client agreed, keep'))
    expectHandled(run(db, 'import', 'undo', '2', '--dry-run'), 3)
  })

  it('goes ahead under --force and says what it overrode', () => {
    const db = contactBatch()
    ok(run(db, 'contact', 'edit', '1', '--set', 'notes=client agreed, keep'))
    const result = json<{laterChanges?: number; later_changes?: number}>(
      ok(run(db, 'import', 'undo', '2', '--force', '--json')),
    )
    expect(result.later_changes ?? result.laterChanges).toBe(1)
    expect(query(db, 'SELECT id FROM contacts')).toEqual([])
  })
})

describe('a forced undo of a contacts batch', () => {
  it('leaves a follow-up closed when a later contact outside the batch answers it', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('c.csv', COMPANY)))
    const header = 'customer_id,at,channel,purpose,notes,follow_up_on\n'
    ok(
      run(db, 'contact', 'import', scratch.file('f.csv', `${header}A1,2026-10-01 10:00,phone,review,ask,2026-10-20\n`)),
    )
    ok(run(db, 'contact', 'import', scratch.file('a.csv', `${header}A1,2026-10-05 10:00,visit,review,answer,\n`)))
    ok(run(db, 'contact', 'import', scratch.file('l.csv', `${header}A1,2026-10-09 10:00,phone,review,later,\n`)))
    const later = query<{id: number}>(db, "SELECT id FROM contacts WHERE notes = 'later'")[0].id
    const undone = json<Record<string, number>>(ok(run(db, 'import', 'undo', '3', '--force', '--json')))
    expect(undone.reopened_follow_ups ?? undone.reopenedFollowUps).toBe(0)
    const followUp = query<{by: number | null; at: string | null}>(
      db,
      "SELECT follow_up_closed_by AS by, follow_up_closed_at AS at FROM contacts WHERE notes = 'ask'",
    )
    expect(followUp).toEqual([{by: later, at: expect.any(String)}])
  })

  it('reopens it when no later contact answers it', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('c.csv', COMPANY)))
    const header = 'customer_id,at,channel,purpose,notes,follow_up_on\n'
    ok(
      run(db, 'contact', 'import', scratch.file('f.csv', `${header}A1,2026-10-01 10:00,phone,review,ask,2026-10-20\n`)),
    )
    ok(run(db, 'contact', 'import', scratch.file('a.csv', `${header}A1,2026-10-05 10:00,visit,review,answer,\n`)))
    const undone = json<Record<string, number>>(ok(run(db, 'import', 'undo', '3', '--json')))
    expect(undone.reopened_follow_ups ?? undone.reopenedFollowUps).toBe(1)
    expect(query(db, "SELECT follow_up_closed_by AS by FROM contacts WHERE notes = 'ask'")).toEqual([{by: null}])
  })
})

const BOOK = 'customer_id,name,type,branch,aum\nC1,王芳,个人,B1,100\nC2,某公司,企业,B2,300\n'
const UPDATE = 'customer_id,name,type,branch,aum\nC1,王芳,个人,B9,150\nC4,赵六,个人,B2,400\n'

describe("an undo's audit entry", () => {
  it('keeps the values it overwrote in the journal under its id, and names the customers it removed', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
    ok(run(db, 'customer', 'import', scratch.file('update.csv', UPDATE)))
    ok(run(db, 'import', 'undo', '2'))
    const [entry] = query<{id: number; details: string}>(
      db,
      "SELECT id, details FROM audit_log WHERE action = 'import.undo'",
    )
    const details = JSON.parse(entry.details)
    expect(details).toMatchObject({
      restoredCustomers: 1,
      overwrittenValues: 'customer_changes',
      removedCustomerIds: ['C4'],
      removedIdsComplete: true,
    })
    const journal = query<{customer_id: string; old_values: string}>(
      db,
      'SELECT c.customer_id, j.old_values FROM customer_changes j JOIN customers c ON c.id = j.customer_ref WHERE j.audit_id = ?',
      entry.id,
    )
    expect(journal.map((j) => [j.customer_id, JSON.parse(j.old_values)])).toEqual([
      ['C1', {branch: 'B9', aum_fen: 15000, updated_batch_id: 2}],
    ])
  })

  it('is found by audit list --customer for a customer whose values it put back', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
    ok(run(db, 'customer', 'import', scratch.file('update.csv', UPDATE)))
    ok(run(db, 'import', 'undo', '2'))
    const entries = json<{action: string}[]>(ok(run(db, 'audit', 'list', '--customer', 'C1', '--json')))
    expect(entries.map((e) => e.action)).toContain('import.undo')
  })

  it('does not make undoing the batch before it a refused one (undo in reverse order)', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('book.csv', BOOK)))
    ok(run(db, 'customer', 'import', scratch.file('update.csv', UPDATE)))
    ok(run(db, 'import', 'undo', '2'))
    ok(run(db, 'import', 'undo', '1'))
    expect(query(db, 'SELECT * FROM customers')).toEqual([])
  })
})

describe('re-importing the file of an undone interrupted batch', () => {
  it('is a new import, not the completion of the undone batch', () => {
    const db = scratch.db()
    const file = scratch.file('book.csv', BOOK)
    ok(run(db, 'customer', 'import', file))
    const d = new Database(db)
    d.prepare("UPDATE import_batches SET status = 'interrupted', finished_at = NULL WHERE id = 1").run()
    d.close()
    ok(run(db, 'import', 'undo', '1'))
    const again = ok(run(db, 'customer', 'import', file, '--json'))
    expect(again.stderr).not.toContain('Completing')
    expect(json<Record<string, unknown>>(again)).toMatchObject({inserted: 2})
    expect(query(db, 'SELECT completes_batch FROM import_batches WHERE id = 2')).toEqual([{completes_batch: null}])
  })
})

/** A file that names X1 first and last, far enough apart to fall in different blocks. */
function repeatedFile(last: string): string {
  const lines = ['customer_id,name,type,branch,rm', 'X1,甲,对公,B1,RM0001']
  for (let i = 0; i < 6000; i++) lines.push(`Z${String(i).padStart(5, '0')},公司${i},对公,B2,RM0002`)
  lines.push(last)
  return `${lines.join('\n')}\n`
}

describe('a customer id repeated in different blocks of one file', () => {
  it('leaves an identical re-import unchanged: no update, no journal row, no dry-run change', () => {
    const db = scratch.db()
    const file = scratch.file('dup.csv', repeatedFile('X1,甲,对公,B1,RM0009'))
    ok(run(db, 'customer', 'import', file))
    const dry = ok(run(db, 'customer', 'import', file, '--dry-run', '--json'))
    expect(json<Record<string, unknown>>(dry)).toMatchObject({updated: 0, unchanged: 6001, duplicates: 1})
    expect(dry.stdout).not.toContain('RM0009 → RM0009')
    const again = json<Record<string, unknown>>(ok(run(db, 'customer', 'import', file, '--json')))
    expect(again).toMatchObject({inserted: 0, updated: 0, unchanged: 6001, duplicates: 1})
    expect(query(db, 'SELECT * FROM customer_changes')).toEqual([])
    expect(query(db, "SELECT rm, updated_batch_id AS b FROM customers WHERE customer_id = 'X1'")).toEqual([
      {rm: 'RM0009', b: 1},
    ])
  })

  it('journals only the fields the later row really changed', () => {
    const db = scratch.db()
    ok(run(db, 'customer', 'import', scratch.file('dup.csv', repeatedFile('X1,甲,对公,B1,RM0009'))))
    const moved = json<Record<string, unknown>>(
      ok(run(db, 'customer', 'import', scratch.file('moved.csv', repeatedFile('X1,甲,对公,B7,RM0009')), '--json')),
    )
    expect(moved).toMatchObject({updated: 1, duplicates: 1})
    const journal = query<{old_values: string}>(db, 'SELECT old_values FROM customer_changes')
    expect(journal.map((j) => JSON.parse(j.old_values))).toEqual([{branch: 'B1', updated_batch_id: 1}])
  })
})
