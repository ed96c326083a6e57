import type {CrmDatabase} from '../db/connection.js'
import {en} from '../core/messages.js'
import {maskName} from '../core/masking.js'
import {ExitCode, notFound, UserError} from '../errors.js'
import {auditRepository} from '../db/repositories/audit.js'
import {
  type BatchRecord,
  importHistoryRepository,
  type LaterChange,
  type UndoCounts,
} from '../db/repositories/import-history.js'

// h1: import history and undo.

/** Customers named in a refusal or a result: enough to act on, few enough to read. */
const EXAMPLES = 10
/** Removed customers and contacts the undo's audit entry names by id (f1); its counts say how many in all. */
const AUDITED_IDS = 1000

export interface UndoOptions {
  readonly batch: number
  readonly force: boolean
  readonly dryRun: boolean
  readonly actor: string
  readonly command: string
}

export interface UndoResult extends UndoCounts {
  readonly batch: number
  readonly kind: BatchRecord['kind']
  readonly file: string
  readonly dryRun: boolean
  readonly forced: boolean
  /** Customers changed after the batch (what --force overrode), with the first few, names masked. */
  readonly laterChanges: number
  readonly laterChangeExamples: readonly LaterChange[]
}

/** Thrown inside the transaction of a dry run, so that everything it did is rolled back and its counts kept. */
class DryRun {
  constructor(readonly result: UndoResult) {}
}

/** A customer as a message names it: the id, and the name masked when it is a person's. */
function namedCustomer(c: Pick<LaterChange, 'customerId' | 'name' | 'type'>): string {
  const name = shownName(c)
  return name === '' ? c.customerId : `${c.customerId} ${name}`
}

/**
 * Undoes an import batch in one transaction (see importHistoryRepository.undo), audited; refuses an undone or a
 * running batch, and, unless forced, one whose customers something changed since (naming them).
 */
export function undoImport(db: CrmDatabase, options: UndoOptions): UndoResult {
  const history = importHistoryRepository(db)
  const run = () => {
    // Locked: of two undos of one batch at once, the second waits here, then finds it undone.
    const batch =
      history.lock(options.batch) ?? notFound(en('batchNotFound', {batch: options.batch}), en('seeImportList'))
    if (batch.status === 'undone')
      throw new UserError(en('batchUndoneAlready', {batch: batch.id, at: batch.undoneAt ?? ''}), ExitCode.Usage)
    if (batch.status === 'running')
      throw new UserError(en('batchStillRunning', {batch: batch.id}), ExitCode.Usage, en('waitForImport'))
    const later: (LaterChange & {ref: number})[] = []
    for (const change of history.laterChanges(batch)) later.push(change)
    const unjournalled = batch.kind === 'customers' && batch.updated > 0 && history.journalled(batch.id) === 0
    if (!options.force) refuseIfChanged(batch, later, unjournalled)
    // f1: the entry is begun first, so that the journal rows of the values the undo overwrites carry its id.
    const audit = auditRepository(db)
    const entry = {actor: options.actor, command: options.command, action: 'import.undo'}
    const auditId = audit.begin({...entry, details: {batch: batch.id}})
    const {removedCustomerIds, removedContactIds, ...counts} = history.undo(
      batch,
      later.map((c) => c.ref),
      new Date().toISOString(),
      {id: auditId, limit: AUDITED_IDS},
    )
    const result: UndoResult = {
      batch: batch.id,
      kind: batch.kind,
      file: batch.fileName,
      dryRun: options.dryRun,
      forced: options.force,
      ...counts,
      laterChanges: later.length,
      laterChangeExamples: later.slice(0, EXAMPLES).map(({ref, ...c}) => ({...c, name: shownName(c)})),
    }
    const removed = counts.removedCustomers + counts.removedContacts
    const details = {
      batch: batch.id,
      kind: batch.kind,
      file: batch.fileName,
      forced: options.force,
      laterChanges: later.length,
      ...counts,
      // The values put back overwrote those now in the undo journal (customer_changes) under this entry's id.
      overwrittenValues: counts.restoredCustomers > 0 ? 'customer_changes' : null,
      removedCustomerIds,
      removedContactIds,
      removedIdsComplete: removedCustomerIds.length + removedContactIds.length >= removed,
    }
    audit.end(auditId, {...entry, details}, removed + counts.keptAsDeleted + counts.restoredCustomers, true)
    if (options.dryRun) throw new DryRun(result)
    return result
  }
  try {
    return history.transaction(run)
  } catch (error) {
    if (error instanceof DryRun) return error.result
    throw error
  }
}

/** A person's name masked (maskName); a company's as it is. */
function shownName(c: Pick<LaterChange, 'name' | 'type'>): string {
  return c.type === 'individual' ? maskName(c.name) : c.name
}

function refuseIfChanged(batch: BatchRecord, later: readonly LaterChange[], unjournalled: boolean): void {
  if (unjournalled)
    throw new UserError(
      en('batchNotJournalled', {batch: batch.id, updated: batch.updated}),
      ExitCode.BadInput,
      en('undoForceHint'),
    )
  if (later.length === 0) return
  const named = later
    .slice(0, EXAMPLES)
    .map((c) => `${namedCustomer(c)} (${c.reasons.join(', ')})`)
    .join('; ')
  const more = later.length > EXAMPLES ? en('undoAndMore', {count: later.length - EXAMPLES}) : ''
  throw new UserError(
    en('batchChangedLater', {batch: batch.id, count: later.length, customers: `${named}${more}`}),
    ExitCode.BadInput,
    en('undoForceHint'),
  )
}
