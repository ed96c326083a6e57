import type {ChalkInstance} from 'chalk'
import {cutList} from '../core/cut-text.js'
import {formatFen} from '../core/money.js'
import type {ImportReport} from '../core/import-report.js'
import type {FieldChangeSummary} from '../core/field-changes.js'
import {visible} from '../core/visible.js'
import type {Lang} from './terminal.js'
import {localize, type MessageKey, say, sayCount} from '../core/messages.js'
import {displayWidth, padDisplay} from '../core/display-width.js'

const n = (value: number) => value.toLocaleString('en-US')
const ENCODING_LABEL: Record<string, string> = {
  'utf-8': 'UTF-8',
  gb18030: 'GBK/GB18030',
  'utf-16le': 'UTF-16',
  latin1: 'Latin-1',
  'windows-1252': 'Windows-1252',
}
const DELIMITER_LABEL: Readonly<Record<string, MessageKey>> = {
  ',': 'commaSeparated',
  '\t': 'tabSeparated',
  ';': 'semicolonSeparated',
  '|': 'pipeSeparated',
}

/** An example row in an import's result: its line, the field and why. */
export type ImportExample = {
  readonly line: number
  readonly field: string
  readonly reason: string
}

/** A row that appeared again in the file: the row at `line` gave way to the one at `kept_line`. */
export type DuplicateExample = {readonly customer_id: string; readonly line: number; readonly kept_line: number}

/** The JSON shape of an import (the --json contract): snake_case keys, money as strings with two decimals. */
export type ImportResult = {
  readonly entity: 'customer' | 'contact'
  readonly file: string
  readonly format: string
  readonly encoding: string
  readonly delimiter: string | null
  readonly read: number
  readonly inserted: number
  readonly updated: number
  readonly unchanged: number
  readonly rejected: number
  readonly duplicates: number
  readonly warnings: number
  readonly aum_read: string | null
  readonly aum_stored: string | null
  readonly aum_count: number | null
  readonly unknown_columns: readonly string[]
  readonly rejects_file: string | null
  readonly reject_examples: readonly ImportExample[]
  readonly duplicate_examples: readonly DuplicateExample[]
  readonly warning_examples: readonly ImportExample[]
  /** Contacts only. */
  readonly closed_follow_ups?: number
  readonly batch_id: number | null
  readonly dry_run: boolean
  readonly committed: boolean
  readonly same_file_as_batch: number | null
  readonly completes_batch: number | null
  readonly seconds: number
  /** h1: a customer upsert's --dry-run: the changes it would make to stored customers, per field. */
  readonly changes?: readonly FieldChangeSummary[]
  readonly identity_stop?: string
}

export function importReportJson(r: ImportReport): ImportResult {
  return {
    entity: r.entity,
    file: r.file,
    format: r.format,
    encoding: r.encoding,
    delimiter: r.delimiter || null,
    read: r.read,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    duplicates: r.duplicates,
    warnings: r.warnings,
    // No accepted row with an aum: the sums are unknown, not 0.00.
    aum_read: r.aumRead === null || r.aumCount === 0 ? null : formatFen(r.aumRead),
    aum_stored: r.aumStored === null || r.aumCount === 0 ? null : formatFen(r.aumStored),
    aum_count: r.aumCount,
    unknown_columns: r.unknownColumns,
    rejects_file: r.rejectsFile,
    reject_examples: r.rejectExamples,
    duplicate_examples: r.duplicateExamples.map((d) => ({
      customer_id: d.customerId,
      line: d.line,
      kept_line: d.keptLine,
    })),
    warning_examples: r.warningExamples,
    ...(r.closedFollowUps === undefined ? {} : {closed_follow_ups: r.closedFollowUps}),
    batch_id: r.batchId,
    dry_run: r.dryRun,
    committed: r.committed,
    same_file_as_batch: r.sameFileAsBatch,
    completes_batch: r.completesBatch?.id ?? null,
    seconds: r.seconds,
    ...(r.changes === undefined ? {} : {changes: r.changes}),
    ...(r.identityStop === undefined ? {} : {identity_stop: r.identityStop}),
  }
}

