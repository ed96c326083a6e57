import type {ImportReport} from '../services/import-run.js'
import {parseByteSize} from '../core/byte-size.js'
import {en, type Lang} from '../core/messages.js'
import {ExitCode, flagValue, UserError} from '../errors.js'
import {readMapping} from './mapping-file.js'
import {checkTarget} from './files.js'
import {Progress} from './progress.js'
import {rejectsRules, rejectsTarget} from './reject-writer.js'
import {delimiterFlag, type SourceOptions} from './source.js'
import type {DateFormat} from '../core/dates.js'
import type {IdSource} from './import-ids.js'

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
  readonly 'date-format'?: DateFormat
  readonly 'id-from'?: string
  readonly 'id-prefix'?: string
}

/**
 * The options of an import from its flags. A reject file that may not be written (the input, the database, a file
 * crm did not write) is refused here, before anything is read or written.
 */
export function importOptions(
  file: string,
  flags: ImportFlagValues,
  who: {actor: string; command: string; quiet: boolean; lang: Lang},
  dbPath: string,
) {
  if (file === '-' && process.stdin.isTTY) {
    throw new UserError(en('nothingPiped'), ExitCode.Usage, en('pipeAFileToImport'))
  }
  const rejects = rejectsTarget(file, {rejects: flags.rejects, force: flags.force, dryRun: flags['dry-run']}, dbPath)
  if (rejects) checkTarget(rejects.path, rejectsRules(rejects))
  return {
    file,
    dryRun: flags['dry-run'],
    strict: flags.strict,
    rejects,
    mapping: readMapping(flags.mapping, flags.map ?? []),
    source: sourceOptions(flags),
    dateFormat: flags['date-format'],
    ids: idSource(flags),
    actor: who.actor,
    command: who.command,
    progress: Progress.wanted(who.quiet) ? who.lang : null,
    lang: who.lang,
  }
}

/** How to read the input, from the flags that say so (shared with classify check). */
export function sourceOptions(
  flags: Pick<ImportFlagValues, 'encoding' | 'delimiter' | 'input-format' | 'max-field-size'>,
): SourceOptions {
  return {
    encoding: flags.encoding,
    delimiter: delimiterFlag(flags.delimiter),
    inputFormat: flags['input-format'],
    maxFieldBytes:
      flags['max-field-size'] === undefined
        ? undefined
        : flagValue('max-field-size', parseByteSize(flags['max-field-size'])),
  }
}

// Files banks send: --id-from and --id-prefix.
/** The customer ids to make, from --id-from or --id-prefix (oclif refuses both at once). */
function idSource(flags: Pick<ImportFlagValues, 'id-from' | 'id-prefix'>): IdSource | undefined {
  if (flags['id-from'] !== undefined) {
    const from = flags['id-from']
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '')
    if (from.length === 0) throw new UserError(en('idFromEmpty'), ExitCode.Usage)
    return {from}
  }
  if (flags['id-prefix'] !== undefined) {
    const prefix = flags['id-prefix'].trim()
    // A prefix is part of every id made: letters, digits, - and _ only (no quote, comma or control character).
    if (!/^[\p{L}\p{N}_-]+$/u.test(prefix)) throw new UserError(en('idPrefixEmpty'), ExitCode.Usage)
    return {prefix}
  }
  return undefined
}
// End of files banks send.

/** Exit 3 when any row was rejected (the report is still printed and returned). */
export function importExitCode(report: ImportReport): number | undefined {
  return report.rejected > 0 ? 3 : undefined
}
