import {createRequire} from 'node:module'
import {Writable} from 'node:stream'
import type ExcelJS from 'exceljs'
import {type CellChanges, SHEET_ROWS, sheetName, xlsxCell} from '../core/xlsx-cells.js'
import {type AtomicFile, takeSignals} from './files.js'
import type {View, Written} from './row-writer.js'

// exceljs (and the zip writer under it) loads only when a workbook is written: every other command starts without it.
const require = createRequire(import.meta.url)

/** What a workbook could not hold as it was, and how many sheets it took. */
export interface WorkbookNotes extends CellChanges {
  readonly sheets: number
}

export interface WorkbookOptions {
  /** The --output file (written whole or not at all, by the caller's commit); standard output without one. */
  readonly file?: AtomicFile
  readonly sheet: string
  /** Rows a sheet holds, its header included (Excel's limit; smaller in tests). */
  readonly sheetRows?: number
}

/** Rows between two checks that the zip writer has caught up (and that a signal or a reader gone is handled). */
const PAGE = 500
/** Uncompressed XML the zip writer may hold before the rows wait for it. */
const BACKLOG = 2 << 20
const MONEY_FORMAT = '#,##0.00'

/**
 * Writes rows as an Excel workbook with exceljs's streaming writer: each row is committed (written out as XML and
 * zipped) as it is read, so memory stays flat whatever the number of rows. The header row holds the view's keys and
 * stays in view; cells are made by core/xlsx-cells.ts (text stays text, amounts are numbers with two decimals). More
 * rows than a worksheet holds go on to another sheet.
 */
export async function writeWorkbook<T>(rows: Iterable<T>, view: View<T>, options: WorkbookOptions): Promise<Written> {
  const Excel = require('exceljs') as typeof ExcelJS
  const out = byteStream(options.file)
  const book = new Excel.stream.xlsx.WorkbookWriter({stream: out.stream, useStyles: true, useSharedStrings: false})
  const changes: CellChanges = {cut: 0, escaped: 0}
  const money = new Set(view.money ?? [])
  const {keys} = view
  const sheetRows = options.sheetRows ?? SHEET_ROWS
  let sheets = 0
  let sheet = addSheet()
  let inSheet = 1
  let count = 0
  function addSheet(): ExcelJS.Worksheet {
    const added = book.addWorksheet(sheetName(options.sheet, ++sheets), {views: [{state: 'frozen', ySplit: 1}]})
    added.columns = keys.map((key) => ({
      header: key,
      key,
      width: Math.max(12, key.length + 2),
      ...(money.has(key) ? {style: {numFmt: MONEY_FORMAT}} : {}),
    }))
    added.getRow(1).font = {bold: true}
    return added
  }
  try {
    for (const row of rows) {
      if (inSheet === sheetRows) {
        sheet.commit()
        sheet = addSheet()
        inSheet = 1
      }
      const record = view.record(row)
      sheet.addRow(keys.map((key) => xlsxCell(record[key], money.has(key), changes))).commit()
      inSheet++
      if (++count % PAGE === 0) {
        await caughtUp(sheet)
        out.check()
      }
    }
    sheet.commit()
    await Promise.race([book.commit(), out.failed])
    out.check()
  } catch (error) {
    // The zip writer may still have bytes on their way: they must not reach a file descriptor closed (and perhaps
    // reused) by the caller's abort.
    out.close()
    throw error
  }
  return {rows: count, hidden: [], workbook: {...changes, sheets}}
}

interface ByteStream {
  readonly stream: Writable
  /** Rejects when writing failed (a full disk, a reader gone). */
  readonly failed: Promise<never>
  /** Throws the error writing met, if any. */
  check(): void
  /** Drops whatever comes after: the workbook is given up. */
  close(): void
}

/**
 * Where the zipped bytes go: the --output file (written as they come), or standard output (waiting for a slow
 * reader).
 */
function byteStream(file: AtomicFile | undefined): ByteStream {
  let error: Error | undefined
  let open = true
  let fail: (e: Error) => void = () => {}
  const failed = new Promise<never>((_, reject) => {
    fail = reject
  })
  // Nothing awaits it unless writing failed: no unhandled rejection when nothing did.
  failed.catch(() => {})
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!open) {
        done()
        return
      }
      if (file !== undefined) {
        try {
          file.write(chunk)
          done()
        } catch (e) {
          done(e as Error)
        }
        return
      }
      if (process.stdout.write(chunk)) done()
      else process.stdout.once('drain', () => done())
    },
  })
  stream.on('error', (e) => {
    error ??= e
    fail(e)
  })
  return {
    stream,
    failed,
    check() {
      if (error !== undefined) throw error
    },
    close() {
      open = false
    },
  }
}

/** The streams exceljs pipes a sheet's XML to (readable-stream's, which count what they hold in their states). */
interface Piped {
  readonly pipes?: readonly {
    readonly _writableState?: {readonly length?: number}
    readonly _readableState?: {readonly length?: number}
  }[]
}

/**
 * Waits until the zip writer has taken most of the sheet's XML so far, and lets signals be handled. exceljs hands the
 * XML on without waiting for the zip writer, which compresses on another thread: what the streams between them hold
 * is what memory would grow by (by a megabyte every thousand rows, measured), so the rows wait for it.
 */
async function caughtUp(sheet: ExcelJS.Worksheet): Promise<void> {
  const piped = (sheet as unknown as {stream?: Piped}).stream?.pipes ?? []
  const backlog = () =>
    piped.reduce((sum, pipe) => sum + (pipe._writableState?.length ?? 0) + (pipe._readableState?.length ?? 0), 0)
  await takeSignals()
  while (backlog() > BACKLOG) await new Promise((resolve) => setTimeout(resolve, 2))
}
