import {cellText} from '../core/cell-text.js'
import {en} from '../core/messages.js'
import {createRequire} from 'node:module'
import type {ChalkInstance} from 'chalk'
import type Table from 'cli-table3'
import type Iconv from 'iconv-lite'
import type {WrittenRecords} from '../core/customer.js'
import {neutralise} from '../core/formula-cells.js'
import {terminalSafe, visible} from '../core/visible.js'
import {displayWidth} from './customer-views.js'
import {gbkEncoder} from './gbk-output.js'
import {createAtomic, type Protected, takeSignals, type WriteRules} from './files.js'
import {type WorkbookNotes, writeWorkbook} from './xlsx-writer.js'

// cli-table3 and iconv-lite load on first use: most commands print no table and export no GBK, and start-up time
// counts.
const require = createRequire(import.meta.url)

export type Format = 'table' | 'csv' | 'tsv' | 'json' | 'ndjson' | 'xlsx'
/** xlsx is for exports only (BaseCommand refuses it elsewhere): an Excel workbook, see xlsx-writer.ts. */
export const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'xlsx'] as const

/** The export format a file name's extension names (.csv, .tsv, .json, .ndjson or .jsonl, .xlsx), if any. */
export function formatOfFileName(path: string): Exclude<Format, 'table'> | undefined {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase()
  if (ext === 'jsonl') return 'ndjson'
  return ext === 'csv' || ext === 'tsv' || ext === 'json' || ext === 'ndjson' || ext === 'xlsx' ? ext : undefined
}

/** A column of a human table: its heading and how to show a row's cell. */
export interface Column<T> {
  readonly header: string
  readonly cell: (row: T) => string
  readonly align?: 'left' | 'right'
  /**
   * On a terminal too narrow for every column, those with the lowest priority go first (default: the column's
   * position).
   */
  readonly priority?: number
}

/**
 * How rows look: table columns for people; flat records for scripts. `keys` are the records' fields in order: the
 * header of CSV and TSV, and the same fields in JSON and NDJSON, so every format carries the same columns.
 */
export interface View<T, R extends Record<string, unknown> = Record<string, unknown>> {
  readonly columns: readonly Column<T>[]
  readonly record: (row: T) => R
  readonly keys: readonly string[]
  /**
   * Rows that are written already (by SQL), as UTF-8 (WrittenRecords): JSON and NDJSON take each record as its JSON
   * text, CSV and TSV as its line (cells neutralised, quoted and joined), records joined by recordSeparator. The
   * bytes go out as they are.
   */
  readonly written?: boolean
  /** Keys whose values are amounts in yuan written as text ('12345678.91'): numbers in a workbook (xlsx). */
  readonly money?: readonly string[]
}

/** Rows that are their records already written (View.written): JSON text, or CSV or TSV lines. No table. */
export function writtenView(keys: readonly string[]): View<WrittenRecords> {
  return {
    columns: [],
    keys,
    written: true,
    record: () => {
      throw new Error('rows written by SQL have no record')
    },
  }
}

/** What comes between two records: the line end (CRLF in an export's CSV and TSV), and a comma too in a JSON array. */
export function recordSeparator(format: Exclude<Format, 'table'>, exporting: boolean): string {
  if (format === 'json') return ',\n'
  return exporting && format !== 'ndjson' ? '\r\n' : '\n'
}

/** How a cell of a delimited format is written, neutralised and quoted or escaped (for the lines SQL writes). */
export function cellWriter(format: Format): (text: string) => string {
  const quote = format === 'tsv' ? tsvCell : csvCell
  return (text) => quote(neutralise(text))
}

/** A table on a terminal; TSV when piped, so `| cut -f` works. */
export function defaultFormat(stdout: NodeJS.WriteStream = process.stdout): Format {
  return stdout.isTTY ? 'table' : 'tsv'
}

export type ExportFormat = 'csv' | 'tsv' | 'json' | 'ndjson' | 'xlsx'
export type ExportEncoding = 'utf-8' | 'gbk'

export interface ExportOptions {
  readonly format: ExportFormat
  readonly encoding: ExportEncoding
  /** A file to write (created readable by its owner only: exports hold personal data), or stdout. */
  readonly output?: string
  /** --force: replace an existing --output file. */
  readonly force: boolean
  /** Files --output may never be (the database). */
  readonly protect: readonly Protected[]
}

