import type {CrmDatabase} from '../db/connection.js'
import type {FieldValue} from '../core/row-validator.js'
import {type CustomerWriter, customerWriter} from '../db/repositories/customer-import.js'
import type {ReadBlock} from '../io/import-reader.js'
import type {RejectedRow} from '../io/reject-writer.js'
import {
  emptyReport,
  type ImportOptions,
  type ImportReport,
  ImportRun,
  runImport,
  type Slice,
  type StartMessage,
  slicesOf,
} from './import-run.js'
import {en} from '../core/messages.js'
import {summarizeChanges} from '../core/field-changes.js'
import {journalReader} from '../db/repositories/customer-journal.js'
import {ExitCode, UserError} from '../errors.js'

/** Examples a dry run gives of each field's changes. */
const CHANGE_EXAMPLES = 3
/** The identity guard: more than 1 in 20 (5%) of the existing customers of the first block renamed stops an import. */
const IDENTITY_SHARE = 20
const IDENTITY_FIELDS = ['name', 'id_number'] as const

/**
 * Imports a customer file: rows are upserted on customer_id (or only inserted, or only updated, by --mode),
 * and the aum read from the file is reconciled against what is stored.
 */
export async function importCustomers(db: CrmDatabase, options: ImportOptions): Promise<ImportReport> {
  const report = emptyReport(options)
  return runImport(
    {...options, entity: 'customer', keepCells: options.mode !== 'upsert'},
    report,
    (start) => new CustomerImport(db, options, report, start),
  )
}

class CustomerImport extends ImportRun {
  private readonly writer: CustomerWriter
  private aumRead = 0n
  private aumStored = 0n
  private aumCount = 0
  /**
   * Whether the last slice held only customers new to the table: the next is then tried as a plain insert first (a
   * file of new customers, such as a first import, is written without look-ups or upserts).
   */
  private allNew = true
  /** h1: the undo journal, read for a dry run's list of changes and for the identity guard. */
  private readonly journal: ReturnType<typeof journalReader>
  private guarded = false

  constructor(
    db: CrmDatabase,
    options: ImportOptions,
    report: ImportReport,
    private readonly start: StartMessage,
  ) {
    const writer = customerWriter(db, start.fields, options.mode === 'update-only')
    super(writer, options, report, start)
    this.writer = writer
    this.journal = journalReader(db)
  }

  protected write(block: ReadBlock): void {
    for (const slice of slicesOf(block, this.writer.rowsPerSlice)) this.writeSlice(slice)
    if (!this.guarded) {
      this.guarded = true
      this.guardIdentity()
    }
  }

  /**
   * After the first block (inside its transaction, before anything is committed): when more than 5% of the existing
   * customers it matched would change name or id_number, the id column is almost surely the wrong one, and the import
   * stops, so that nothing is written. A dry run notes it instead; --allow-identity-changes lets it through.
   */
  private guardIdentity(): void {
    const matched = this.report.updated + this.report.unchanged
    if (matched === 0 || this.options.allowIdentityChanges) return
    const changed = this.journal.identityChanges(this.batch)
    const field = IDENTITY_FIELDS.find((f) => changed[f] * IDENTITY_SHARE > matched)
    if (field === undefined) return
    const column = (f: string) => JSON.stringify(this.start.sources[this.start.fields.indexOf(f)] ?? f)
    const message = en('identityChanges', {
      count: changed[field].toLocaleString('en-US'),
      matched: matched.toLocaleString('en-US'),
      rows: this.report.read.toLocaleString('en-US'),
      field,
      column: column(field),
      share: `${((changed[field] / matched) * 100).toFixed(1)}%`,
      idColumn: column('customer_id'),
    })
    if (this.options.dryRun) this.report.identityStop = message
    else throw new UserError(message, ExitCode.BadInput, en('identityChangesHint'))
  }

  /** A dry run of an upsert lists what it would change in stored customers, per field, from the journal it wrote. */
  protected override beforeCommit(): void {
    if (!this.options.dryRun || this.batch === 0) return
    this.report.changes = summarizeChanges(
      this.journal.changes(this.batch, CHANGE_EXAMPLES),
      this.options.reveal ?? false,
    )
  }

