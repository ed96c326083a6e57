import {closeSync, openSync, writeSync} from 'node:fs'
import iconv from 'iconv-lite'
import {ExitCode, UserError} from '../errors.js'
import {cellText, csvCell, tsvCell} from './render.js'

export type ExportFormat = 'csv' | 'tsv' | 'json' | 'ndjson'
export type ExportEncoding = 'utf-8' | 'gbk'

export interface ExportOptions {
  readonly format: ExportFormat
  readonly encoding: ExportEncoding
  /** A file to write (created readable by its owner only: exports hold personal data), or stdout. */
  readonly output?: string
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first) gets a leading
 * apostrophe, which Excel and WPS show as text; a number, negative or not, stays a number.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) && !NUMBER.test(text) ? `'${text}` : text
}

/**
 * Writes records as an export: CSV and TSV with a byte-order mark in UTF-8 (so Excel reads the Chinese right) or
 * in GBK, formula cells neutralised; JSON as one array and NDJSON a line each, always UTF-8. Rows stream out.
 */
export function exportWriter(keys: readonly string[], options: ExportOptions) {
  const writer = recordWriter(keys, options)
  return {
    ...writer,
    get rows() { return writer.rows },
    /** Writes every item as a record, a thousand at a time, then ends the export; returns how many. */
    writeAll<T>(items: Iterable<T>, record: (item: T) => Record<string, unknown>): number {
      let page: Record<string, unknown>[] = []
      for (const item of items) {
        page.push(record(item))
        if (page.length === PAGE) {
          writer.write(page)
          page = []
        }
      }
      writer.write(page)
      writer.end()
      return writer.rows
    },
  }
}

const PAGE = 1000

function recordWriter(keys: readonly string[], options: ExportOptions) {
  const fd = options.output === undefined ? 1 : openFile(options.output)
  const text = options.format === 'csv' || options.format === 'tsv'
  const gbk = text && options.encoding === 'gbk'
  // A file is written synchronously; stdout through the stream (synchronous for files and pipes on Linux).
  const put = (bytes: Buffer) => (options.output === undefined ? process.stdout.write(bytes) : writeSync(fd, bytes))
  const out = (chunk: string) => put(gbk ? iconv.encode(chunk, 'gb18030') : Buffer.from(chunk))
  let rows = 0
  if (text) {
    const cell = options.format === 'csv' ? (v: unknown) => csvCell(neutralise(cellText(v))) : (v: unknown) => tsvCell(neutralise(cellText(v)))
    const separator = options.format === 'csv' ? ',' : '\t'
    if (!gbk) out('\uFEFF')
    out(`${keys.map(cell).join(separator)}\r\n`)
    return {
      write: (records: readonly Record<string, unknown>[]) => {
        if (records.length === 0) return
        out(records.map((r) => keys.map((k) => cell(r[k])).join(separator)).join('\r\n') + '\r\n')
        rows += records.length
      },
      end: () => close(fd, options.output),
      get rows() { return rows },
    }
  }
  if (options.format === 'json') out('[')
  return {
    write: (records: readonly Record<string, unknown>[]) => {
      if (records.length === 0) return
      if (options.format === 'json') out(records.map((r, i) => `${rows + i === 0 ? '\n' : ',\n'}${JSON.stringify(r)}`).join(''))
      else out(`${records.map((r) => JSON.stringify(r)).join('\n')}\n`)
      rows += records.length
    },
    end: () => {
      if (options.format === 'json') out(rows === 0 ? ']\n' : '\n]\n')
      close(fd, options.output)
    },
    get rows() { return rows },
  }
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w', 0o600)
  } catch (error) {
    throw new UserError(`cannot write ${path}: ${(error as Error).message}`, ExitCode.BadInput, 'choose another --output path')
  }
}

function close(fd: number, output: string | undefined): void {
  if (output !== undefined) closeSync(fd)
}
