import {createRequire} from 'node:module'
import type {ChalkInstance} from 'chalk'
import type Table from 'cli-table3'
import {neutralise} from '../core/formula-cells.js'

// Loaded on first use: most commands print no table, and start-up time counts for `crm contact log`.
const require = createRequire(import.meta.url)
const stringify = (...args: Parameters<typeof import('csv-stringify/sync').stringify>) => (require('csv-stringify/sync') as typeof import('csv-stringify/sync')).stringify(...args)

export type Format = 'table' | 'csv' | 'tsv' | 'json' | 'ndjson'
export const FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson'] as const

/** A column of a human table: its heading and how to show a row's cell. */
export interface Column<T> {
  readonly header: string
  readonly cell: (row: T) => string
  readonly align?: 'left' | 'right'
}

/** How rows look: table columns for people; flat records (canonical keys, raw values) for scripts. */
export interface View<T> {
  readonly columns: readonly Column<T>[]
  readonly record: (row: T) => Record<string, unknown>
}

/** A table on a terminal; TSV when piped, so `| cut -f` works. */
export function defaultFormat(stdout: NodeJS.WriteStream = process.stdout): Format {
  return stdout.isTTY ? 'table' : 'tsv'
}

export function render<T>(rows: readonly T[], view: View<T>, format: Format, chalk?: ChalkInstance): string {
  switch (format) {
    case 'json': return JSON.stringify(rows.map(view.record), null, 2)
    case 'ndjson': return rows.map((r) => JSON.stringify(view.record(r))).join('\n')
    case 'csv':
    case 'tsv': return delimited(rows.map(view.record), format === 'csv' ? ',' : '\t')
    default: return table(rows, view.columns, chalk)
  }
}

function delimited(records: readonly Record<string, unknown>[], delimiter: string): string {
  if (records.length === 0) return ''
  const keys = Object.keys(records[0])
  // Piped into a file that a spreadsheet opens, a formula cell would run: it is neutralised as in exports.
  const cells = records.map((r) => keys.map((k) => neutralise(cellText(r[k]))))
  if (delimiter === '\t') return [keys, ...cells].map((row) => row.map(tsvCell).join('\t')).join('\n')
  return stringify([keys, ...cells], {delimiter, record_delimiter: '\n'}).replace(/\n$/, '')
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** TSV has no quoting: tabs and line breaks inside a value are written as \t, \n and \r (and a backslash as \\). */
export function tsvCell(text: string): string {
  return /[\t\n\r\\]/.test(text) ? text.replace(/[\t\n\r\\]/g, (c) => ({'\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\'})[c]!) : text
}

/** A value as the text of a delimited cell: empty for none, JSON for objects. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[], chalk?: ChalkInstance): string {
  const TableClass = require('cli-table3') as typeof Table
  const t = new TableClass({
    head: columns.map((c) => (chalk ? chalk.bold(c.header) : c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: {head: [], border: chalk && chalk.level > 0 ? ['grey'] : []},
    // No rule between rows: a long list stays readable.
    chars: {'mid': '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  })
  for (const row of rows) t.push(columns.map((c) => c.cell(row)))
  return t.toString()
}
