import {Flags} from '@oclif/core'
import type {ImportReport} from '../services/import-run.js'
import {parseByteSize} from '../core/byte-size.js'
import {ExitCode, flagValue, UserError} from '../errors.js'
import {readMapping} from './mapping-file.js'
import {checkTarget} from './files.js'
import {Progress} from './progress.js'
import {rejectsRules, rejectsTarget} from './reject-writer.js'
import {delimiterFlag, type SourceOptions} from './source.js'

/** The flags customer and contact imports share. */
export const IMPORT_FLAGS = {
  'dry-run': Flags.boolean({summary: 'Check every row and print the counts, writing nothing to the database.', default: false}),
  strict: Flags.boolean({summary: 'Write nothing if any row is rejected.'}),
  rejects: Flags.string({summary: 'Where to write rejected rows (default: beside the input, NAME.rejects.csv).'}),
  force: Flags.boolean({summary: 'Replace the reject file even if it is not one crm wrote (never the input or the database).'}),
  encoding: Flags.string({summary: 'Input encoding: utf-8, gbk, gb18030, utf-16le (default: detected).'}),
  delimiter: Flags.string({summary: 'Field separator: , ; tab or | (default: detected from the header).'}),
  'input-format': Flags.option({options: ['csv', 'json', 'ndjson'] as const, summary: 'Input format (default: from the extension or the content).'})(),
  // Non-greedy: oclif's repeatable flags otherwise take every word after them, the FILE argument too.
  map: Flags.string({summary: 'Map a column to a field: --map "Source column=field" (repeatable; - ignores it, extra:Name keeps it as Name; Source may hold * globs).', multiple: true, multipleNonGreedy: true}),
  mapping: Flags.string({summary: 'A JSON mapping file: {"columns": {"Source": "field"}, "defaults": {"field": "value"}}.'}),
  'max-field-size': Flags.string({summary: 'The largest field accepted, such as 1MB or 500KB (default 1MB); a row with a larger one is rejected.'}),
}

interface ImportFlagValues {
  readonly 'dry-run': boolean
  readonly strict: boolean
  readonly rejects?: string
  readonly force: boolean
  readonly encoding?: string
  readonly delimiter?: string
  readonly 'input-format'?: 'csv' | 'json' | 'ndjson'
  readonly map?: string[]
  readonly mapping?: string
  readonly 'max-field-size'?: string
}

/**
 * The options of an import from its flags. A reject file that may not be written (the input, the database, a file
 * crm did not write) is refused here, before anything is read or written.
 */
export function importOptions(file: string, flags: ImportFlagValues, who: {actor: string; command: string; quiet: boolean}, dbPath: string) {
  if (file === '-' && process.stdin.isTTY) {
    throw new UserError('"-" reads the rows from standard input, but nothing is piped in', ExitCode.Usage, 'pipe a file in (cat export.csv | crm … import -) or name the file')
  }
  const rejects = rejectsTarget(file, {rejects: flags.rejects, force: flags.force, dryRun: flags['dry-run']}, dbPath)
  if (rejects) checkTarget(rejects.path, rejectsRules(rejects))
  return {
    file, dryRun: flags['dry-run'], strict: flags.strict, rejects,
    mapping: readMapping(flags.mapping, flags.map ?? []),
    source: sourceOptions(flags),
    actor: who.actor, command: who.command, progress: Progress.wanted(who.quiet),
  }
}

/** How to read the input, from the flags that say so (shared with classify check). */
export function sourceOptions(flags: Pick<ImportFlagValues, 'encoding' | 'delimiter' | 'input-format' | 'max-field-size'>): SourceOptions {
  return {
    encoding: flags.encoding, delimiter: delimiterFlag(flags.delimiter), inputFormat: flags['input-format'],
    maxFieldBytes: flags['max-field-size'] === undefined ? undefined : flagValue('max-field-size', parseByteSize(flags['max-field-size'])),
  }
}

/** Exit 3 when any row was rejected (the report is still printed and returned). */
export function importExitCode(report: ImportReport): number | undefined {
  return report.rejected > 0 ? 3 : undefined
}
