import type {Database, Statement} from 'better-sqlite3'
import type {ImportMode} from '../../core/column-plan.js'
import type {FieldValue} from '../../core/customer-row.js'
import {fieldSpec} from '../../core/fields.js'
import {columnFor} from '../columns.js'
import {auditRepository} from './audit.js'

export interface StagedRow {
  readonly line: number
  readonly values: readonly FieldValue[]
  readonly extra: string
}
export interface MergeCounts {
  inserted: number
  updated: number
  unchanged: number
}
export interface Duplicate {
  readonly customerId: string
  readonly line: number
  readonly keptLine: number
}
export interface BatchInfo {
  readonly fileName: string
  readonly sha256: string
  readonly mode: ImportMode
  readonly actor: string
  readonly command: string
  readonly rowsRead: number
  readonly rejected: number
  readonly duplicates: number
}

const ROWS_PER_INSERT = 200
const ROWS_PER_MERGE = 20_000

/**
 * Imports go through a temporary staging table: rows are staged as they are read, duplicates are settled
 * (the later row wins), and only then merged into customers in transactions of ROWS_PER_MERGE rows.
 * An interrupted import leaves earlier merge transactions in and the one in flight out.
 */
export function customerImporter(db: Database, fields: readonly string[]) {
  const columns = fields.map(columnFor)
  const customerIdAt = fields.indexOf('customer_id')
  db.exec('DROP TABLE IF EXISTS temp.import_staging')
  // Declared types give money and counts INTEGER affinity (so sums stay exact) and keep ids as TEXT (leading zeros).
  const declared = fields.map((f, i) => `${columns[i]} ${['money', 'integer'].includes(fieldSpec(f)?.kind ?? '') ? 'INTEGER' : 'TEXT'}`)
  db.exec(`CREATE TEMP TABLE import_staging (line INTEGER NOT NULL, ${declared.join(', ')}, extra TEXT NOT NULL)`)
  const width = columns.length + 2
  const insertSql = (rows: number) =>
    `INSERT INTO temp.import_staging (line, ${columns.join(', ')}, extra) VALUES ${Array.from({length: rows}, () => `(${Array(width).fill('?').join(',')})`).join(',')}`
  const fullInsert = db.prepare(insertSql(ROWS_PER_INSERT))
  const partialInserts = new Map<number, Statement>()
  const params: FieldValue[] = []
  const insertRows = (rows: readonly StagedRow[], from: number, count: number) => {
    params.length = 0
    for (let r = from; r < from + count; r++) {
      const row = rows[r]
      params.push(row.line)
      for (const v of row.values) params.push(v)
      params.push(row.extra)
    }
    let stmt = count === ROWS_PER_INSERT ? fullInsert : partialInserts.get(count)
    if (stmt === undefined) partialInserts.set(count, (stmt = db.prepare(insertSql(count))))
    stmt.run(params)
  }
  const stage = db.transaction((rows: readonly StagedRow[]) => {
    for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) insertRows(rows, from, Math.min(ROWS_PER_INSERT, rows.length - from))
  })

  const existingStmt = db.prepare<[string], {customer_id: string}>(
    'SELECT customer_id FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))')

  const carried = columns.filter((c) => c !== 'customer_id')
  // `from` is the alias of the incoming row: s (staging) or excluded (an upsert's conflicting row).
  const differsFrom = (from: string) => [...carried.map((c) => `c.${c} IS NOT ${from}.${c}`), `json_patch(c.extra, ${from}.extra) IS NOT c.extra`].join(' OR ')
  const setFrom = (from: string) => [...carried.map((c) => `${c} = ${from}.${c}`), `extra = json_patch(c.extra, ${from}.extra)`, 'updated_at = @now', 'import_batch_id = @batch'].join(', ')
  const differs = differsFrom('s')

  return {
    /** Stages validated rows (in one transaction). */
    stage: (rows: readonly StagedRow[]): void => { if (rows.length > 0) stage(rows) },

    /** Which of these ids are already customers (for --mode insert and update-only). */
    existingIds: (ids: readonly string[]): Set<string> => new Set(existingStmt.all(JSON.stringify(ids)).map((r) => r.customer_id)),

    /** Settles ids that appear more than once: keeps the last row of each, reports the others. */
    settleDuplicates(limit: number): {count: number; examples: Duplicate[]} {
      db.exec('CREATE INDEX temp.import_staging_id ON import_staging (customer_id)')
      const examples = db.prepare<[number], {customerId: string; line: number; keptLine: number}>(`
        SELECT s.customer_id AS customerId, s.line AS line,
               (SELECT t.line FROM import_staging t WHERE t.customer_id = s.customer_id ORDER BY t.rowid DESC LIMIT 1) AS keptLine
        FROM import_staging s
        WHERE EXISTS (SELECT 1 FROM import_staging t WHERE t.customer_id = s.customer_id AND t.rowid > s.rowid)
        ORDER BY s.rowid LIMIT ?`).all(limit)
      const count = db.prepare(`DELETE FROM import_staging WHERE EXISTS
        (SELECT 1 FROM import_staging t WHERE t.customer_id = import_staging.customer_id AND t.rowid > import_staging.rowid)`).run().changes
      return {count, examples}
    },

    /** What a merge would do, without doing it (for --dry-run). */
    preview(): MergeCounts {
      const total = db.prepare('SELECT count(*) FROM import_staging').pluck().get() as number
      const {existing, changed} = db.prepare<[], {existing: number; changed: number}>(`
        SELECT count(*) AS existing, coalesce(sum(${differs}), 0) AS changed
        FROM import_staging s JOIN customers c ON c.customer_id = s.customer_id`).get()!
      return {inserted: total - existing, updated: changed, unchanged: existing - changed}
    },

    /** Merges the staged rows into customers, a transaction per chunk, recording the batch and the audit entry. */
    merge(mode: ImportMode, info: BatchInfo, onProgress: (done: number, total: number) => void = () => {}): {batchId: number; counts: MergeCounts} {
      const now = new Date().toISOString()
      const maxRowid = (db.prepare('SELECT coalesce(max(rowid), 0) FROM import_staging').pluck().get() as number)
      const total = db.prepare('SELECT count(*) FROM import_staging').pluck().get() as number
      const counts: MergeCounts = {inserted: 0, updated: 0, unchanged: 0}
      const createBatch = db.prepare(`INSERT INTO import_batches (kind, file_name, sha256, mode, actor, started_at, status, rows_read, rejected, duplicates)
        VALUES ('customers', @fileName, @sha256, @mode, @actor, @now, 'running', @rowsRead, @rejected, @duplicates)`)
      const updateBatch = db.prepare('UPDATE import_batches SET inserted = @inserted, updated = @updated, unchanged = @unchanged WHERE id = @batch')
      const countExisting = db.prepare<{from: number; to: number}>(`SELECT count(*) FROM import_staging s JOIN customers c ON c.customer_id = s.customer_id
        WHERE s.rowid > @from AND s.rowid <= @to`).pluck()
      const countRange = db.prepare<{from: number; to: number}>('SELECT count(*) FROM import_staging WHERE rowid > @from AND rowid <= @to').pluck()
      const insertColumns = `customer_id, ${carried.join(', ')}, extra, created_at, updated_at, import_batch_id`
      const selectColumns = `s.customer_id, ${carried.map((c) => `s.${c}`).join(', ')}, json(s.extra), @now, @now, @batch`
      const range = 's.rowid > @from AND s.rowid <= @to'
      const write = mode === 'update-only'
        ? db.prepare(`UPDATE customers AS c SET ${setFrom('s')} FROM import_staging s WHERE c.customer_id = s.customer_id AND ${range} AND (${differs})`)
        : mode === 'insert'
          ? db.prepare(`INSERT INTO customers (${insertColumns}) SELECT ${selectColumns} FROM import_staging s WHERE ${range} ON CONFLICT (customer_id) DO NOTHING`)
          : db.prepare(`INSERT INTO customers AS c (${insertColumns}) SELECT ${selectColumns} FROM import_staging s WHERE ${range}
              ON CONFLICT (customer_id) DO UPDATE SET ${setFrom('excluded')} WHERE ${differsFrom('excluded')}`)
      const audit = auditRepository(db)
      let batchId = 0
      db.transaction(() => {
        batchId = Number(createBatch.run({...info, now}).lastInsertRowid)
        audit.record({actor: info.actor, command: info.command, action: 'customer.import', rows: 0, details: {batch: batchId, file: info.fileName, sha256: info.sha256, mode}})
      }).immediate()
      let done = 0
      for (let from = 0; from < maxRowid; from += ROWS_PER_MERGE) {
        const bounds = {from, to: from + ROWS_PER_MERGE}
        db.transaction(() => {
          const rows = countRange.get(bounds) as number
          const existing = countExisting.get(bounds) as number
          const changes = write.run({...bounds, now, batch: batchId}).changes
          const inserted = mode === 'update-only' ? 0 : rows - existing
          const updated = mode === 'update-only' ? changes : mode === 'insert' ? 0 : changes - inserted
          counts.inserted += mode === 'insert' ? changes : inserted
          counts.updated += updated
          counts.unchanged += existing - updated
          updateBatch.run({...counts, batch: batchId})
          done += rows
        }).immediate()
        onProgress(done, total)
      }
      return {batchId, counts}
    },

    /** Closes the batch: the aum read from the file against what customers now hold for those ids. */
    complete(batchId: number, actor: string, command: string, counts: MergeCounts): void {
      const totals = this.aumTotals()
      db.transaction(() => {
        db.prepare(`UPDATE import_batches SET status = 'complete', finished_at = ?, aum_read_fen = ?, aum_stored_fen = ? WHERE id = ?`)
          .run(new Date().toISOString(), totals?.read ?? null, totals?.stored ?? null, batchId)
        auditRepository(db).record({actor, command, action: 'customer.import.complete', rows: counts.inserted + counts.updated, details: {batch: batchId, ...counts}})
      }).immediate()
    },

    /** Sum of aum over the staged rows, and over the same customers as stored; undefined when the file carries no aum. */
    aumTotals(): {read: bigint; stored: bigint} | undefined {
      if (!columns.includes('aum_fen')) return undefined
      const read = db.prepare('SELECT coalesce(sum(aum_fen), 0) FROM import_staging').pluck().safeIntegers().get() as bigint
      const stored = db.prepare('SELECT coalesce(sum(c.aum_fen), 0) FROM customers c JOIN import_staging s ON s.customer_id = c.customer_id')
        .pluck().safeIntegers().get() as bigint
      return {read, stored}
    },

    /** The last complete import of a file with this content, if any. */
    previousImport: (sha256: string) => db.prepare<[string], {id: number; finished_at: string}>(
      `SELECT id, finished_at FROM import_batches WHERE sha256 = ? AND status = 'complete' ORDER BY id DESC LIMIT 1`).get(sha256),

    dispose: (): void => { db.exec('DROP TABLE IF EXISTS temp.import_staging') },
    customerIdAt,
  }
}
export type CustomerImporter = ReturnType<typeof customerImporter>
