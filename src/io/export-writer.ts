import iconv from 'iconv-lite'
import {neutralise} from '../core/formula-cells.js'
import {createAtomic, type Protected, takeSignals, type WriteRules} from './files.js'
import {cellText, csvCell, tsvCell} from './render.js'

export type ExportFormat = 'csv' | 'tsv' | 'json' | 'ndjson'
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
  return {protect: options.protect, force: options.force, another: 'choose another --output file'}
}

/**
 * Writes records as an export: CSV and TSV with a byte-order mark in UTF-8 (so Excel reads the Chinese right) or
 * in GBK, formula cells neutralised; JSON as one array and NDJSON a line each, always UTF-8. Rows stream out; a
 * file is written whole or not at all (see createAtomic).
 */
export function exportWriter(keys: readonly string[], options: ExportOptions) {
  return {
    /** Writes every item as a record, a thousand at a time, then ends the export; returns how many. */
    async writeAll<T>(items: Iterable<T>, record: (item: T) => Record<string, unknown>): Promise<number> {
      const file = options.output === undefined ? undefined : createAtomic(options.output, exportRules(options))
      try {
        const writer = recordWriter(keys, options, file?.write)
        let page: Record<string, unknown>[] = []
        for (const item of items) {
          page.push(record(item))
          if (page.length === PAGE) {
            writer.write(page)
            page = []
            await takeSignals()
          }
        }
        writer.write(page)
        writer.end()
        file?.commit()
        return writer.rows
      } catch (error) {
        file?.abort()
        throw error
      }
    },
  }
}

const PAGE = 1000

/** Writes with `write` (a file's), or to stdout when there is none. */
function recordWriter(keys: readonly string[], options: ExportOptions, write: ((bytes: Buffer) => void) | undefined) {
  const text = options.format === 'csv' || options.format === 'tsv'
  const gbk = text && options.encoding === 'gbk'
  // A file is written synchronously; stdout through the stream (synchronous for files and pipes on Linux).
  const put = (bytes: Buffer) => (write === undefined ? process.stdout.write(bytes) : write(bytes))
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
      end: () => {},
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
    },
    get rows() { return rows },
  }
}
