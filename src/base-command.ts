import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {Command, Errors, type Interfaces} from '@oclif/core'
import type {ChalkInstance} from 'chalk'
import {
  type CrmDatabase,
  isOpen,
  openDatabase,
  openForDryRun,
  openPostgres,
  openPostgresReadOnly,
  openReadOnly,
} from './db/connection.js'
import {type DbTarget, dbTarget} from './db/target.js'
import {localDateTime, parseDate} from './core/dates.js'
import {terminalSafe, visibleLines} from './core/visible.js'
import {
  debugWanted,
  ExitCode,
  flagValue,
  notFound,
  postgresProblem,
  sqliteProblem,
  systemProblem,
  UserError,
} from './errors.js'
import {auditRepository} from './db/repositories/audit.js'
import {filterValueRepository} from './db/repositories/filter-values.js'
import {auditedSearch} from './core/search.js'
import {type UnmatchedValue, unmatchedHint} from './core/filter-match.js'
import {matchFilterValues} from './services/filter-values.js'
import {checkTarget, databaseFiles, whenSignalled} from './io/files.js'
import {
  defaultFormat,
  type ExportEncoding,
  type ExportOptions,
  exportRules,
  type Format,
  formatOfFileName,
  type View,
  type WriteOptions,
  type Written,
  standardOutputStarted,
  writeRows,
} from './io/row-writer.js'
import {type Lang, makeChalk, resolveLang} from './io/terminal.js'
import {osUser} from './processes.js'
import {BASE_FLAGS} from './flags.js'
import {en, localize, say} from './core/messages.js'
import {CELL_CHARACTERS, SHEET_ROWS} from './core/xlsx-cells.js'

/** Rows a terminal table shows when no --limit is given. */
export const TABLE_ROWS = 100

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * The result of a command whose --json document is written as its rows are read (printRows, writeDocument), not
 * returned: run() returns nothing, and Document names the shape it writes.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a streaming command writes its document and returns nothing
export type Streamed<Document> = Document extends unknown ? void : never

/**
 * Shared flags, the database's lifecycle, output, and the mapping of errors to exit codes. R is what run() returns,
 * which --json prints: each command names it, so a change to the script contract is a change of type.
 */
