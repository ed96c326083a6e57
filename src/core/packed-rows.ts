import type {FieldValue} from './row-validator.js'

const NULL = 0
const TEXT = 1
const NUMBER = 2
/** A bigint (money beyond 2^53 fen), kept as its decimal digits in the text. */
const BIGINT = 3

/**
 * Accepted rows for a writer. Each row's values line up with the plan's fields, and one more value ends the row,
 * its tail: a customer's kept columns as JSON, or a contact's notes key.
 */
export interface RowBlock {
  /** Each row's line in the source file. */
  readonly lines: readonly number[]
  readonly values: PackedRows
}

/** The fields of a PackedRows as they cross between threads (a structured clone drops the class). */
export interface PackedRowsData {
  readonly width: number
  readonly text: string
  /** Where each value's text ends in `text`; it starts where the text of the value before it ended. */
  readonly ends: Int32Array
  readonly kinds: Uint8Array
  readonly numbers: Float64Array
}

/**
 * Rows of values packed for the trip from the reader's thread to the writer's: every string joined into one text
 * and the rest in typed arrays. Posting a block of separate strings cost both threads a value-by-value copy, and
 * left the writer's heap holding every string of a block at once; a packed block copies in a few large pieces and
 * the writer makes each string only as it binds it.
 */
export class PackedRows implements PackedRowsData {
  constructor(readonly width: number, readonly text: string, readonly ends: Int32Array, readonly kinds: Uint8Array,
    readonly numbers: Float64Array) {}

  /** The PackedRows whose fields arrived in a message. */
  static revive(data: PackedRowsData): PackedRows {
    return new PackedRows(data.width, data.text, data.ends, data.kinds, data.numbers)
  }

  /** The value at flat index k (row * width + column). */
  at(k: number): FieldValue {
    const kind = this.kinds[k]
    if (kind === NUMBER) return this.numbers[k]
    if (kind === NULL) return null
    const text = this.text.slice(k === 0 ? 0 : this.ends[k - 1], this.ends[k])
    return kind === TEXT ? text : BigInt(text)
  }

  get(row: number, column: number): FieldValue {
    return this.at(row * this.width + column)
  }

  /** Whether a value is null, without cutting its text out. */
  isNull(row: number, column: number): boolean {
    return this.kinds[row * this.width + column] === NULL
  }

  /** These rows, in this order. */
  select(rows: readonly number[]): PackedRows {
    const builder = new PackedRowsBuilder(this.width)
    for (const row of rows) for (let k = row * this.width, end = k + this.width; k < end; k++) builder.push(this.at(k))
    return builder.finish()
  }
}

/** Packs values one at a time, as the reader checks each row; finish() hands them over and starts again. */
export class PackedRowsBuilder {
  private kinds = new Uint8Array(1024)
  private ends = new Int32Array(1024)
  private numbers = new Float64Array(1024)
  /**
   * The texts of whole rows, and the strings of the row being pushed. A row's strings are joined as it ends, while
   * they are fresh in the cache: one join of a whole block's strings at the finish took three times as long.
   */
  private rows: string[] = []
  private row: string[] = []
  private column = 0
  private count = 0
  private end = 0

  constructor(readonly width: number) {}

  push(value: FieldValue): void {
    if (this.count === this.kinds.length) this.grow()
    const k = this.count++
    if (typeof value === 'string') {
      this.kinds[k] = TEXT
      this.row.push(value)
      this.end += value.length
    } else if (typeof value === 'number') {
      this.kinds[k] = NUMBER
      this.numbers[k] = value
    } else if (typeof value === 'bigint') {
      const digits = value.toString()
      this.kinds[k] = BIGINT
      this.row.push(digits)
      this.end += digits.length
    } else this.kinds[k] = NULL
    this.ends[k] = this.end
    if (++this.column === this.width) {
      this.rows.push(this.row.join(''))
      this.row.length = 0
      this.column = 0
    }
  }

  finish(): PackedRows {
    const n = this.count
    if (this.row.length > 0) this.rows.push(this.row.join(''))
    const packed = new PackedRows(this.width, this.rows.join(''), this.ends.slice(0, n), this.kinds.slice(0, n), this.numbers.slice(0, n))
    this.rows = []
    this.row.length = 0
    this.column = 0
    this.count = 0
    this.end = 0
    return packed
  }

  private grow(): void {
    const size = this.kinds.length * 2
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from)
      return to
    }
    this.kinds = grown(this.kinds, new Uint8Array(size))
    this.ends = grown(this.ends, new Int32Array(size))
    this.numbers = grown(this.numbers, new Float64Array(size))
  }
}
