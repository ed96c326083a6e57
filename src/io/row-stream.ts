import {createRequire} from 'node:module'
import {type Format, tsvCell} from './render.js'

const require = createRequire(import.meta.url)

/**
 * Writes records as they come, for pipelines: CSV and TSV with one header line, NDJSON a line each. JSON and
 * tables need every row first, so they are collected and written at the end.
 */
export function recordStream(format: Format, write: (text: string) => void, finish: (records: Record<string, unknown>[]) => string) {
  let keys: string[] | undefined
  const collected: Record<string, unknown>[] = []
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v))
  return {
    write(records: readonly Record<string, unknown>[]): void {
      if (records.length === 0) return
      if (format === 'table' || format === 'json') {
        collected.push(...records)
        return
      }
      if (format === 'ndjson') {
        write(`${records.map((r) => JSON.stringify(r)).join('\n')}\n`)
        return
      }
      const header = keys === undefined
      keys ??= Object.keys(records[0])
      const rows = records.map((r) => keys!.map((k) => cell(r[k])))
      if (format === 'tsv') {
        write(`${[...(header ? [keys] : []), ...rows].map((row) => row.map(tsvCell).join('\t')).join('\n')}\n`)
        return
      }
      const {stringify} = require('csv-stringify/sync') as typeof import('csv-stringify/sync')
      write(stringify(header ? [keys, ...rows] : rows, {record_delimiter: '\n'}))
    },
    end(): void {
      if (format === 'table' || format === 'json') write(`${finish(collected)}\n`)
    },
  }
}