/** How an export's --output file may be written: never over the database, over an existing file only with --force. */
export function exportRules(options: Pick<ExportOptions, 'force' | 'protect'>): WriteRules {
  return {protect: options.protect, force: options.force, another: en('anotherOutput')}
}

export interface WriteOptions {
  readonly format: Format
  /**
   * An export: CSV and TSV with a byte-order mark in UTF-8 (so Excel reads the Chinese right) or in GBK, and CRLF;
   * a file is written whole or not at all (createAtomic). Without it, standard output: UTF-8, LF, no BOM.
   */
  readonly export?: ExportOptions
  /** Tables: bold headings and grey borders. */
  readonly chalk?: ChalkInstance
  /** Tables: the terminal's width, to show only the columns that fit. */
  readonly width?: number
  /** Tables: the cells escape the data in them themselves (they add colour, which escaping would spoil). */
  readonly escaped?: boolean
  /** JSON: the array is the value of `key` in an object that starts with `head` and ends with what `tail` gives. */
  readonly wrap?: {
    readonly head: Record<string, unknown>
    readonly key: string
    readonly tail?: () => Record<string, unknown>
  }
  /** xlsx: the worksheet's name (customers, contacts …). */
  readonly sheet?: string
}

export interface Written {
  readonly rows: number
  /** Table columns left out because the terminal is too narrow. */
  readonly hidden: readonly string[]
  /** xlsx: what the workbook could not hold as it was (texts cut or escaped), and how many sheets it took. */
  readonly workbook?: WorkbookNotes
}

/** Text is handed to the output about this many characters at a time: few writes, and little held. */
const CHUNK = 1 << 16
/** A table is laid out from its first this many rows; any more follow in tables of the same widths. */
export const TABLE_PAGE = 1000

/**
 * Writes rows as they come from `rows`, in any format, holding at most a chunk of text (or a page of a table):
 * memory stays flat whatever the size of the result. CSV and TSV neutralise formula cells; tables escape control
 * characters; JSON is one array written element by element (or that array inside an object, see `wrap`).
 */
export async function writeRows<T>(rows: Iterable<T>, view: View<T>, options: WriteOptions): Promise<Written> {
  if (options.format === 'xlsx') {
    const file =
      options.export?.output === undefined
        ? undefined
        : createAtomic(options.export.output, exportRules(options.export))
    try {
      const written = await writeWorkbook(rows, view, {file, sheet: options.sheet ?? 'Sheet1'})
      file?.commit()
      return written
    } catch (error) {
      file?.abort()
      throw error
    }
  }
  const sink = rowSink(view, options)
  try {
    for (const row of rows) {
      sink.add(row)
      await sink.ready()
    }
    return await sink.end()
  } catch (error) {
    sink.abort()
    throw error
  }
}

export interface RowSink<T> {
  add(row: T): void
  /** Resolves once the text held so far has gone out, when there is enough of it to send. */
  ready(): Promise<void>
  /** Writes the rest (and commits an --output file). */
  end(): Promise<Written>
  /** Leaves an --output file as it was. */
  abort(): void
}

/** The same writer for rows pushed one at a time (rows read from a file as they come, in classify check). */
export function rowSink<T>(view: View<T>, options: WriteOptions): RowSink<T> {
  const file =
    options.export?.output === undefined ? undefined : createAtomic(options.export.output, exportRules(options.export))
  const out = output(options, file?.write)
  const format = options.format === 'table' ? tableFormat(view, options, out) : recordFormat(view, options, out)
  return {
    add: format.add,
    ready: out.maybeFlush,
    async end() {
      const written = format.end()
      await out.flush()
      file?.commit()
      return written
    },
    abort: () => file?.abort(),
  }
}

/** Rows of a JSON document's array value, written element by element (writeDocument). */
export class Rows<T> {
  constructor(
    readonly rows: Iterable<T>,
    readonly record: (row: T) => Record<string, unknown>,
  ) {}
}

/**
 * One JSON object on standard output, its fields in order: Rows are arrays written as they are read, functions are
 * called when their field is reached (a count known only after the rows), anything else is written as it is.
 */