  /**
   * Writes a slice: new customers with a plain insert when they all are; else the ids new to this import in bulk
   * (upserted), and repeats of ids it has written already one by one.
   */
  private writeSlice(slice: Slice): void {
    const w = this.writer
    const inserted = this.allNew ? w.insertNew(this.batch, slice.rows) : undefined
    if (inserted !== undefined) {
      this.count(inserted)
      this.addAum(slice.rows, [], inserted.newIdsAfter)
      return
    }
    const writtenBefore = w.writtenBefore(this.batch, slice.rows)
    const fresh: number[] = []
    const repeats: number[] = []
    const deleted = this.refuseDeleted(slice)
    slice.rows.forEach((row, i) => {
      if (!deleted.has(i)) (writtenBefore.has(w.idOf(row)) ? repeats : fresh).push(i)
    })
    const accepted = this.options.mode === 'upsert' ? fresh : this.checkExistence(slice, fresh)
    const rows = accepted.map((i) => slice.rows[i])
    const counts = w.write(this.batch, rows)
    this.count(counts)
    for (const i of repeats) this.rewrite(slice.rows[i], slice.lines[i])
    this.allNew = repeats.length === 0 && counts.inserted === slice.rows.length
    const allInserted = repeats.length === 0 && counts.inserted === rows.length
    this.addAum(
      rows,
      repeats.map((i) => slice.rows[i]),
      allInserted ? counts.newIdsAfter : null,
    )
  }

  /**
   * Adds the aum of rows written (and of repeats rewritten) to the sums read and stored. Rows that were all inserted,
   * after rowid `newIdsAfter`, are read back by their rowids rather than id by id.
   */
  private addAum(rows: readonly FieldValue[][], repeats: readonly FieldValue[][], newIdsAfter: number | null): void {
    const w = this.writer
    if (w.aumAt < 0) return
    const written = repeats.length === 0 ? rows : [...rows, ...repeats]
    for (const row of written) {
      const aum = row[w.aumAt]
      if (aum === null || aum === undefined) continue
      this.aumRead += BigInt(aum)
      this.aumCount++
    }
    this.aumStored += newIdsAfter !== null ? w.storedAumAfter(newIdsAfter) : w.storedAum(written.map(w.idOf))
  }

  /**
   * A customer_id already written by this import: the later row wins. The counts stay those of the customer's
   * net change, so the earlier row becomes the duplicate and the aum sums drop its amount.
   */
  private rewrite(row: readonly FieldValue[], line: number): void {
    const w = this.writer
    const id = w.idOf(row)
    const prior = w.priorState(this.batch, id)
    const counts = w.write(this.batch, [row])
    if (prior === undefined) {
      this.count(counts) // the earlier row's write stored nothing: this row is what the import did with the id
      return
    }
    this.noteDuplicate({customerId: id, line: 0, keptLine: line})
    if (!prior.changedHere && counts.updated === 1) {
      this.report.unchanged--
      this.report.updated++
    } else if (prior.changedHere && counts.updated === 1 && w.unchangedAfterRepeat(this.batch, id)) {
      // f1: the later row put back what the earlier one changed: the customer is unchanged by this import.
      this.report.updated--
      this.report.unchanged++
    }
    if (w.aumAt >= 0 && prior.aum !== null) {
      this.aumRead -= prior.aum
      this.aumStored -= prior.aum
      this.aumCount--
    }
  }

  /**
   * A deleted customer's id is never reused: its rows are rejected, saying so (issue 17 section 2). Returns their
   * indexes. Only a slice that was not all new is asked.
   */
  private refuseDeleted(slice: Slice): Set<number> {
    const w = this.writer
    const deleted = w.deletedIds(slice.rows.map(w.idOf))
    const refused = new Set<number>()
    if (deleted.size === 0) return refused
    const rejected: RejectedRow[] = []
    slice.rows.forEach((row, i) => {
      const id = w.idOf(row)
      if (!deleted.has(id)) return
      refused.add(i)
      const reason = en('importDeletedCustomer', {id})
      rejected.push({line: slice.lines[i], issues: [{field: 'customer_id', reason}], cells: slice.cells[i] ?? []})
    })
    this.reject(rejected)
    return refused
  }

  /** --mode insert refuses ids that exist; --mode update-only refuses ids that do not. */
  private checkExistence(block: Slice, rows: readonly number[]): number[] {
    if (rows.length === 0) return []
    const w = this.writer
    const existing = w.existingIds(rows.map((i) => w.idOf(block.rows[i])))
    const insert = this.options.mode === 'insert'
    const refused: RejectedRow[] = []
    const kept = rows.filter((i) => {
      const id = w.idOf(block.rows[i])
      if (existing.has(id) !== insert) return true
      const reason = insert ? en('customerExists', {id}) : en('customerAbsent', {id})
      refused.push({line: block.lines[i], issues: [{field: 'customer_id', reason}], cells: block.cells[i] ?? []})
      return false
    })
    this.reject(refused)
    return kept
  }

  protected override totals() {
    const hasAum = this.writer.aumAt >= 0
    this.report.aumRead = hasAum ? this.aumRead : null
    this.report.aumStored = hasAum ? this.aumStored : null
    this.report.aumCount = hasAum ? this.aumCount : null
    return super.totals()
  }
}
