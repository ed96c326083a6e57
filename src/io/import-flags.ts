import {Flags} from '@oclif/core'
import type {ImportReport} from '../services/import-run.js'
import {ExitCode, UserError} from '../errors.js'
import {readMapping} from './mapping-file.js'
import {checkTarget} from './files.js'
import {Progress} from './progress.js'
import {rejectsRules, rejectsTarget} from './reject-writer.js'
import {delimiterFlag} from './source.js'

/** The flags customer and contact imports share. */
export const IMPORT_FLAGS = {
  'dry-run': Flags.boolean({summary: 'Check every row and print the counts, writing nothing to the database.'}),
  strict: Flags.boolean({summary: 'Write nothing if any row is rejected.'}),
  rejects: Flags.string({summary: 'Where to write rejected rows (default: beside the input, NAME.rejects.csv).'}),
  force: Flags.boolean({summary: 'Replace the reject file even if it is not one crm wrote (never the input or the database).'}),
  encoding: Flags.string({summary: 'Input encoding: utf-8, gbk, gb18030, utf-16le (default: detected).'}),
  delimiter: Flags.string({summary: 'Field separator: , ; tab or | (default: detected from the header).'}),
  'input-format': Flags.option({options: ['csv', 'json', 'ndjson'] as const, summary: 'Input format (default: from the extension or the content).'})(),
  map: Flags.string({summary: 'Map a column to a field: --map "Source column=field" (repeatable; field - ignores it).', multiple: true}),
  mapping: Flags.string({summary: 'A JSON mapping file: {"columns": {"Source": "field"}, "defaults": {"field": "value"}}.'}),
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
    source: {encoding: flags.encoding, delimiter: delimiterFlag(flags.delimiter), inputFormat: flags['input-format']},
    actor: who.actor, command: who.command, progress: Progress.wanted(who.quiet),
  }
}

/** Exit 3 when any row was rejected (the report is still printed and returned). */
export function importExitCode(report: ImportReport): number | undefined {
  return report.rejected > 0 ? 3 : undefined
}
