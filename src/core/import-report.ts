import type {FieldChangeSummary} from './field-changes.js'
// What an import did, for the summary line, --json and the batch record (pure data).

/** A record that appeared again: the row at `line` gave way to the one at `keptLine` (0: an earlier block). */
export interface Duplicate {
  readonly customerId: string
  readonly line: number
  readonly keptLine: number
}

export interface Example {
  readonly line: number
  readonly field: string
  readonly reason: string
}

export interface ImportReport {
  entity: 'customer' | 'contact'
  file: string
  format: string
  encoding: string
  delimiter: string
  read: number
  inserted: number
  updated: number
  unchanged: number
  rejected: number
  duplicates: number
  warnings: number
  aumRead: bigint | null
  aumStored: bigint | null
  /**
   * Accepted rows that carry an aum (the sums cover these only; the others' are unknown); null without an aum column.
   */
  aumCount: number | null
  unknownColumns: string[]
  rejectsFile: string | null
  rejectExamples: Example[]
  duplicateExamples: Duplicate[]
  warningExamples: Example[]
  batchId: number | null
  dryRun: boolean
  committed: boolean
  sameFileAsBatch: number | null
  /** The interrupted import of the same file (name and size) that this one completes, and the rows it had read. */
  completesBatch: {readonly id: number; readonly rowsRead: number} | null
  seconds: number
  /**
   * Rows rejected because their bytes are not UTF-8 (in a file read as UTF-8): the summary says --encoding gbk once.
   */
  notUtf8?: number
  /** Contacts only: open follow-ups that the imported contacts answered. */
  closedFollowUps?: number
  /** h1: a customer upsert's --dry-run: what it would change in stored customers, per field. */
  changes?: FieldChangeSummary[]
  /** h1: a dry run that the identity guard would stop for real: why. */
  identityStop?: string
}
