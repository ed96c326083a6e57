import {en} from '../core/messages.js'
import {closeSync, openSync, readSync} from 'node:fs'
import {basename, dirname, extname, join} from 'node:path'
import {stringify} from 'csv-stringify/sync'
import iconv from 'iconv-lite'
import {REJECT_COLUMNS} from '../core/column-plan.js'
import {neutralise} from '../core/formula-cells.js'
import type {RowIssue} from '../core/row-validator.js'
import {type AtomicFile, createAtomic, databaseFiles, type Protected, type WriteRules} from './files.js'
import {tsvCell} from './row-writer.js'

export interface RejectedRow {
  readonly line: number
  readonly issues: readonly RowIssue[]
  readonly cells: readonly string[]
}

/** Where an import's rejected rows go. Plain data, so it crosses to the thread that writes them. */
export interface RejectsTarget {
  readonly path: string
  /** Named by --rejects (rather than the default beside the input). */
  readonly given: boolean
  /** --force: replace whatever file is there. */
  readonly force: boolean
  /** Never written over: the input and the database. */
  readonly protect: readonly Protected[]
}

/**
 * Where an import's rejected rows go (--rejects, else NAME.rejects.csv beside the input, stdin.rejects.csv for
 * standard input), or null when none are written: --dry-run without --rejects.
 */
export function rejectsTarget(
  input: string,
  flags: {rejects?: string; force: boolean; dryRun: boolean},
  dbPath: string,
): RejectsTarget | null {
  if (flags.dryRun && flags.rejects === undefined) return null
  // Standard input redirected from a file is that file (/dev/stdin leads to it).
  const source = {path: input === '-' ? '/dev/stdin' : input, what: en('theFileImported')}
  return {
    path: flags.rejects ?? defaultRejectsPath(input),
    given: flags.rejects !== undefined,
    force: flags.force,
    protect: [source, ...databaseFiles(dbPath)],
  }
}

/** exports/2026-11.csv -> exports/2026-11.rejects.csv; stdin -> ./stdin.rejects.csv */
export function defaultRejectsPath(file: string): string {
  if (file === '-') return 'stdin.rejects.csv'
  const ext = extname(file)
  return join(dirname(file), `${basename(file, ext)}.rejects.csv`)
}

/** A reject file crm wrote earlier is replaced (so a nightly import can run again); any other file needs --force. */
export function rejectsRules(target: RejectsTarget): WriteRules {
  return {
    protect: target.protect,
    force: target.force,
    replaceable: isRejectFile,
    refusal: (target) => en('notARejectFile', {target}),
    another: en(target.given ? 'anotherRejects' : 'nameAnotherRejects'),
  }
}

/**
 * Whether a file is a reject file crm wrote: its first column is reject_line, after an optional byte-order mark,
 * in any encoding and delimiter crm writes them in (UTF-16 has a NUL after each ASCII letter).
 */
export function isRejectFile(path: string): boolean {
  const head = Buffer.alloc(64)
  let length: number
  try {
    const fd = openSync(path, 'r')
    try {
      length = readSync(fd, head, 0, head.length, 0)
    } finally {
      closeSync(fd)
    }
  } catch {
    return false
  }
  let bytes = head.subarray(0, length)
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3)
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) bytes = bytes.subarray(2)
  const text = bytes[1] === 0 ? bytes.toString('utf16le') : bytes.toString('latin1')
  return /^reject_line[^\w\r\n]/.test(text)
}

const BOMS: Readonly<Record<string, readonly number[]>> = {'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe]}

/**
 * Writes rejected rows: the reason first, then the original columns, in the input's encoding and delimiter, so the
 * analyst can fix them in Excel and import the file again (crm ignores the reject_ columns). Cells a spreadsheet
 * would run as formulas get a leading ' as in exports (an import removes it again), and a cell holding a line
 * break is quoted, so the file reads back row for row. The file is written whole at commit(), or not at all.
 */
export class RejectWriter {
  private file: AtomicFile | undefined
  private count = 0

  constructor(
    private readonly target: RejectsTarget,
    private readonly header: readonly string[],
    private readonly encoding: string,
    private readonly delimiter: string,
    private readonly bom: boolean,
  ) {}

  get path(): string {
    return this.target.path
  }

  get written(): number {
    return this.count
  }

  write(rows: readonly RejectedRow[]): void {
    if (rows.length === 0) return
    // A TSV input's cells were read with their escapes undone (tsvUnescape): written back escaped, they read back the
    // same.
    const cell = this.delimiter === '\t' ? (text: string) => tsvCell(neutralise(text)) : neutralise
    const records = rows.map((r) => [
      String(r.line),
      r.issues.map((i) => i.field).join(','),
      cell(r.issues.map((i) => i.reason).join('; ')),
      ...r.cells.map(cell),
    ])
    if (this.file === undefined) {
      this.file = createAtomic(this.target.path, rejectsRules(this.target))
      if (this.bom && BOMS[this.encoding]) this.file.write(Buffer.from(BOMS[this.encoding]))
      records.unshift([...REJECT_COLUMNS, ...(this.delimiter === '\t' ? this.header.map(tsvCell) : this.header)])
    }
    // csv-stringify quotes a field holding the whole record delimiter (\r\n) but not a lone \r or \n.
    const text = stringify(records, {
      delimiter: this.delimiter || ',',
      record_delimiter: '\r\n',
      quoted_match: /[\r\n]/,
    })
    this.file.write(this.encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, this.encoding))
    this.count += rows.length
  }

  /** The import is complete: the file replaces any earlier one at the path. */
  commit(): void {
    this.file?.commit()
  }

  /** The import stopped: what was written goes, and any earlier file at the path stays as it was. */
  close(): void {
    this.file?.abort()
  }
}