export async function writeDocument(fields: Record<string, unknown>): Promise<void> {
  const out = output({format: 'json'}, undefined)
  let first = true
  out.put('{')
  for (const [key, value] of Object.entries(fields)) {
    out.put(`${first ? '' : ','}${JSON.stringify(key)}:`)
    first = false
    if (value instanceof Rows) {
      let count = 0
      out.put('[')
      for (const row of value.rows as Iterable<unknown>) {
        out.put(`${count++ === 0 ? '\n' : ',\n'}${JSON.stringify(value.record(row))}`)
        await out.maybeFlush()
      }
      out.put(count === 0 ? ']' : '\n]')
    } else out.put(JSON.stringify(typeof value === 'function' ? value() : value) ?? 'null')
  }
  out.put('}\n')
  await out.flush()
}

let standardOutputUsed = false

/** Resolves when the stream has written what it holds (or is closed: a reader gone away is handled by its error). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}

/**
 * Whether rows have gone to standard output: an error after that cannot be a JSON document of its own there (the
 * reader holds half of another one), so it goes to stderr, and the unfinished document stays unparseable.
 */
export function standardOutputStarted(): boolean {
  return standardOutputUsed
}

/** Lines of text on standard output as they come, a chunk at a time (reports too long to build as one string). */
export async function writeLines(lines: Iterable<string>): Promise<void> {
  const out = output({format: 'table'}, undefined)
  for (const line of lines) {
    out.put(`${line}\n`)
    await out.maybeFlush()
  }
  await out.flush()
}

interface Output {
  put(text: string): void
  /** UTF-8 bytes, after the text put so far. */
  putBytes(bytes: Uint8Array): void
  /**
   * Hands the text held so far to the file or stdout when it is a chunk or more, and lets signals and EPIPE be handled.
   */
  maybeFlush(): Promise<void>
  flush(): Promise<void>
}

function output(options: WriteOptions, write: ((bytes: Buffer) => void) | undefined): Output {
  const text = options.format === 'csv' || options.format === 'tsv'
  const gbk = text && options.export?.encoding === 'gbk'
  const encode = gbk ? gbkEncoder(require('iconv-lite') as typeof Iconv, options.format as 'csv' | 'tsv') : undefined
  const toTerminal = write === undefined && options.format !== 'table' && process.stdout.isTTY === true
  let held = ''
  // Rows written by SQL come as bytes: passed through, never decoded and encoded again.
  let parts: Uint8Array[] = []
  let bytes = 0
  const send = async () => {
    if (held === '' && bytes === 0) return
    let chunk: string | Buffer = held
    if (bytes > 0) {
      if (held !== '') parts.push(Buffer.from(held))
      chunk = Buffer.concat(parts)
      parts = []
      bytes = 0
    }
    held = ''
    // Tables escape their own cells (and add colour); any other format shown on a terminal is made safe here.
    if (write === undefined && toTerminal)
      chunk = terminalSafe(chunk.toString(), options.format === 'json' || options.format === 'ndjson')
    // GBK on standard output too: `crm customer export --encoding gbk > book.csv` is a GBK file.
    if (encode !== undefined) chunk = encode(chunk.toString())
    if (write !== undefined) write(typeof chunk !== 'string' ? chunk : Buffer.from(chunk))
    else {
      standardOutputUsed = true
      // A pipe takes writes asynchronously: a slow reader (| less, | ssh) holds crm here, not in memory.
      if (!process.stdout.write(chunk)) await drained(process.stdout)
    }
    // A reader gone away (EPIPE, exit 141) or a Ctrl-C is handled here, not after the last row.
    await takeSignals()
  }
  return {
    put: (t) => {
      held += t
    },
    putBytes(b) {
      if (held !== '') {
        parts.push(Buffer.from(held))
        bytes += parts.at(-1)!.length
        held = ''
      }
      parts.push(b)
      bytes += b.length
    },
    maybeFlush: () => (held.length + bytes >= CHUNK ? send() : Promise.resolve()),
    flush: send,
  }
}

const NEWLINE = Buffer.from('\n')
const COMMA_NEWLINE = Buffer.from(',\n')

interface RowFormat<T> {
  add(row: T): void
  end(): Written
}

/** Records SQLite already wrote (CSV/TSV lines, JSON objects): passed through as bytes, each followed by `end`. */
function writtenLines<T>(out: Output, end: Buffer): RowFormat<T> {
  let count = 0
  return {
    add(row) {
      const written = row as WrittenRecords
      out.putBytes(written.bytes)
      out.putBytes(end)
      count += written.rows
    },
    end: () => ({rows: count, hidden: []}),
  }
}

