import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EN_HEADERS, generateCustomers} from '../../bench/generate.js'
import {crm, crmAsync, json, tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)

const TYPE: Record<string, string> = {个人: 'individual', 对公: 'corporate'}
const ID_TYPE: Record<string, string> = {身份证: 'resident_id', 统一社会信用代码: 'uscc'}
const STATUS: Record<string, string> = {正常: 'active', 休眠: 'dormant', 销户: 'closed'}
const MONEY = new Set(['aum', 'deposits', 'loans', 'contribution', 'revenue', 'total_assets'])
const INTEGER = new Set(['overdue_days', 'products', 'txn_count_12m', 'employees'])

/** What crm should hold for a generated cell, worked out here independently of crm's own parsers. */
function expected(field: string, text: string): unknown {
  if (text === '') return INTEGER.has(field) ? null : null
  if (field === 'type') return TYPE[text]
  if (field === 'id_type') return ID_TYPE[text]
  if (field === 'status') return STATUS[text]
  if (INTEGER.has(field)) return Number(text)
  if (MONEY.has(field)) return text
  return text
}

describe('import, then read every customer back', () => {
  const file = join(temp.dir, 'book.csv')
  // Five blocks of 2,500: the reader fills again the buffers the writer has sent back.
  const ROWS = 12_000
  beforeAll(async () => {
    await generateCustomers({rows: ROWS, seed: 42, out: file, headers: 'en'})
  })

  it('returns every field of every customer as it was written', () => {
    expect(crm(['customer', 'import', file, '--db', temp.db]).code).toBe(0)
    const back = json<Record<string, any>[]>(crm(['customer', 'list', '--db', temp.db, '--json', '--reveal']))
    const rows = parse(readFileSync(file), {columns: true}) as Record<string, string>[]
    expect(back).toHaveLength(rows.length)
    const byId = new Map(back.map((c) => [c.customer_id, c]))
    for (const row of rows) {
      const stored = byId.get(row.customer_id)!
      for (const field of EN_HEADERS.slice(0, 25))
        expect([row.customer_id, field, stored[field]]).toEqual([row.customer_id, field, expected(field, row[field])])
      expect(stored.extra).toEqual({risk_appetite: row.risk_appetite, source_channel: row.source_channel})
    }
  })

  it('gives money as a string with exactly two decimals', () => {
    const back = json<Record<string, any>[]>(crm(['customer', 'list', '--db', temp.db, '--json', '--limit', '50']))
    for (const c of back) expect(c.aum).toMatch(/^\d+\.\d{2}$/)
  })

  it('records the reveal in the audit log', () => {
    const db = new Database(temp.db, {readonly: true})
    const reveal = db.prepare("SELECT rows, actor FROM audit_log WHERE action = 'customer.reveal'").get() as {
      rows: number
      actor: string
    }
    db.close()
    expect(reveal.rows).toBe(ROWS)
  })
})

describe('killed at any moment (kill -9)', () => {
  it('keeps earlier transactions, drops the one in flight, and the same import completes it', async () => {
    const big = join(temp.dir, 'big.csv')
    const db = join(temp.dir, 'kill.db')
    await generateCustomers({rows: 120_000, seed: 9, out: big, headers: 'en'})
    const child = crmAsync(['customer', 'import', big, '--db', db])
    // Wait until some transactions have been committed, then kill without warning.
    let committed = 0
    for (let i = 0; i < 400 && committed === 0; i++) {
      await new Promise((r) => setTimeout(r, 25))
      try {
        const peek = new Database(db, {readonly: true, fileMustExist: true})
        committed = (peek.prepare('SELECT count(*) FROM customers').pluck().get() as number) ?? 0
        peek.close()
      } catch {
        // not created yet
      }
    }
    child.kill('SIGKILL')
    await new Promise((r) => child.on('exit', r))

    const after = new Database(db)
    expect(after.pragma('integrity_check', {simple: true})).toBe('ok')
    const stored = after.prepare('SELECT count(*) FROM customers').pluck().get() as number
    const batch = after.prepare('SELECT status, inserted FROM import_batches').get() as {
      status: string
      inserted: number
    }
    after.close()
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThan(120_000)
    expect(batch).toEqual({status: 'running', inserted: stored})

    const again = json<any>(crm(['customer', 'import', big, '--db', db, '--json']))
    expect({read: again.read, inserted: again.inserted, unchanged: again.unchanged, rejected: again.rejected}).toEqual({
      read: 120_000,
      inserted: 120_000 - stored,
      unchanged: stored,
      rejected: 0,
    })
    expect(again.aum_stored).toBe(again.aum_read)
  }, 120_000)
})

describe('reading while an import writes', () => {
  it('lists customers from the same database while a large import runs (WAL)', async () => {
    const big = join(temp.dir, 'concurrent.csv')
    const db = join(temp.dir, 'concurrent.db')
    await generateCustomers({rows: 60_000, seed: 11, out: big, headers: 'en'})
    const child = crmAsync(['customer', 'import', big, '--db', db])
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    let listed: number | undefined
    let importStillRunning = false
    for (let i = 0; i < 400 && listed === undefined; i++) {
      await new Promise((r) => setTimeout(r, 25))
      const peek = crm(['customer', 'list', '--db', db, '--limit', '5', '--json'])
      if (peek.code === 0 && json<unknown[]>(peek).length > 0) {
        listed = json<unknown[]>(peek).length
        importStillRunning = child.exitCode === null
      }
    }
    expect(listed).toBe(5)
    expect(importStillRunning).toBe(true)
    expect(await exited).toBe(0)
  }, 120_000)
})
