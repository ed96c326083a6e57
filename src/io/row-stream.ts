import {neutralise} from '../core/formula-cells.js'
import {csvCell, type Format, tsvCell} from './render.js'

/**
 * Writes rows as they come, for pipelines: CSV and TSV with one header line, NDJSON an object a line. JSON and
 * tables need every row first, so those are collected and handed to `finish` at the end.
 */
export function rowStream(format: Format, keys: readonly string[], write: (text: string) => void, finish: (records: Record<string, string>[]) => string) {
  const collected: Record<string, string>[] = []
  const record = (cells: readonly string[]) => {
    const r: Record<string, string> = {}
    for (let i = 0; i < keys.length; i++) r[keys[i]] = cells[i] ?? ''
    return r
  }
  let headerDone = false
  return {
    write(rows: readonly (readonly string[])[]): void {
      if (format === 'table' || format === 'json') {
        for (const cells of rows) collected.push(record(cells))
        return
      }
      if (format === 'ndjson') {
        if (rows.length > 0) write(`${rows.map((cells) => JSON.stringify(record(cells))).join('\n')}\n`)
        return
      }
      const cell = format === 'tsv' ? tsvCell : csvCell
      const separator = format === 'tsv' ? '\t' : ','
      let text = headerDone ? '' : `${keys.map(cell).join(separator)}\n`
      headerDone = true
      // Piped into a file that a spreadsheet opens, a formula cell would run: it is neutralised as in exports.
      for (const cells of rows) text += `${cells.map((c) => cell(neutralise(c))).join(separator)}\n`
      if (text !== '') write(text)
    },
    end(): void {
      if (format === 'table' || format === 'json') write(`${finish(collected)}\n`)
    },
    /** The rows collected for a table or JSON. */
    records: (): readonly Record<string, string>[] => collected,
  }
}
