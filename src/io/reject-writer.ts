import {closeSync, openSync, writeSync} from 'node:fs'
import {stringify} from 'csv-stringify/sync'
import iconv from 'iconv-lite'
import {REJECT_COLUMNS} from '../core/column-plan.js'
import type {RowIssue} from '../core/row-validator.js'

export interface RejectedRow {
  readonly line: number
  readonly issues: readonly RowIssue[]
  readonly cells: readonly string[]
}

/**
 * Writes rejected rows beside the input: the reason first, then the original columns, in the input's encoding
 * and delimiter, so the analyst can fix them in Excel and import the file again (crm ignores the reject_ columns).
 */
export class RejectWriter {
  private fd: number | undefined
  private count = 0

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
    private readonly encoding: string,
    private readonly delimiter: string,
    private readonly bom: boolean,
  ) {}

  get written(): number {
    return this.count
  }

  write(rows: readonly RejectedRow[]): void {
    if (rows.length === 0) return
    const records = rows.map((r) => [String(r.line), r.issues.map((i) => i.field).join(','), r.issues.map((i) => i.reason).join('; '), ...r.cells])
    if (this.fd === undefined) {
      this.fd = openSync(this.path, 'w', 0o600)
      if (this.bom && this.encoding === 'utf-8') writeSync(this.fd, Buffer.from([0xef, 0xbb, 0xbf]))
      records.unshift([...REJECT_COLUMNS, ...this.header])
    }
    const text = stringify(records, {delimiter: this.delimiter || ',', record_delimiter: '\r\n'})
    writeSync(this.fd, this.encoding === 'utf-8' ? Buffer.from(text) : iconv.encode(text, this.encoding))
    this.count += rows.length
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
