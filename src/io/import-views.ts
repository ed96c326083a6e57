import {instantForJson, instantForPeople} from '../core/dates.js'
import {type Lang, localize, type MessageKey, say} from '../core/messages.js'
import {visible} from '../core/visible.js'
import type {BatchRecord, BatchStatus, StoredReject} from '../db/repositories/import-history.js'
import type {UndoResult} from '../services/import-undo.js'
import {count} from './classify-views.js'
import type {View} from './row-writer.js'

// h1: import history and undo — how import list and import show print a batch.

/** A batch as --json, CSV and NDJSON give it. */
export type BatchJson = {
  readonly id: number
  readonly kind: string
  readonly file: string
  readonly sha256: string
  readonly mode: string
  readonly read: number
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  readonly rejected: number
  readonly duplicates: number
  readonly status: BatchStatus
  readonly actor: string
  readonly started_at: string | null
  readonly finished_at: string | null
  readonly undone_at: string | null
}

export function batchJson(b: BatchRecord): BatchJson {
  return {
    id: b.id,
    kind: b.kind,
    file: b.fileName,
    sha256: b.sha256,
    mode: b.mode,
    read: b.rowsRead,
    inserted: b.inserted,
    updated: b.updated,
    unchanged: b.unchanged,
    rejected: b.rejected,
    duplicates: b.duplicates,
    status: b.status,
    actor: b.actor,
    started_at: instantForJson(b.startedAt),
    finished_at: instantForJson(b.finishedAt),
    undone_at: instantForJson(b.undoneAt),
  }
}

/** A batch's status in the reader's language. */
export function statusText(status: BatchStatus, lang: Lang): string {
  switch (status) {
    case 'complete':
      return say(lang, 'importComplete')
    case 'interrupted':
      return say(lang, 'importInterrupted')
    case 'undone':
      return say(lang, 'importUndone')
    default:
      return status
  }
}

/** The first 12 hex digits of a sha256 ('' for a batch cut short before its file was read to the end). */
export const shortSha = (sha: string) => sha.slice(0, 12)

export function batchListView(lang: Lang): View<BatchRecord, BatchJson> {
  return {
    keys: Object.keys(batchJson(EXAMPLE)),
    record: batchJson,
    columns: [
      {header: say(lang, 'headBatch'), cell: (b) => String(b.id), align: 'right'},
      {header: say(lang, 'headKind'), cell: (b) => b.kind},
      {header: say(lang, 'headFile'), cell: (b) => b.fileName},
      {header: say(lang, 'headSha'), cell: (b) => shortSha(b.sha256)},
      {header: say(lang, 'headMode'), cell: (b) => b.mode},
      {header: say(lang, 'headRead'), cell: (b) => count(b.rowsRead), align: 'right'},
      {header: say(lang, 'headInserted'), cell: (b) => count(b.inserted), align: 'right'},
      {header: say(lang, 'headUpdated'), cell: (b) => count(b.updated), align: 'right'},
      {header: say(lang, 'headUnchanged'), cell: (b) => count(b.unchanged), align: 'right'},
      {header: say(lang, 'headRejected'), cell: (b) => count(b.rejected), align: 'right'},
      {header: say(lang, 'headStatus'), cell: (b) => statusText(b.status, lang)},
      {header: say(lang, 'headBy'), cell: (b) => b.actor},
      {header: say(lang, 'headStarted'), cell: (b) => instantForPeople(b.startedAt)},
    ],
  }
}

const EXAMPLE: BatchRecord = {
  id: 0,
  kind: 'customers',
  fileName: '',
  sha256: '',
  mode: '',
  status: 'complete',
  rowsRead: 0,
  inserted: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  duplicates: 0,
  actor: '',
  startedAt: '',
  finishedAt: null,
  undoneAt: null,
}

/** One batch for people: a line per fact, then its reject examples (as stored: masked). */
export function batchText(b: BatchRecord, rejects: readonly StoredReject[] | null, lang: Lang): string {
  const line = (label: MessageKey, value: string) => say(lang, 'batchLine', {label: say(lang, label), value})
  const lines = [
    line('headBatch', String(b.id)),
    line('headKind', b.kind),
    line('headFile', visible(b.fileName)),
    line('headSha', b.sha256),
    line('headMode', b.mode),
    line('headStatus', statusText(b.status, lang)),
    line('headBy', b.actor),
    line('headStarted', instantForPeople(b.startedAt)),
    line('headRead', count(b.rowsRead)),
    line('headInserted', count(b.inserted)),
    line('headUpdated', count(b.updated)),
    line('headUnchanged', count(b.unchanged)),
    line('headRejected', count(b.rejected)),
  ]
  if (b.undoneAt !== null) lines.push(line('importUndone', instantForPeople(b.undoneAt)))
  if (b.rejected === 0) lines.push(say(lang, 'batchRejectsNone'))
  else if (rejects === null || rejects.length === 0)
    lines.push(say(lang, 'batchRejectsUnknown', {count: count(b.rejected)}))
  else {
    lines.push(say(lang, 'batchRejectsHead', {count: rejects.length}))
    for (const r of rejects)
      lines.push(
        `  ${say(lang, 'rejectLine', {line: count(r.line)})} ${visible(r.field)}: ${visible(localize(r.reason, lang))}`,
      )
  }
  return lines.join('\n')
}

/** What an undo did (or, as a dry run, would do), as --json gives it. */
export type UndoJson = ReturnType<typeof undoJson>

export function undoJson(r: UndoResult) {
  return {
    batch: r.batch,
    kind: r.kind,
    file: r.file,
    dry_run: r.dryRun,
    forced: r.forced,
    removed_customers: r.removedCustomers,
    kept_as_deleted: r.keptAsDeleted,
    restored_customers: r.restoredCustomers,
    removed_contacts: r.removedContacts,
    reopened_follow_ups: r.reopenedFollowUps,
    later_changes: r.laterChanges,
    later_change_examples: r.laterChangeExamples.map((c) => ({
      customer_id: c.customerId,
      name: c.name,
      reasons: c.reasons,
    })),
  }
}

export function undoText(r: UndoResult, lang: Lang): string {
  const head = say(lang, r.dryRun ? 'undoDryRun' : 'undoDone', {batch: r.batch, file: visible(r.file)})
  const counts = say(lang, 'undoCounts', {
    removed: count(r.removedCustomers),
    kept: count(r.keptAsDeleted),
    restored: count(r.restoredCustomers),
    contacts: count(r.removedContacts),
    reopened: count(r.reopenedFollowUps),
  })
  const lines = [`${head}: ${counts}`]
  if (r.laterChanges > 0)
    lines.push(
      say(lang, 'undoForced', {
        count: count(r.laterChanges),
        customers: r.laterChangeExamples.map((c) => visible(`${c.customerId} ${c.name}`.trim())).join(', '),
      }),
    )
  return lines.join('\n')
}