export abstract class BaseCommand<T extends typeof Command, R> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = BASE_FLAGS
  /** Whether the command exports rows to a file, and so takes --format xlsx (a workbook): the others refuse it. */
  static writesWorkbook = false
  /**
   * Whether the command creates the database when there is none (it writes data in: imports, contact log, classify).
   * The others refuse a missing one (not found), so a mistyped --db is named instead of made an empty database.
   */
  static createsDatabase = false

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  private database?: CrmDatabase
  /** Ends the audit record of a --reveal with the rows shown (see auditReveal). */
  private revealDone?: (complete: boolean) => void

  public abstract override run(): Promise<R>

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    if (this.flags.format === 'xlsx' && !(this.ctor as unknown as typeof BaseCommand).writesWorkbook)
      throw new UserError(en('xlsxOnlyExports'), ExitCode.Usage, en('xlsxExports'))
  }

  /** Where the book is: --db (or $CRM_DB) as a SQLite file or a postgres:// URL, else crm.db in the data folder. */
  protected get target(): DbTarget {
    return dbTarget(this.flags.db ?? join(this.config.dataDir, 'crm.db'))
  }

  /** The SQLite file, or the PostgreSQL book as messages show it (no password). */
  protected get dbPath(): string {
    const target = this.target
    if (target.kind === 'postgres') return target.shown
    const {file} = target
    // SQLite takes ":memory:" (and "") as a database that is gone when crm exits: an import would report rows nothing
    // keeps.
    if (file === ':memory:' || file.trim() === '') {
      throw new UserError(en('dbKeepsNothing', {file: JSON.stringify(file)}), ExitCode.Usage, en('giveDbFile'))
    }
    return file
  }

  /**
   * The database. A missing one is created only by a command that createsDatabase, and is not found for the others;
   * for a dry run, a temporary one instead (a dry run creates no file).
   */
  protected db(options: {dryRun?: boolean} = {}): CrmDatabase {
    if (this.database !== undefined) return this.database
    const target = this.target
    const creates = options.dryRun || (this.ctor as unknown as typeof BaseCommand).createsDatabase
    if (target.kind === 'postgres')
      return (this.database = creates ? openPostgres(target) : openPostgresReadOnly(target))
    if (!creates) this.mustExist()
    return (this.database = options.dryRun ? openForDryRun(this.dbPath) : openDatabase(this.dbPath))
  }

  /** The database, which must exist, opened read-only (db info, check): nothing is created, migrated or written. */
  protected readOnlyDb(): CrmDatabase {
    const target = this.target
    if (target.kind === 'postgres') return (this.database ??= openPostgresReadOnly(target))
    this.mustExist()
    return (this.database ??= openReadOnly(this.dbPath))
  }

  /** A missing database is not found (exit 4), named with where to give the right one. */
  private mustExist(): void {
    if (!existsSync(this.dbPath)) notFound(en('noDatabase', {file: this.dbPath}), en('giveDbPath'))
  }

  protected get lang(): Lang {
    return resolveLang(this.flags.lang)
  }

  protected get actor(): string {
    return this.flags.actor || osUser()
  }

  protected get commandLine(): string {
    return `crm ${this.id ?? ''}`.trim()
  }

  protected get chalk(): ChalkInstance {
    return makeChalk(process.stdout)
  }

  /** Chalk for messages on stderr, which may be a terminal when stdout is not. */
  protected get chalkErr(): ChalkInstance {
    return makeChalk(process.stderr)
  }

  /** How rows are printed to standard output: never a workbook (an export's format is exportOptions'). */
  protected get format(): Exclude<Format, 'xlsx'> {
    const format = this.flags.format ?? defaultFormat()
    if (format === 'xlsx') throw new UserError(en('xlsxOnlyExports'), ExitCode.Usage, en('xlsxExports'))
    return format
  }

  /**
   * Prints rows as they are read, in the chosen format; under --json as the JSON document itself (an array, or the
   * array inside `wrap`), so run() returns nothing for oclif to print. A table on a terminal shows the columns that
   * fit its width, and says how to see the rest.
   */
  protected async printRows<R>(
    rows: Iterable<R>,
    view: View<R>,
    options: Pick<WriteOptions, 'wrap' | 'escaped'> = {},
  ): Promise<Written> {
    const format = this.jsonEnabled() ? 'json' : this.format
    const width = format === 'table' && process.stdout.isTTY ? process.stdout.columns : undefined
    // `wrap` makes the --json document; --format json is the rows alone.
    const written = await writeRows(rows, view, {
      escaped: options.escaped,
      wrap: this.jsonEnabled() ? options.wrap : undefined,
      format,
      chalk: format === 'table' ? this.chalk : undefined,
      width,
    })
    if (written.hidden.length > 0)
      this.note(
        say(this.lang, 'hiddenColumns', {
          hidden: written.hidden.length,
          columns: view.columns.length,
          names: written.hidden.join(', '),
        }),
      )
    return written
  }

  /**
   * How many rows to fetch: --limit when given; on a terminal table, TABLE_ROWS (a screenful, not a million rows);
   * piped or as JSON, all. `cut` says whether the table was cut, so the caller can say how to see the rest.
   */
  protected rowLimit(limit: number | undefined): {limit: number | undefined; cut: (shown: number) => boolean} {
    const table = !this.jsonEnabled() && this.format === 'table' && limit === undefined
    return {limit: table ? TABLE_ROWS : limit, cut: (shown) => table && shown === TABLE_ROWS}
  }

  /**
   * Where and how to write an export: csv unless --format says tsv, json or ndjson (a table is not an export).
   * Under --json stdout carries the command's result, so the rows need a file. An --output file that is the
   * database, or exists without --force, is refused here, before anything is read.
   */
  protected exportOptions(flags: {output?: string; encoding?: ExportEncoding; force?: boolean}): ExportOptions {
    // export format from --output's extension (f6): taken from it when --format is not given, refused when they differ.
    const named = flags.output === undefined ? undefined : formatOfFileName(flags.output)
    if (named !== undefined && this.flags.format !== undefined && this.flags.format !== named)
      throw new UserError(
        en('formatNotExtension', {format: this.flags.format, file: terminalSafe(flags.output ?? ''), named}),
        ExitCode.Usage,
        en('formatOrExtension', {named}),
      )
    const format = this.flags.format ?? named ?? 'csv'
    if (format === 'table') throw new UserError(en('exportNotTable'), ExitCode.Usage, en('exportFormats'))
    if (flags.output === '-') throw new UserError(en('outputDash'), ExitCode.Usage, en('leaveOutOutput'))
    if (this.jsonEnabled() && flags.output === undefined)
      throw new UserError(en('jsonNeedsOutput'), ExitCode.Usage, en('addOutput'))
    // A workbook is bytes a terminal cannot show; piped or redirected it is written as any other export.
    if (format === 'xlsx' && flags.output === undefined && process.stdout.isTTY)
      throw new UserError(en('xlsxNotToTerminal'), ExitCode.Usage, en('xlsxGiveOutput'))
    if (format === 'xlsx' && flags.encoding === 'gbk')
      throw new UserError(en('xlsxNoEncoding'), ExitCode.Usage, en('leaveOutEncoding'))
    const options = {
      format,
      encoding: flags.encoding ?? 'utf-8',
      output: flags.output,
      force: flags.force ?? false,
      protect: databaseFiles(this.dbPath),
    }
    if (options.output !== undefined) checkTarget(options.output, exportRules(options))
    return options
  }

  /** A date flag as ISO, today (local) when it is not given; a bad date is a usage error naming the flag. */
  protected dateFlag(flag: string, value: string | undefined): string {
    return value === undefined ? localDateTime(new Date()).slice(0, 10) : flagValue(flag, parseDate(value))
  }

  /** Records in the audit log what this command did, as --actor (else the OS user) with the command line. */
  protected audit(action: string, details: Record<string, unknown>, rows?: number): void {
    auditRepository(this.db()).record({actor: this.actor, command: this.commandLine, action, rows, details})
  }

  /**
   * A customer search by a whole ID number is recorded in the audit log (who, with the number masked) before anything
   * is shown. Returns the filter as the audit log may keep it: such a search masked.
   */
  protected auditSearch<F extends {search?: string}>(filter: F): F {
    const search = auditedSearch(filter.search)
    if (search === filter.search) return filter
    this.audit('customer.search_id_number', {id_number: search})
    return {...filter, search}
  }

  /**
   * Records a --reveal (when `reveal`) in the audit log before anything is shown. Rows are counted as they go out
   * (`count`, or `counting` around what is written), and the record gets the count when the command ends: `complete`,
   * or `interrupted` when it failed part-way (a reader gone, a full disk, Ctrl-C, SIGTERM or SIGHUP). Only a process
   * killed outright (kill -9) leaves `started`.
   */
  protected auditReveal(reveal: boolean, action: string, details: Record<string, unknown>): RevealAudit | undefined {
    if (!reveal) return undefined
    const entry = {actor: this.actor, command: this.commandLine, action, details}
    const id = auditRepository(this.db()).begin(entry)
    let rows = 0
    // A reader gone (| head) ends crm with process.exit, past finally(); a signal ends it by the signal, past the
    // 'exit' handlers too. The record is ended then through a connection of its own: this one may be in the middle
    // of the query being written out.
    const interrupted = () => {
      stop()
      try {
        const target = this.target
        const own = target.kind === 'postgres' ? openPostgresReadOnly(target) : openDatabase(this.dbPath)
        auditRepository(own).end(id, entry, rows, false)
        own.close()
      } catch {}
    }
    const stopSignals = whenSignalled(interrupted)
    const stop = () => {
      process.off('exit', interrupted)
      stopSignals()
    }
    process.once('exit', interrupted)
    this.revealDone = (complete) => {
      stop()
      auditRepository(this.db()).end(id, entry, rows, complete)
    }
    return {
      count: (n: number) => {
        rows += n
      },
      *counting<R>(items: Iterable<R>, size: (item: R) => number = () => 1): Generator<R> {
        for (const item of items) {
          rows += size(item)
          yield item
        }
      },
    }
  }

  /**
   * --branch and --rm as the book spells them (matchFilterValues): a value matched by part is noted; one no customer
   * has is warned of with the nearest (or, with `unmatched`, handed over); several are a usage error.
   */
  protected matchFilters<F extends {branch?: string; rm?: string}>(
    db: CrmDatabase,
    flags: F,
    options: {contacts?: boolean; unmatched?: (values: UnmatchedValue[]) => void} = {},
  ): F {
    if (flags.branch === undefined && flags.rm === undefined) return flags
    const {filter, unmatched} = matchFilterValues(filterValueRepository(db), flags, (m) => this.tell(m), options)
    if (unmatched.length > 0) {
      if (options.unmatched) options.unmatched(unmatched)
      else this.note(localize(en('noCustomerHas', {values: unmatchedHint(unmatched)}), this.lang))
    }
    return filter
  }

  /** What crm took a typed value to mean (--branch 浦东支行 matched 上海分行浦东支行): on stderr under --json too. */
  protected tell(message: string): void {
    process.stderr.write(`${localize(message, this.lang)}\n`)
  }

  /** A message for people: stderr, so stdout stays data. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${message}\n`)
  }

  /** What an xlsx export could not write as it was (texts cut or escaped, rows on further sheets), on stderr. */
  protected noteWorkbook(written: Written): void {
    const notes = written.workbook
    if (notes === undefined) return
    const count = (n: number) => n.toLocaleString('en-US')
    if (notes.cut > 0)
      this.tell(say(this.lang, 'xlsxCellsCut', {count: count(notes.cut), most: count(CELL_CHARACTERS)}))
    if (notes.escaped > 0) this.tell(say(this.lang, 'xlsxCellsEscaped', {count: count(notes.escaped)}))
    if (notes.sheets > 1)
      this.note(say(this.lang, 'xlsxMoreSheets', {most: count(SHEET_ROWS - 1), sheets: notes.sheets}))
  }

  /** A dry run on a database that does not exist yet works in an empty temporary one: say so (nothing is created). */
  protected noteDryRunDatabase(dryRun: boolean): void {
    // A PostgreSQL book has no file: its schema is made with its tables when first used.
    if (!dryRun || this.target.kind === 'postgres' || existsSync(this.dbPath)) return
    this.note(say(this.lang, 'dryRunEmptyDb', {file: this.dbPath}))
  }

  /** A --json document, as oclif writes one, but never with a control character a terminal would obey. */
  override logJson(json: unknown): void {
    const text = JSON.stringify(json, null, 2) ?? 'null'
    process.stdout.write(`${process.stdout.isTTY ? terminalSafe(text, true) : text}\n`)
  }

  /**
   * Errors are printed here, not by oclif: a plain "Error: what went wrong" line and a hint on stderr (or one
   * JSON document on stdout under --json), with the exit code of design.md. Stacks only with DEBUG=1.
   */
  protected override async catch(
    error: Error & {oclif?: {exit?: number}; code?: string; path?: string},
  ): Promise<void> {
    let exit: number
    let hint: string | undefined
    let message = withoutParsingPrefix(error.message)
    const sqlite =
      error.name === 'SqliteError'
        ? sqliteProblem(error.code, this.dbPathSafe())
        : error.name === 'PgError'
          ? postgresProblem(error.code)
          : undefined
    const system = error.name === 'SqliteError' || error.name === 'PgError' ? undefined : systemProblem(error.code)
    if (error instanceof UserError) {
      exit = error.exitCode
      hint = error.hint
    } else if (sqlite) {
      exit = ExitCode.BadInput
      message = en('dbUnusable', {file: this.dbPathSafe(), what: sqlite.what, code: error.code ?? ''})
      hint = sqlite.hint
    } else if (system) {
      // A write crm could not make (a full disk, a read-only or forbidden place): the user's to fix, not a bug.
      exit = ExitCode.BadInput
      const file = error.path ?? this.outputPath
      message = file
        ? en('systemProblemAt', {what: system.what, file, code: error.code ?? ''})
        : en('systemProblem', {what: system.what, code: error.code ?? ''})
      hint = system.hint
    } else if (error instanceof Errors.CLIError || error.oclif?.exit !== undefined) {
      // oclif's own usage errors (unknown flag, missing argument, bad option value).
      exit = error.oclif?.exit === 1 || error.oclif?.exit === undefined ? ExitCode.Usage : error.oclif.exit
      // Repeatable flags here are non-greedy, so oclif's note that they must come after the arguments does not apply.
      message = message
        .replace(/^Error: /, '')
        .replace(/\nSee more help with --help$/, '')
        .replace(/\n+Note: --\S+ allows multiple values[\s\S]*$/, '')
      hint = en('seeHelp', {command: `crm ${this.id?.replaceAll(':', ' ') ?? ''}`.trim()})
    } else {
      exit = ExitCode.Bug
      message = en('bug', {message: error.message})
      hint = en('bugHint')
    }
    if (debugWanted(process.env.DEBUG) && error.stack) process.stderr.write(`${error.stack}\n`)
    process.exitCode = exit
    if (this.jsonEnabled() && !standardOutputStarted()) {
      this.logJson({error: {message, exit, hint: hint ?? null}})
    } else {
      const c = this.chalkErr
      // Under --json the message stays English (scripts may match it); people read it in their language.
      const lang = this.safeLang()
      message = localize(message, lang)
      hint = hint === undefined ? undefined : localize(hint, lang)
      // A message may quote the data (an id, a value): its control characters are shown, not obeyed.
      process.stderr.write(
        `${say(lang, 'errorLine', {label: c.red(say(lang, 'errorLabel')), message: visibleLines(message)})}\n` +
          `${hint ? `  ${c.dim(visibleLines(hint))}\n` : ''}`,
      )
    }
  }

  /**
   * The file the command was told to write (--output, --rejects), named when a write fails without saying which file.
   */
  private get outputPath(): string | undefined {
    const {output, rejects} = (this.flags ?? {}) as {output?: unknown; rejects?: unknown}
    const file = output ?? rejects
    return typeof file === 'string' ? file : undefined
  }

  /** The reader's language even when the flags could not be parsed (the error being reported may be theirs). */
  private safeLang(): Lang {
    return resolveLang(
      (this.flags as {lang?: string} | undefined)?.lang ??
        this.argv.find((a, i, all) => all[i - 1] === '--lang' || a.startsWith('--lang='))?.replace('--lang=', ''),
    )
  }

  private dbPathSafe(): string {
    try {
      return this.dbPath
    } catch {
      return ''
    }
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    if (this.revealDone !== undefined && this.database !== undefined && isOpen(this.database)) {
      // After a failure the record says interrupted if it can; the failure, not the audit's, is what to report.
      try {
        this.revealDone(error === undefined)
      } catch (auditError) {
        if (error === undefined) throw auditError
      }
    }
    this.database?.close()
    return super.finally(error)
  }
}

/** A --reveal being recorded: what the command shows is counted into its audit record. */
export interface RevealAudit {
  /** Adds rows shown. */
  count(rows: number): void
  /** Counts the items as they are taken (`size`: the rows an item holds, one by default). */
  counting<R>(items: Iterable<R>, size?: (item: R) => number): Iterable<R>
}

/**
 * oclif wraps a flag's parse error as "Parsing --flag \n\t<message>\nSee more help with --help": keep the message,
 * naming the flag.
 */
function withoutParsingPrefix(message: string): string {
  const parsing = /^Parsing --(\S+) \n\t([\s\S]*?)(?:\nSee more help with --help)?$/.exec(message)
  if (parsing === null) return message
  const [, flag, inner] = parsing
  return inner.includes(`--${flag}`) ? inner : `--${flag}: ${inner}`
}
