import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {describeBackends} from '../helpers/backends.js'
import {crm, json, ROOT} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {seededBook} from '../helpers/pg-seed.js'

// The audit log read back: filters, masking, --reveal recorded, control characters shown, streamed formats.
describeBackends('audit list', (backend) => {
  const temp = backend.book()
  afterAll(temp.cleanup)
  const env = {CRM_DB: temp.db}

  interface Entry {
    id: number
    at: string
    actor: string
    command: string
    action: string
    rows: number
    details: Record<string, unknown>
  }
  const entries = (args: string[]) => json<Entry[]>(crm(['audit', 'list', '--json', ...args], {env}))

  // The entries are written on SQLite (its commands run on a SQLite book only as yet), and copied to PostgreSQL.
  beforeAll(() =>
    seededBook(temp, backend.name === 'postgres', (file) => {
      const env = {CRM_DB: file}
      expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv')], {env}).code).toBe(0)
      const log = ['contact', 'log', '--customer', 'C100000002', '--channel', 'phone', '--purpose', 'service']
      expect(crm([...log, '--note', 'rang 19429994133', '--actor', 'wang.fang'], {env}).code).toBe(0)
      expect(crm(['customer', 'show', 'C100000001', '--reveal'], {env}).code).toBe(0)
      const contacts = join(temp.dir, 'contacts.csv')
      writeFileSync(
        contacts,
        'customer_id,at,channel,direction,purpose\nC100000003,2026-11-02 10:00,phone,out,review\n',
      )
      expect(crm(['contact', 'import', contacts], {env}).code).toBe(0)
      expect(crm(['customer', 'list', '--search', '310104198509101382', '--reveal'], {env}).code).toBe(0)
      // What another program (or an earlier crm) may have written: an entry with old personal values, a control
      // character in its actor and command, details that are not JSON, and a day long ago.
      const db = new Database(file)
      const insert = db.prepare(
        'INSERT INTO audit_log (at, actor, os_user, command, action, rows, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      insert.run(
        '2026-01-15T03:00:00.000Z',
        'li\u001b[2Jsi',
        'li',
        'crm customer edit\u0007',
        'customer.edit',
        1,
        JSON.stringify({customer_id: 'C100000001', old: {phone: '13913034868', name: '叶兰'}}),
      )
      insert.run('2025-06-01T03:00:00.000Z', 'old', null, 'crm ?', 'mystery', 0, 'not json 13913034868')
      db.close()
    }),
  )

  describe('crm audit list', () => {
    it('lists every entry, newest first', () => {
      const all = entries([])
      expect(all.length).toBeGreaterThanOrEqual(6)
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a))
    })

    it('filters by actor, case-insensitively', () => {
      const byWang = entries(['--actor', 'WANG.FANG'])
      expect(byWang.map((e) => e.action)).toEqual(['contact.log'])
    })

    it('filters by command as typed or by action, an action matching its sub-actions', () => {
      const typed = entries(['--command', 'customer import'])
      expect(typed.map((e) => e.action).sort()).toEqual(['customer.import', 'customer.import.complete'])
      expect(entries(['--command', 'customer.import.complete']).map((e) => e.action)).toEqual([
        'customer.import.complete',
      ])
      expect(entries(['--command', 'crm contact log'])).toHaveLength(1)
    })

    it('filters by dates, both inclusive', () => {
      const january = entries(['--since', '2026-01-01', '--until', '2026-01-31'])
      expect(january.map((e) => e.action)).toEqual(['customer.edit'])
      expect(entries(['--until', '2025-12-31']).map((e) => e.action)).toEqual(['mystery'])
    })

    it('refuses a date that is not one, naming the flag, with exit 2', () => {
      const result = crm(['audit', 'list', '--since', '2026-02-30'], {env})
      expectHandled(result, 2)
      expect(result.stderr).toContain('--since')
    })

    it('gives the entries that touched a customer: its import batch, its contacts, its reveals and edits', () => {
      const touched = entries(['--customer', 'C100000001'])
      expect(touched.map((e) => e.action).sort()).toEqual([
        'customer.edit',
        'customer.import',
        'customer.import.complete',
        'customer.reveal',
      ])
      const other = entries(['--customer', 'C100000002'])
      expect(other.map((e) => e.action).sort()).toEqual(['contact.log', 'customer.import', 'customer.import.complete'])
    })

    it('counts a contact import batch as touching the customers whose contacts it added, and no other', () => {
      const third = entries(['--customer', 'C100000003']).map((e) => e.action)
      expect(third).toContain('contact.import.complete')
      expect(entries(['--customer', 'C100000001']).map((e) => e.action)).not.toContain('contact.import.complete')
    })

    it('says no such customer with exit 4, for a customer never in the book', () => {
      const result = crm(['audit', 'list', '--customer', 'C999'], {env})
      expectHandled(result, 4)
      expect(result.stderr).toContain('C999')
    })

    it('masks old personal values, a searched ID number and lookalikes in details', () => {
      const out = crm(['audit', 'list', '--format', 'ndjson'], {env}).stdout
      expect(out).not.toContain('13913034868')
      expect(out).not.toContain('310104198509101382')
      expect(out).not.toContain('叶兰')
      expect(out).toContain('139****4868')
      const csv = crm(['audit', 'list', '--format', 'csv'], {env}).stdout
      expect(csv).not.toContain('13913034868')
      expect(csv.split('\n')[0]).toBe('id,at,actor,os_user,command,action,rows,details')
    })

    it('shows them with --reveal, and records the reveal with the entries shown', () => {
      const before = entries([]).length
      const result = crm(['audit', 'list', '--reveal', '--format', 'ndjson', '--command', 'customer.edit'], {env})
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('13913034868')
      const reveal = entries(['--command', 'audit.reveal'])[0]
      expect(reveal.details).toMatchObject({status: 'complete', filter: {action: 'customer.edit'}})
      expect(reveal.rows).toBe(1)
      expect(entries([]).length).toBe(before + 1)
    })

    it('escapes control characters in actors and commands on a terminal table, never obeying them', () => {
      const table = crm(['audit', 'list', '--format', 'table'], {env}).stdout
      expect(table).not.toContain('\u001b')
      expect(table).not.toContain('\u0007')
      expect(table).toContain('li\\e[2Jsi')
    })

    it('keeps --json valid, with the control characters as data', () => {
      const edit = entries(['--command', 'customer.edit'])[0]
      expect(edit.actor).toBe('li\u001b[2Jsi')
    })

    it('shows details that are not JSON as text, masked', () => {
      const [mystery] = entries(['--command', 'mystery'])
      expect(mystery.details).toBe('not json 139****4868')
    })

    it('takes --limit', () => {
      expect(entries(['--limit', '2'])).toHaveLength(2)
    })
  })
})