function recordFormat<T>(view: View<T>, options: WriteOptions, out: Output): RowFormat<T> {
  const {keys} = view
  let count = 0
  if (options.format === 'csv' || options.format === 'tsv') {
    const crlf = options.export !== undefined
    const end = recordSeparator(options.format, crlf)
    const separator = options.format === 'csv' ? ',' : '\t'
    const quote = options.format === 'csv' ? csvCell : tsvCell
    // A formula cell would run in the spreadsheet that opens the file: neutralised, wherever it is written.
    const cell = (v: unknown) => quote(neutralise(cellText(v)))
    if (crlf && options.export?.encoding !== 'gbk') out.put('\uFEFF')
    out.put(`${keys.map(quote).join(separator)}${end}`)
    if (view.written) return writtenLines(out, Buffer.from(end))
    return {
      add(row) {
        const record = view.record(row)
        let line = cell(record[keys[0]])
        for (let i = 1; i < keys.length; i++) line += separator + cell(record[keys[i]])
        out.put(line + end)
        count++
      },
      end: () => ({rows: count, hidden: []}),
    }
  }
  if (options.format === 'ndjson') {
    if (view.written) return writtenLines(out, NEWLINE)
    return {
      add(row) {
        out.put(`${JSON.stringify(view.record(row))}\n`)
        count++
      },
      end: () => ({rows: count, hidden: []}),
    }
  }
  const wrap = options.wrap
  const comma = wrap !== undefined && Object.keys(wrap.head).length > 0 ? ',' : ''
  out.put(
    `${wrap === undefined ? '' : `${JSON.stringify(wrap.head).slice(0, -1)}${comma}${JSON.stringify(wrap.key)}:`}[`,
  )
  return {
    add(row) {
      if (view.written) {
        const written = row as WrittenRecords
        out.putBytes(count === 0 ? NEWLINE : COMMA_NEWLINE)
        out.putBytes(written.bytes)
        count += written.rows
        return
      }
      out.put(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(view.record(row))}`)
      count++
    },
    end() {
      out.put(count === 0 ? ']' : '\n]')
      const tail = wrap?.tail?.() ?? {}
      if (wrap !== undefined) out.put(`${Object.keys(tail).length > 0 ? `,${JSON.stringify(tail).slice(1, -1)}` : ''}}`)
      out.put('\n')
      return {rows: count, hidden: []}
    },
  }
}

function tableFormat<T>(view: View<T>, options: WriteOptions, out: Output): RowFormat<T> {
  const safe = options.escaped ? (text: string) => text : visible
  let page: string[][] = []
  let count = 0
  let layout: Layout | undefined
  let later: FixedPage | undefined
  return {
    add(row) {
      const cells = view.columns.map((c) => safe(c.cell(row)))
      count++
      // The first page is laid out by its own cells, by cli-table3; later pages keep its columns and widths, and
      // go out a row at a time.
      if (later !== undefined) {
        if ((count - 1) % TABLE_PAGE === 0) out.put(later.top)
        out.put(later.row(cells))
        if (count % TABLE_PAGE === 0) out.put(later.bottom)
        return
      }
      page.push(cells)
      if (page.length === TABLE_PAGE) {
        layout = fitColumns(view.columns, page, options.width)
        out.put(`${tableText(page, view.columns, layout, options.chalk)}\n`)
        page = []
        later = fixedPage(view.columns, layout, options.chalk)
      }
    },
    end() {
      if (later === undefined) {
        layout = fitColumns(view.columns, page, options.width)
        out.put(`${tableText(page, view.columns, layout, options.chalk)}\n`)
      } else if (count % TABLE_PAGE !== 0) out.put(later.bottom)
      return {rows: count, hidden: view.columns.filter((_, i) => !layout!.shown.includes(i)).map((c) => c.header)}
    },
  }
}

/** A later page of a table, in pieces: its top (border and headings), a row's lines, its bottom; each ends a line. */
interface FixedPage {
  readonly top: string
  row(cells: readonly string[]): string
  readonly bottom: string
}

// Text whose terminal width displayWidth and cli-table3 (string-width) agree on: printable ASCII and the CJK and
// full-width characters both count as two. A row with any other cell (or a cell of several lines) is drawn by
// cli-table3.
const PLAIN_CELL = /^[\x20-\x7e\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]*$/

/** A cell's text cut to `width` as cli-table3 cuts it: characters off the end until it fits with an ellipsis. */
function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  let kept = text
  while (kept !== '' && displayWidth(kept) > width - 1) kept = kept.slice(0, -1)
  return `${kept}…`
}

/**
 * A page laid out as the first one was, written as cli-table3 writes a table of fixed column widths (the pieces of
 * its frame are taken from cli-table3 itself), without building each page in cli-table3: half a millisecond a row,
 * and a page's table held whole.
 */
function fixedPage<T>(columns: readonly Column<T>[], layout: Layout, chalk: ChalkInstance | undefined): FixedPage {
  const draw = (rows: readonly string[][]) => tableText(rows, columns, layout, chalk, true).split('\n')
  const frame = draw([])
  const probe = draw([columns.map(() => '')])
  // A row of empty cells: its borders are what is left between the runs of spaces.
  const borders = probe.at(-2)!.split(/ +/)
  const drawn = (cells: readonly string[]) =>
    `${draw([cells as string[]])
      .slice(frame.length - 1, -1)
      .join('\n')}\n`
  const lines = (list: readonly string[]) => `${list.join('\n')}\n`
  if (probe.length !== frame.length + 1 || borders.length !== layout.shown.length + 1)
    return {top: lines(frame.slice(0, -1)), row: drawn, bottom: lines(frame.slice(-1))}
  const aligns = layout.shown.map((i) => columns[i].align ?? 'left')
  return {
    top: lines(frame.slice(0, -1)),
    bottom: lines(frame.slice(-1)),
    row(cells) {
      let line = borders[0]
      for (let k = 0; k < layout.shown.length; k++) {
        const width = layout.widths[layout.shown[k]]
        if (!PLAIN_CELL.test(cells[layout.shown[k]])) return drawn(cells)
        const text = cut(cells[layout.shown[k]], width)
        const room = width - displayWidth(text)
        line += aligns[k] === 'right' ? ` ${' '.repeat(room)}${text} ` : ` ${text}${' '.repeat(room)} `
        line += borders[k + 1]
      }
      return `${line}\n`
    },
  }
}

interface Layout {
  readonly shown: number[]
  readonly widths: number[]
}

/**
 * The columns to show (all, unless `width` is too narrow for them: then the most important that fit) and their widths.
 */
function fitColumns<T>(columns: readonly Column<T>[], cells: readonly string[][], width: number | undefined): Layout {
  const widths = columns.map((c, i) => Math.max(displayWidth(c.header), ...cells.map((r) => widest(r[i]))))
  const shown = columns.map((_, i) => i)
  // Each column takes its text and a space either side, plus one border; the table one more border.
  const total = () => shown.reduce((sum, i) => sum + widths[i] + 3, 1)
  if (width === undefined || width <= 0) return {shown, widths}
  const byPriority = [...shown].sort((a, b) => (columns[b].priority ?? b) - (columns[a].priority ?? a))
  for (const drop of byPriority) {
    if (total() <= width || shown.length === 1) break
    shown.splice(shown.indexOf(drop), 1)
  }
  return {shown, widths}
}

function widest(text: string): number {
  return text.includes('\n') ? Math.max(...text.split('\n').map(displayWidth)) : displayWidth(text)
}

function tableText<T>(
  cells: readonly string[][],
  columns: readonly Column<T>[],
  layout: Layout,
  chalk: ChalkInstance | undefined,
  fixed = false,
): string {
  const TableClass = require('cli-table3') as typeof Table
  const shown = layout.shown.map((i) => columns[i])
  const t = new TableClass({
    head: shown.map((c) => (chalk ? chalk.bold(visible(c.header)) : visible(c.header))),
    colAligns: shown.map((c) => c.align ?? 'left'),
    ...(fixed ? {colWidths: layout.shown.map((i) => layout.widths[i] + 2)} : {}),
    style: {head: [], border: chalk && chalk.level > 0 ? ['grey'] : []},
    // No rule between rows: a long list stays readable.
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  })
  for (const row of cells) t.push(layout.shown.map((i) => row[i]))
  return t.toString()
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** TSV has no quoting: tabs and line breaks inside a value are written as \t, \n and \r (and a backslash as \\). */
export function tsvCell(text: string): string {
  return /[\t\n\r\\]/.test(text)
    ? text.replace(/[\t\n\r\\]/g, (c) => ({'\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\'})[c]!)
    : text
}

export {cellText}

/** Rows and columns as one table (the migration matrix, and other small tables built in memory). */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], chalk?: ChalkInstance): string {
  const cells = rows.map((row) => columns.map((c) => visible(c.cell(row))))
  return tableText(cells, columns, fitColumns(columns, cells, undefined), chalk)
}