/** The import summary for people, in English or Chinese. */
export function importReportText(r: ImportReport, lang: Lang, c: ChalkInstance): string {
  const lines: string[] = []
  const kind =
    r.format === 'csv'
      ? Object.hasOwn(DELIMITER_LABEL, r.delimiter)
        ? say(lang, DELIMITER_LABEL[r.delimiter])
        : r.delimiter
      : r.format.toUpperCase()
  const encoding = ENCODING_LABEL[r.encoding] ?? r.encoding
  const dryRun = r.dryRun ? say(lang, 'dryRunPrefix') : ''
  lines.push(
    sayCount(lang, 'importRead', r.read, {
      dryRun,
      file: visible(r.file),
      encoding,
      kind,
      seconds: r.seconds.toFixed(1),
    }),
  )
  if (r.completesBatch !== null)
    lines.push(sayCount(lang, 'completingBatch', r.completesBatch.rowsRead, {id: r.completesBatch.id}))
  const parts = [
    say(lang, 'countInserted', {count: n(r.inserted)}),
    say(lang, 'countUpdated', {count: n(r.updated)}),
    say(lang, 'countUnchanged', {count: n(r.unchanged)}),
    say(lang, 'countDuplicate', {count: n(r.duplicates)}),
    say(lang, 'countRejected', {count: n(r.rejected)}),
  ]
  parts[4] = r.rejected > 0 ? c.red(c.bold(parts[4])) : c.bold(parts[4])
  lines.push(`  ${parts.join(' · ')}`)
  const sum = r.inserted + r.updated + r.unchanged + r.duplicates + r.rejected
  const balanced = sum === r.read
  lines.push(
    `  ${say(lang, 'reconcile')} ${n(r.read)} ${balanced ? '=' : c.red('≠')} ` +
      `${[r.inserted, r.updated, r.unchanged, r.duplicates, r.rejected].map(n).join(' + ')}`,
  )
  const accepted = r.inserted + r.updated + r.unchanged
  if (r.aumCount === 0 && accepted > 0) lines.push(`  ${say(lang, 'aumUnknown')}`)
  else if (r.aumRead !== null) {
    const covers =
      r.aumCount !== null && r.aumCount < accepted
        ? say(lang, 'aumCovers', {count: n(r.aumCount), accepted: n(accepted)})
        : ''
    // No accepted row (all rejected, say): the sums are of nothing, unknown as in --json (null), not 0.00.
    const none = r.aumCount === 0
    const read = none ? '—' : formatFen(r.aumRead, {separators: true})
    if (r.aumStored === null) lines.push(`  ${say(lang, 'aumRead', {read, covers})}`)
    else {
      const stored = none ? '—' : formatFen(r.aumStored, {separators: true})
      lines.push(
        `  ${say(lang, 'aumReadStored', {read, same: r.aumRead === r.aumStored ? '=' : c.red('≠'), stored, covers})}`,
      )
    }
  }
  if (r.unknownColumns.length > 0) {
    const columns = cutList(r.unknownColumns, say(lang, 'nameSeparator'), (count) => say(lang, 'moreColumns', {count}))
    lines.push(visible(say(lang, r.entity === 'customer' ? 'unknownColumnsKept' : 'columnsNotUsed', {columns})))
  }
  if (r.closedFollowUps) lines.push(sayCount(lang, 'closedFollowUps', r.closedFollowUps))
  for (const d of r.duplicateExamples) {
    const earlier = d.line === 0 ? say(lang, 'anEarlierRow') : say(lang, 'lineNumber', {line: n(d.line)})
    const what = r.entity === 'customer' ? `customer_id ${d.customerId}` : say(lang, 'sameContact', {id: d.customerId})
    lines.push(visible(say(lang, 'appearsAgain', {what, earlier, kept: n(d.keptLine)})))
  }
  if (r.duplicates > r.duplicateExamples.length) lines.push(`  ${sayCount(lang, 'duplicatesInAll', r.duplicates)}`)
  if (r.rejected > 0) {
    const where = r.rejectsFile
      ? say(lang, 'rejectsWritten', {file: visible(r.rejectsFile), encoding})
      : say(lang, 'noRejectFile')
    lines.push(sayCount(lang, 'rejectedRows', r.rejected, {where}))
    const label = (line: number) => say(lang, 'rejectLine', {line: n(line)})
    const width = Math.max(...r.rejectExamples.map((e) => displayWidth(label(e.line))))
    for (const e of r.rejectExamples)
      lines.push(visible(`  ${padDisplay(label(e.line), width)}  ${e.field.padEnd(12)} ${localize(e.reason, lang)}`))
    // Once, whatever the examples show: rows of a GBK file whose first 64 KB were ASCII, so it was read as UTF-8.
    if (r.notUtf8) lines.push(sayCount(lang, 'notUtf8Rows', r.notUtf8))
  }
  for (const w of r.warningExamples)
    lines.push(
      c.yellow(visible(say(lang, 'warningLine', {line: n(w.line), field: w.field, reason: localize(w.reason, lang)}))),
    )
  if (r.changes !== undefined) lines.push(...changeLines(r.changes, lang))
  if (r.identityStop !== undefined)
    lines.push(c.red(say(lang, 'identityWouldStop', {message: localize(r.identityStop, lang)})))
  if (r.dryRun) lines.push(say(lang, 'dryRunNothingWritten'))
  else if (!r.committed) lines.push(c.red(sayCount(lang, 'strictNothingWritten', r.rejected)))
  else if (r.inserted + r.updated + r.unchanged === 0 && r.rejected > 0) lines.push(say(lang, 'noRowPassed'))
  else if (r.inserted + r.updated === 0) {
    const before = r.sameFileAsBatch === null ? '' : say(lang, 'firstImportedAs', {batch: r.sameFileAsBatch})
    // Rejected rows were not compared with anything: only the accepted ones match.
    const matching =
      r.rejected === 0
        ? say(lang, 'everyRowMatches')
        : `${sayCount(lang, 'acceptedMatch', r.unchanged)}${sayCount(lang, 'andRejected', r.rejected)}`
    lines.push(say(lang, 'nothingChanged', {matching, before}))
  }
  return lines.join('\n')
}

/** "1 rejected row", "2,000 rejected rows" (any noun that takes an s). */
export function counted(count: number, noun: string): string {
  return `${n(count)} ${noun}${count === 1 ? '' : 's'}`
}

/** h1: a dry run's changes per field: `name: 665 changes, e.g. C1001 王* → 测*`. */
function changeLines(changes: readonly FieldChangeSummary[], lang: Lang): string[] {
  if (changes.length === 0) return [say(lang, 'changesNone')]
  const lines = [say(lang, 'changesHead')]
  for (const c of changes) {
    const examples = c.examples.map((e) => `${e.customer_id} ${e.from || '""'} → ${e.to || '""'}`).join('; ')
    lines.push(visible(`  ${say(lang, 'changesLine', {field: c.field, count: n(c.count), examples})}`))
  }
  return lines
}
