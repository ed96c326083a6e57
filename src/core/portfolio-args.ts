import type {Value, ValueType} from './rules/compile.js'

/**
 * What fillWindow needs of a portfolio too large to hold as rows: each member's argument of one measure, and each
 * member's key, in typed arrays that grow as rows are read. classify check keeps one per measure for every row.
 */

const UNKNOWN = 0
const NUMBER = 1
/** A bigint amount (beyond 2^53 fen) or a text: rare, or small enough to hold as they are. */
const OTHER = 2
const LONE_SURROGATE = /\p{Cs}/u

/** A measure's argument per member. A date is kept as the number YYYYMMDD, which orders as its ISO text does. */
export class MeasureArgs {
  private numbers = new Float64Array(1024)
  private kinds = new Uint8Array(1024)
  private readonly others = new Map<number, bigint | string>()
  length = 0

  constructor(private readonly type: ValueType) {}

  push(value: Value): void {
    if (this.length === this.kinds.length) {
      this.numbers = grown(this.numbers, new Float64Array(this.length * 2))
      this.kinds = grown(this.kinds, new Uint8Array(this.length * 2))
    }
    const m = this.length++
    if (value === null) this.kinds[m] = UNKNOWN
    else if (typeof value === 'number') {
      this.kinds[m] = NUMBER
      this.numbers[m] = value
    } else if (this.type === 'date' && typeof value === 'string') {
      // Dates are ISO 'YYYY-MM-DD' (parseDate).
      this.kinds[m] = NUMBER
      this.numbers[m] = Number(value.slice(0, 4)) * 10_000 + Number(value.slice(5, 7)) * 100 + Number(value.slice(8, 10))
    } else {
      this.kinds[m] = OTHER
      this.others.set(m, value as bigint | string)
    }
  }

  at(m: number): Value {
    const kind = this.kinds[m]
    return kind === NUMBER ? this.numbers[m] : kind === UNKNOWN ? null : this.others.get(m)!
  }
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
    if (start + key.length * 3 > this.bytes.length) this.bytes = grown(this.bytes, new Uint8Array(Math.max(this.bytes.length * 2, start + key.length * 3)))
    const {written} = this.encoder.encodeInto(key, this.bytes.subarray(start))
    this.ends[this.length++] = start + written
  }

  at(m: number): string {
    const odd = this.odd.get(m)
    if (odd !== undefined) return odd
    return this.decoder.decode(this.bytes.subarray(m === 0 ? 0 : this.ends[m - 1], this.ends[m]))
  }
}

function grown<T extends Float64Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from)
  return to
}
