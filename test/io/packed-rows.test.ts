import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {FieldValue} from '../../src/core/row-validator.js'
import {BufferPool, PackedRows, PackedRowsBuilder, transferList} from '../../src/io/packed-rows.js'

const value: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.string({unit: 'grapheme'}),
  fc.string({unit: 'binary'}),
  fc.constant(''),
  fc.constant(null),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.bigInt({min: -(10n ** 30n), max: 10n ** 30n}),
)
const rows = (width: number) => fc.array(fc.array(value, {minLength: width, maxLength: width}), {maxLength: 30})

function pack(builder: PackedRowsBuilder, table: readonly FieldValue[][]): PackedRows {
  for (const row of table) for (const v of row) builder.push(v)
  return builder.finish()
}

const unpack = (packed: PackedRows) => packed.rows()

describe('PackedRows', () => {
  it('gives back every value as it was pushed, after crossing threads, block after block', () => {
    fc.assert(
      fc.property(
        fc
          .integer({min: 1, max: 6})
          .chain((width) => fc.tuple(fc.constant(width), rows(width), rows(width), rows(width))),
        ([width, first, second, third]) => {
          const pool = new BufferPool()
          const builder = new PackedRowsBuilder(width, pool)
          // The builder is used again for the next block: nothing of the first may leak into the second.
          const packedFirst = pack(builder, first)
          const packedSecond = pack(builder, second)
          expect(unpack(packedFirst)).toEqual(first)
          first.forEach((row, r) => {
            row.forEach((v, c) => {
              expect(packedFirst.get(r, c)).toEqual(v)
            })
          })
          // As between the reader's thread and the writer's: the buffers move, and come back to be filled again.
          const sent = packedSecond.buffers
          const arrived = PackedRows.revive(structuredClone(packedSecond, {transfer: transferList(sent)}))
          expect(packedSecond.text.byteLength).toBe(0) // moved, not copied
          if (second.length > 0) expect(() => packedSecond.get(0, 0)).toThrow('sent back')
          expect(unpack(arrived)).toEqual(second)
          const returned = structuredClone(arrived.buffers, {transfer: transferList(arrived.buffers)})
          pool.give(returned)
          pool.give(packedFirst.buffers)
          // The builder went on in fresh buffers after the second block; after the third it takes returned ones.
          expect(unpack(pack(builder, third))).toEqual(third)
          const refilled = pack(builder, first)
          expect(unpack(refilled)).toEqual(first)
          expect([returned.kinds, packedFirst.buffers.kinds]).toContain(refilled.kinds.buffer)
        },
      ),
      {numRuns: 500},
    )
  })

  it('grows past its first capacity', () => {
    const table = Array.from({length: 3000}, (_, i) => [`C${i}`, i, i % 7 === 0 ? null : '客户'.repeat(i % 3)])
    expect(unpack(pack(new PackedRowsBuilder(3), table))).toEqual(table)
  })
})

describe('PackedRows of no rows', () => {
  it('gives no rows, whatever the width (a block whose every row was rejected)', () => {
    for (const width of [0, 3]) expect(new PackedRowsBuilder(width).finish().rows()).toEqual([])
  })
})

describe('PackedRows.rowsAt', () => {
  it('decodes just the rows asked for, in the order given, as they were pushed', () => {
    fc.assert(
      fc.property(
        fc
          .integer({min: 1, max: 5})
          .chain((width) =>
            rows(width).chain((table) =>
              fc.tuple(
                fc.constant(width),
                fc.constant(table),
                fc.array(fc.nat(Math.max(0, table.length - 1)), {maxLength: table.length === 0 ? 0 : 40}),
                fc.nat(40),
                fc.nat(40),
              ),
            ),
          ),
        ([width, table, order, a, b]) => {
          const packed = pack(new PackedRowsBuilder(width), table)
          const [from, to] = [Math.min(a, b, order.length), Math.min(Math.max(a, b), order.length)]
          expect(packed.rowsAt(from, to, order)).toEqual(order.slice(from, to).map((r) => table[r]))
          const [f, t] = [Math.min(a, b, table.length), Math.min(Math.max(a, b), table.length)]
          expect(packed.rowsAt(f, t)).toEqual(table.slice(f, t))
        },
      ),
      {numRuns: 300},
    )
  })

  it('refuses a row past the block', () => {
    const packed = pack(new PackedRowsBuilder(2), [['a', 1]])
    expect(() => packed.rowsAt(0, 1, [1])).toThrow('past the rows')
  })
})
