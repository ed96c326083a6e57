import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {BufferPool, PackedRows, PackedRowsBuilder, transferList} from '../../src/core/packed-rows.js'
import type {FieldValue} from '../../src/core/row-validator.js'

const value: fc.Arbitrary<FieldValue> = fc.oneof(
  fc.string({unit: 'grapheme'}), fc.string({unit: 'binary'}), fc.constant(''), fc.constant(null),
  fc.integer(), fc.maxSafeInteger(), fc.bigInt({min: -(10n ** 30n), max: 10n ** 30n}),
)
const rows = (width: number) => fc.array(fc.array(value, {minLength: width, maxLength: width}), {maxLength: 30})

function pack(builder: PackedRowsBuilder, table: readonly FieldValue[][]): PackedRows {
  for (const row of table) for (const v of row) builder.push(v)
  return builder.finish()
}

const unpack = (packed: PackedRows) => Array.from({length: packed.kinds.length / packed.width}, (_, row) => Array.from({length: packed.width}, (_, column) => packed.get(row, column)))

describe('PackedRows', () => {
  it('gives back every value as it was pushed, after crossing threads, block after block', () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 6}).chain((width) => fc.tuple(fc.constant(width), rows(width), rows(width), rows(width))), ([width, first, second, third]) => {
      const pool = new BufferPool()
      const builder = new PackedRowsBuilder(width, pool)
      // The builder is used again for the next block: nothing of the first may leak into the second.
      const packedFirst = pack(builder, first)
      const packedSecond = pack(builder, second)
      expect(unpack(packedFirst)).toEqual(first)
      first.forEach((row, r) => row.forEach((v, c) => expect(packedFirst.isNull(r, c)).toBe(v === null)))
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
    }), {numRuns: 500})
  })

  it('gives any run of rows at once, as the writer binds them', () => {
    const table = (width: number) => rows(width).filter((t) => t.length > 0)
    // Usually ascending (a block's kept rows are), but any order and repeats give the same values.
    const runOf = (length: number) => fc.tuple(fc.array(fc.nat(length - 1), {minLength: 1}), fc.boolean()).map(([rs, sorted]) => (sorted ? rs.sort((a, b) => a - b) : rs))
    fc.assert(fc.property(fc.integer({min: 1, max: 5}).chain((width) => table(width).chain((t) => fc.tuple(fc.constant(t), runOf(t.length)))), ([t, run]) => {
      const packed = pack(new PackedRowsBuilder(t[0].length), t)
      const out: FieldValue[] = ['already there']
      packed.pushRows(run, 0, run.length, out)
      expect(out).toEqual(['already there', ...run.flatMap((row) => t[row])])
      const tail: FieldValue[] = []
      packed.pushRows(run, run.length - 1, run.length, tail)
      expect(tail).toEqual(t[run.at(-1)!])
    }), {numRuns: 500})
  })

  it('selects rows in a given order', () => {
    fc.assert(fc.property(rows(3).filter((t) => t.length > 0).chain((table) => fc.tuple(fc.constant(table), fc.array(fc.nat(table.length - 1)))), ([table, order]) => {
      const packed = pack(new PackedRowsBuilder(3), table)
      expect(unpack(packed.select(order))).toEqual(order.map((row) => table[row]))
    }), {numRuns: 300})
  })

  it('grows past its first capacity', () => {
    const table = Array.from({length: 3000}, (_, i) => [`C${i}`, i, i % 7 === 0 ? null : '客户'.repeat(i % 3)])
    expect(unpack(pack(new PackedRowsBuilder(3), table))).toEqual(table)
  })
})
