import {afterAll, beforeAll, expect, it} from 'vitest'
import type {NewContact} from '../../../src/core/contact.js'
import {openPostgres} from '../../../src/db/connection.js'
import type {PgDatabase} from '../../../src/db/postgres/connection.js'
import {contactEditRepository} from '../../../src/db/repositories/contact-edits.js'
import {contactRepository} from '../../../src/db/repositories/contacts.js'
import {customerEditRepository} from '../../../src/db/repositories/customer-edits.js'
import {dbTarget} from '../../../src/db/target.js'
import {contactRecord} from '../../../src/io/contact-views.js'
import {type Book, describePostgres, POSTGRES} from '../../helpers/backends.js'
import {seedCustomers, seedRecords} from '../../helpers/seed.js'

// The PostgreSQL repositories of contacts and edits, called directly (the commands need customers' too).
describePostgres('contacts and edits on PostgreSQL', () => {
  let book: Book
  let db: PgDatabase
  const who = {actor: 'test', command: 'crm test'}
  const contact = (over: Partial<NewContact>): NewContact => ({
    customerId: 'C1',
    at: '2026-01-01T10:00:00',
    channel: 'phone',
    direction: 'out',
    purpose: 'review',
    outcome: null,
    rm: 'RM01',
    notes: null,
    followUpOn: null,
    ...over,
  })
  beforeAll(() => {
    book = POSTGRES.book()
    seedCustomers(
      book,
      seedRecords(['customer_id,name,type,phone', 'C1,王伟,individual,17612348055', 'C2,李娜,individual,']),
    )
    const target = dbTarget(book.db)
    if (target.kind !== 'postgres') throw new Error('not postgres')
    db = openPostgres(target)
  })
  afterAll(() => {
    db?.close()
    book?.cleanup()
  })

  it('logs a contact once, closes the follow-up it answers, and writes records as JSON.stringify(contactRecord)', () => {
    const contacts = contactRepository(db)
    const asked = contacts.log(contact({followUpOn: '2099-01-01', notes: 'ring 13912345678 "q"\n\t\\ 🙂'}), who, true)
    expect(
      contacts.log(contact({followUpOn: '2099-01-01', notes: 'ring 13912345678 "q"\n\t\\ 🙂'}), who, true),
    ).toEqual({...asked, created: false})
    const answer = contacts.log(contact({at: '2026-01-02T10:00:00', channel: 'visit'}), who, true)
    expect(answer.closed).toBe(1)
    expect(contacts.find(asked.id)).toMatchObject({followUpClosedBy: answer.id, at: '2026-01-01T10:00:00'})
    for (const reveal of [false, true]) {
      const written = [...contacts.eachWritten({}, {reveal}, '\n')].map((p) => Buffer.from(p.bytes).toString())
      const expected = contacts.list({}).map((c) => JSON.stringify(contactRecord(c, {reveal})))
      expect(written.join('\n')).toBe(expected.join('\n'))
    }
    expect(contacts.list({search: {text: '13912345678', revealed: false}})).toEqual([])
    expect(contacts.list({search: {text: 'RING', revealed: false}}).map((c) => c.id)).toEqual([asked.id])
  })

  it('deletes a contact and reopens what it answered; an edit of its time closes again', () => {
    const contacts = contactRepository(db)
    const edits = contactEditRepository(db)
    const asked = contacts.log(contact({customerId: 'C2', followUpOn: '2099-02-01'}), who, true)
    const answer = contacts.log(contact({customerId: 'C2', at: '2026-01-05T09:00:00'}), who, true)
    expect(answer.closed).toBe(1)
    const stored = edits.find(answer.id)!
    edits.edit(stored, [{field: 'at', old: stored.values.at, new: '2025-12-31T09:00:00'}], who)
    expect(contacts.find(asked.id)?.followUpClosedAt).toBeNull()
    expect(edits.delete(edits.find(answer.id)!, who).reopened).toEqual([])
    expect(contacts.countDue(null, '2099-12-31', {})).toBeGreaterThanOrEqual(1)
    expect([...contacts.eachDue(null, '2099-12-31', {})].map((d) => d.contactId)).toContain(asked.id)
  })

  it('erases a customer: personal fields, notes, the journal and the audit log hold none of its values', () => {
    const customers = customerEditRepository(db)
    const c1 = customers.find('C1')!
    customers.edit(c1, [{field: 'phone', old: '17612348055', new: '13900001111'}], who)
    const done = customers.erase(customers.find('C1')!, who)
    expect(done).toMatchObject({again: false, journalRows: 1})
    const stored = ['customers', 'contacts', 'audit_log', 'customer_changes']
      .flatMap((t) => db.rows<[string]>(`SELECT t::text FROM ${t} t`))
      .join('\n')
    for (const secret of ['王伟', '17612348055', '13900001111', '13912345678']) expect(stored).not.toContain(secret)
    expect(() => contactRepository(db).log(contact({at: '2026-03-01T10:00:00'}), who, true)).toThrow(/was erased/)
  })
})
