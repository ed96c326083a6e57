import type {FieldValue} from '../core/row-validator.js'

const NULL = 0
const TEXT = 1
const NUMBER = 2
/** A bigint (money beyond 2^53 fen), kept as its decimal digits in the text. */
const BIGINT = 3
/** Rows whose text rows() decodes at once: few enough that the string is an ordinary young object. */
const ROWS_PER_DECODE = 100

/** The fields of a PackedRows as they cross between threads (a structured clone drops the class). */
export interface PackedRowsData {
  readonly width: number
  /** The strings' UTF-16 code units, one after another, in an ArrayBuffer of their own (it can be transferred). */
  readonly text: Uint16Array
  /** Where each value's text ends in `text`; it starts where the text of the value before it ended. */
  readonly ends: Int32Array
  readonly kinds: Uint8Array
  readonly numbers: Float64Array
}

/**
 * Rows of values packed for the trip from the reader's thread to the writer's, by import-channel.ts alone: every
 * string's code units in one buffer and the rest in typed arrays. Posting a block of separate strings cost both threads
 * a value-by-value copy; posting one long string left each block's text in the writer's large-object space until a full
 * GC (some 20 MB at a time). The buffers move between threads without a copy, and go back to the reader to be filled
 * again, so the writer's heap holds only the rows of the block it is writing.
 */
export class PackedRows implements PackedRowsData {
  /** `text` as bytes, to decode from (private in the language, so a structured clone leaves it out). */
  readonly #bytes: Buffer

  constructor(
    readonly width: number,
    readonly text: Uint16Array,
    readonly ends: Int32Array,
    readonly kinds: Uint8Array,
    readonly numbers: Float64Array,
  ) {
    this.#bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength)
  }

  /** The PackedRows whose fields arrived in a message. */
  static revive(data: PackedRowsData): PackedRows {
    return new PackedRows(data.width, data.text, data.ends, data.kinds, data.numbers)
  }

  /** The buffers these rows live in: a message can transfer them rather than copy, and they can be filled again. */
  get buffers(): BlockBuffers {
    return {
      text: this.text.buffer as ArrayBuffer,
      ends: this.ends.buffer as ArrayBuffer,
      kinds: this.kinds.buffer as ArrayBuffer,
      numbers: this.numbers.buffer as ArrayBuffer,
    }
  }

  /** The value at flat index k (row * width + column). */
  at(k: number): FieldValue {
    this.within(k)
    const kind = this.kinds[k]
    if (kind === NUMBER) return this.numbers[k]
    if (kind === NULL) return null
    const start = k === 0 ? 0 : this.ends[k - 1]
    return this.valueOf(k, this.decode(start, this.ends[k]), start)
  }

  get(row: number, column: number): FieldValue {
    return this.at(row * this.width + column)
  }

  /** The number of rows packed. */
  get count(): number {
    return this.width === 0 ? 0 : this.kinds.length / this.width
  }

  /** Every row, each an array of its values, in the order they were pushed. */
  rows(): FieldValue[][] {
    return this.rowsAt(0, this.count)
  }

  /**
   * Rows `from` to `to` (not included), each an array of its values; with `order`, the i-th is packed row order[i].
   * Only these rows are decoded, so a writer keeps one slice of a block alive rather than the whole block. The text of
   * consecutive rows is decoded a run at a time and each value cut from it: one string for a whole block's text
   * would be large enough to stay in the heap until a full collection.
   */
  rowsAt(from: number, to: number, order: ArrayLike<number> | null = null): FieldValue[][] {
    const {width, ends, kinds, numbers} = this
    const count = this.count
    const source = (i: number) => (order === null ? i : order[i])
    const rows: FieldValue[][] = new Array(Math.max(0, to - from))
    let text = ''
    let base = 0
    // The packed rows whose text is decoded in `text`: runFirst to runLast, not included.
    let runFirst = 0
    let runLast = 0
    for (let i = from; i < to; i++) {
      const r = source(i)
      if (!(r >= 0 && r < count)) this.within(count * width)
      if (r < runFirst || r >= runLast) {
        let last = r + 1
        for (let j = i + 1; last - r < ROWS_PER_DECODE && j < to && source(j) === last; j++) last++
        base = r === 0 ? 0 : ends[r * width - 1]
        text = this.decode(base, ends[last * width - 1])
        runFirst = r
        runLast = last
      }
      const row: FieldValue[] = new Array(width)
      for (let c = 0, k = r * width; c < width; c++, k++) {
        const kind = kinds[k]
        row[c] = kind === NUMBER ? numbers[k] : kind === NULL ? null : this.valueOf(k, text, base)
      }
      rows[i - from] = row
    }
    return rows
  }

  /** A text or bigint value cut from `text`, which holds the code units from `base` on. */
  private valueOf(k: number, text: string, base: number): string | bigint {
    const value = text.slice((k === 0 ? 0 : this.ends[k - 1]) - base, this.ends[k] - base)
    return this.kinds[k] === TEXT ? value : BigInt(value)
  }

