import type {Value, ValueType} from './rules/compile.js'

/**
 * What fillWindow needs of a portfolio too large to hold as rows: each member's argument of one measure, and each
 * member's key, in typed arrays that grow as rows are read. classify check keeps one per measure for every row.
 */

const LONE_SURROGATE = /\p{Cs}/u
/** In 32-bit mode: an unknown value, and a value kept in `others`. */
const NULL_INT = -2_147_483_648
const OTHER_INT = -2_147_483_647

/**
 * A measure's argument per member: 4 bytes each while every value is a small whole number (counts, dates, amounts
 * under 21 million yuan), 8 bytes once one is not. A date is kept as the number YYYYMMDD, which orders as its ISO
 * text does; a bigint amount or a text is kept as it is (rare, or as large as the file's own column).
 */
export class MeasureArgs {
  private ints: Int32Array | null = new Int32Array(1024)
  /** Once a value does not fit 32 bits: NaN for unknown (and for a value kept in `others`). */
  private numbers: Float64Array | null = null
  private readonly others = new Map<number, Value>()
  length = 0

  constructor(private readonly type: ValueType) {}

  push(value: Value): void {
    const m = this.length++
    const v = this.type === 'date' && typeof value === 'string' ? dateNumber(value) : value
    if (this.ints !== null) {
      if (m === this.ints.length) this.ints = grown(this.ints, new Int32Array(m * 2))
      if (v === null) this.ints[m] = NULL_INT
      else if (typeof v === 'number' && Number.isInteger(v) && v > OTHER_INT && v <= 2_147_483_647) this.ints[m] = v
      else if (typeof v !== 'number') {
        this.ints[m] = OTHER_INT
        this.others.set(m, v)
      } else this.widen()
      if (this.ints !== null) return
    }
    if (m === this.numbers!.length) this.numbers = grown(this.numbers!, new Float64Array(m * 2))
    if (typeof v === 'number' && !Number.isNaN(v)) this.numbers![m] = v
    else {
      this.numbers![m] = Number.NaN
      if (v !== null) this.others.set(m, v)
    }
  }

  at(m: number): Value {
    if (this.ints !== null) {
      const v = this.ints[m]
      return v === NULL_INT ? null : v === OTHER_INT ? this.others.get(m)! : v
    }
    const v = this.numbers![m]
    return Number.isNaN(v) ? (this.others.get(m) ?? null) : v
  }

  private widen(): void {
    const ints = this.ints!
    const numbers = new Float64Array(ints.length)
    for (let m = 0; m < this.length - 1; m++)
      numbers[m] = ints[m] === NULL_INT || ints[m] === OTHER_INT ? Number.NaN : ints[m]
    this.numbers = numbers
    this.ints = null
  }
}

/** An ISO date ('YYYY-MM-DD', as parseDate gives) as the number YYYYMMDD. */
function dateNumber(iso: string): number {
  return Number(iso.slice(0, 4)) * 10_000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10))
}

/** Members' keys (customer_id, or the line for rows without one) as UTF-8 in one buffer. */
export class KeyColumn {
  private bytes = new Uint8Array(16 * 1024)
  private ends = new Uint32Array(1024)
  private readonly encoder = new TextEncoder()
  private readonly decoder = new TextDecoder()
  /** Keys UTF-8 cannot carry (a lone surrogate, from a JSON escape), as they are. */
  private readonly odd = new Map<number, string>()
  length = 0

  push(key: string): void {
    if (this.length === this.ends.length) this.ends = grown(this.ends, new Uint32Array(this.length * 2))
    const start = this.length === 0 ? 0 : this.ends[this.length - 1]
    if (LONE_SURROGATE.test(key)) {
      this.odd.set(this.length, key)
      this.ends[this.length++] = start
      return
    }
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    if (start + key.length * 3 > this.bytes.length)
      this.bytes = grown(this.bytes, new Uint8Array(Math.max(this.bytes.length * 2, start + key.length * 3)))
    const {written} = this.encoder.encodeInto(key, this.bytes.subarray(start))
    this.ends[this.length++] = start + written
  }

  at(m: number): string {
    const odd = this.odd.get(m)
    if (odd !== undefined) return odd
    return this.decoder.decode(this.bytes.subarray(m === 0 ? 0 : this.ends[m - 1], this.ends[m]))
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from)
  return to
}
