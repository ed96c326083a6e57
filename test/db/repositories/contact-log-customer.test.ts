import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'
import type {NewContact} from '../../../src/core/contact.js'
import {migrate} from '../../../src/db/migrations.js'
import {contactRepository} from '../../../src/db/repositories/contacts.js'
import {customerRepository} from '../../../src/db/repositories/customers.js'
import {ExitCode, UserError} from '../../../src/errors.js'

// contact log looks the customer up before its prompts; another process may delete, erase or remove the customer
// while "Log this contact?" is open. The write itself must refuse it (exit 4), storing nothing and auditing nothing.

function book(): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.prepare(
    `INSERT INTO import_batches (id, kind, file_name, sha256, mode, actor, started_at, status) VALUES (1, 'customers', 'a.csv', '', 'upsert', 't', '2026-11-28T00:00:00Z', 'complete')`,
  ).run()
  db.prepare(
    "INSERT INTO customers (customer_id, name, type, rm, extra, created_batch_id, updated_batch_id) VALUES ('C1', '王小明', 'individual', 'RM1', '{}', 1, 1)",
  ).run()
  return db
}

const contact: NewContact = {
  customerId: 'C1',
  at: '2026-11-20T15:30:00',
  channel: 'phone',
  direction: 'out',
  purpose: 'review',
  outcome: null,
  rm: 'RM1',
  notes: '客户身份证 110105198001010008',
  followUpOn: null,
}
const who = {actor: 't', command: 'crm contact log'}

const meanwhile: Record<string, (db: Database.Database) => void> = {
  deleted: (db) => db.prepare("UPDATE customers SET deleted_at = '2026-11-30T00:00:00Z'").run(),
  erased: (db) =>
    db
      .prepare(
        "UPDATE customers SET name = '', erased_at = '2026-11-30T00:00:00Z', deleted_at = '2026-11-30T00:00:00Z'",
      )
      .run(),
  vanished: (db) => db.prepare('DELETE FROM customers').run(),
}

describe('contactRepository.log re-checks the customer inside its write', () => {
  it('logs against a live customer', () => {
    const db = book()
    customerRepository(db).findOrFail('C1')
    expect(contactRepository(db).log(contact, who, true).created).toBe(true)
    expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(1)
  })

  for (const [what, change] of Object.entries(meanwhile))
    it(`refuses a customer ${what} after it was looked up (exit 4, nothing written)`, () => {
      const db = book()
      customerRepository(db).findOrFail('C1')
      change(db)
      const audits = db.prepare('SELECT count(*) FROM audit_log').pluck().get()
      let thrown: unknown
      try {
        contactRepository(db).log(contact, who, true)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(UserError)
      expect((thrown as UserError).exitCode).toBe(ExitCode.NotFound)
      expect((thrown as UserError).message).toContain('C1')
      expect((thrown as UserError).message).not.toContain('110105198001010008')
      expect(db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(0)
      expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(audits)
    })
})