  private decode(start: number, end: number): string {
    return this.#bytes.toString('utf16le', start * 2, end * 2)
  }

  /**
   * Throws for a value past the rows, as every value is once the buffers have gone (they read as empty, not as an
   * error).
   */
  private within(k: number): void {
    if (!(k < this.kinds.length))
      throw new RangeError(
        `packed value ${k} is past the rows' ${this.kinds.length} values, or their buffers were sent back`,
      )
  }
}

/** The four buffers a block of PackedRows lives in. */
export interface BlockBuffers {
  readonly text: ArrayBuffer
  readonly ends: ArrayBuffer
  readonly kinds: ArrayBuffer
  readonly numbers: ArrayBuffer
}

/** A block's buffers as a transfer list. */
export function transferList(buffers: BlockBuffers): ArrayBuffer[] {
  return [buffers.text, buffers.ends, buffers.kinds, buffers.numbers]
}

/**
 * Spare buffers for a PackedRowsBuilder. The writer sends each block's buffers back once it has written the block,
 * so an import cycles through a few sets (as many as blocks in flight) instead of allocating a set per block, which
 * left 10–15 MB of written blocks' buffers waiting for the garbage collector.
 */
export class BufferPool {
  private readonly spare: BlockBuffers[] = []

  take(): BlockBuffers {
    return (
      this.spare.pop() ?? {
        text: new ArrayBuffer(INITIAL_VALUES * 16),
        ends: new ArrayBuffer(INITIAL_VALUES * 4),
        kinds: new ArrayBuffer(INITIAL_VALUES),
        numbers: new ArrayBuffer(INITIAL_VALUES * 8),
      }
    )
  }

  give(buffers: BlockBuffers): void {
    this.spare.push(buffers)
  }
}

/**
 * A new set's capacity, in values, and 8 code units of text a value. Each buffer grows by half as a block needs (a
 * block of 2,500 customers has about 70,000 values and 400,000 code units) and is kept at that size for the next
 * blocks; growing by half rather than doubling leaves less of each set unused.
 */
const INITIAL_VALUES = 1 << 14

/** The next size of a growing buffer or array, a multiple of 8 (for the typed arrays' element sizes). */
function grownSize(size: number): number {
  return Math.ceil((size * 1.5) / 8) * 8
}

/** Packs values one at a time, as the reader checks each row; finish() hands them over and starts again. */
export class PackedRowsBuilder {
  private kinds!: Uint8Array
  private ends!: Int32Array
  private numbers!: Float64Array
  private text!: Buffer
  /** The code units written to `text` so far. */
  private written = 0
  /**
   * The strings of the row being pushed. A row's strings are joined and written as it ends, while they are fresh
   * in the cache: one join of a whole block's strings at the finish took three times as long.
   */
  private row: string[] = []
  private column = 0
  private count = 0
  private end = 0

  constructor(
    readonly width: number,
    private readonly pool = new BufferPool(),
  ) {
    this.use(pool.take())
  }

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
    if (++this.column === this.width) this.endRow()
  }

  /** The rows pushed since the last finish, in this builder's buffers; the builder goes on in spare ones. */
  finish(): PackedRows {
    const n = this.count
    if (this.row.length > 0) this.endRow()
    const packed = new PackedRows(
      this.width,
      new Uint16Array(this.text.buffer, 0, this.written),
      new Int32Array(this.ends.buffer, 0, n),
      new Uint8Array(this.kinds.buffer, 0, n),
      new Float64Array(this.numbers.buffer, 0, n),
    )
    this.use(this.pool.take())
    this.written = 0
    this.column = 0
    this.count = 0
    this.end = 0
    return packed
  }

  private use(buffers: BlockBuffers): void {
    this.text = Buffer.from(buffers.text)
    this.ends = new Int32Array(buffers.ends)
    this.kinds = new Uint8Array(buffers.kinds)
    this.numbers = new Float64Array(buffers.numbers)
  }

  private endRow(): void {
    const joined = this.row.length === 1 ? this.row[0] : this.row.join('')
    this.row.length = 0
    this.column = 0
    const needed = (this.written + joined.length) * 2
    if (needed > this.text.length) {
      const larger = Buffer.from(new ArrayBuffer(Math.max(needed, grownSize(this.text.length))))
      this.text.copy(larger, 0, 0, this.written * 2)
      this.text = larger
    }
    this.written += this.text.write(joined, this.written * 2, 'utf16le') / 2
  }

  /** Grows the value arrays (the text grows on its own, in endRow). */
  private grow(): void {
    const size = grownSize(this.kinds.length)
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T => {
      to.set(from)
      return to
    }
    this.kinds = grown(this.kinds, new Uint8Array(size))
    this.ends = grown(this.ends, new Int32Array(size))
    this.numbers = grown(this.numbers, new Float64Array(size))
  }
}
