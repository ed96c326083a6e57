import fc from 'fast-check'
import iconv from 'iconv-lite'
import {describe, expect, it} from 'vitest'
import {type LineProblem, textDecoding} from '../../src/io/text-decoding.js'

/** Decodes bytes fed in the given chunk sizes, as a stream would; problems' offsets are made absolute. */
function decodeChunked(bytes: Buffer, encoding: string, chunks: readonly number[], options = {}) {
  const decoding = textDecoding(encoding, options)
  let text = ''
  const problems: LineProblem[] = []
  const add = ({text: part, problems: found}: {text: string; problems: readonly LineProblem[]}) => {
    for (const p of found) problems.push({at: text.length + p.at, problem: p.problem})
    text += part
  }
  let at = 0
  for (let k = 0; at < bytes.length; k++) {
    const size = Math.max(1, chunks.length > 0 ? chunks[k % chunks.length] : bytes.length)
    add(decoding.write(bytes.subarray(at, at + size)))
    at += size
  }
  add(decoding.end())
  return {text, problems}
}

describe('textDecoding', () => {
  it.each(['utf-8', 'gb18030'])('decodes %s text exactly however it is chunked, long lines included', (encoding) => {
    const line = fc.oneof(
      fc.string({maxLength: 40}),
      fc.constantFrom('王伟,个人,上海分行', '€ ½ é', '𠀋 surrogate pair'),
    )
    fc.assert(
      fc.property(
        fc.array(line, {maxLength: 12}),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.array(fc.integer({min: 1, max: 17}), {maxLength: 5}),
        (lines, eol, chunks) => {
          const text = lines.join(eol)
          expect(decodeChunked(iconv.encode(text, encoding), encoding, chunks)).toEqual({text, problems: []})
        },
      ),
      {numRuns: 300},
    )
    // A line of 1.5 MB in 64 KB chunks is decoded in parts, cut between characters.
    const long = `id,notes\nC1,${'王伟x'.repeat(200_000)}\nC2,ok\n`
    expect(decodeChunked(iconv.encode(long, encoding), encoding, [64 * 1024 + 1])).toEqual({text: long, problems: []})
  })

  it.each(['utf-8', 'gb18030'])(
    'finds the same bad %s lines, at the same bytes, however the stream is chunked',
    (encoding) => {
      const line = fc.tuple(fc.constantFrom('王伟,1', 'abc', '', '李娜,"x"'), fc.boolean())
      fc.assert(
        fc.property(
          fc.array(line, {minLength: 1, maxLength: 10}),
          fc.array(fc.integer({min: 1, max: 9}), {maxLength: 4}),
          (lines, chunks) => {
            const bytes = Buffer.concat(
              lines.map(([text, bad]) =>
                Buffer.concat([iconv.encode(text, encoding), Buffer.from(bad ? [0xff, 0x0a] : [0x0a])]),
              ),
            )
            const whole = decodeChunked(bytes, encoding, [])
            expect(whole.problems).toHaveLength(lines.filter(([, bad]) => bad).length)
            expect(decodeChunked(bytes, encoding, chunks)).toEqual(whole)
          },
        ),
        {numRuns: 300},
      )
    },
  )

  it('names the line and the byte of bytes that are not UTF-8, and decodes the rest', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n王伟,1\n'), iconv.encode('李娜', 'gbk'), Buffer.from(',2\nc,3\n')])
    const {text, problems} = decodeChunked(bytes, 'utf-8', [3])
    expect(text.startsWith('a,b\n王伟,1\n')).toBe(true)
    expect(text.endsWith(',2\nc,3\n')).toBe(true)
    expect(problems).toEqual([
      {
        at: 'a,b\n王伟,1\n'.length,
        problem: 'not valid UTF-8 at byte 14, but valid GBK: if the file is GBK, import it again with --encoding gbk',
      },
    ])
  })

  it('tells a U+FFFD in the file from bytes that do not decode', () => {
    const bytes = Buffer.concat([Buffer.from('ok \uFFFD then '), Buffer.from([0xc3]), Buffer.from('\n')])
    expect(decodeChunked(bytes, 'utf-8', []).problems).toEqual([
      {at: 0, problem: expect.stringContaining('at byte 13:')},
    ])
    expect(decodeChunked(Buffer.from('ok \uFFFD\n'), 'utf-8', []).problems).toEqual([])
  })

  it('names bytes that are not GB18030, and a line that is UTF-8 when asked to', () => {
    const bytes = Buffer.concat([
      iconv.encode('客户,1\n', 'gbk'),
      Buffer.from('王五,2\n'),
      Buffer.from([0x41, 0xff, 0x0a]),
    ])
    const {text, problems} = decodeChunked(bytes, 'gb18030', [2], {rejectUtf8Lines: true})
    expect(text).toBe('客户,1\n王五,2\nA\uFFFD\n')
    expect(problems).toEqual([
      {
        at: 5,
        problem:
          'this line is UTF-8 in a file read as GBK (from byte 8): save the whole file in one encoding, or give --encoding gbk if the line really is GBK',
      },
      {
        at: 10,
        problem:
          'not valid GBK/GB18030 at byte 18: the bytes are damaged or in another encoding; save the file in one encoding',
      },
    ])
  })

  it.each(['utf-8', 'gb18030'])('names a %s character cut off at the very end', (encoding) => {
    const bytes = Buffer.concat([iconv.encode('a,b\nc,王', encoding), iconv.encode('伟', encoding).subarray(0, 1)])
    expect(decodeChunked(bytes, encoding, [4]).problems).toEqual([
      {at: 4, problem: expect.stringContaining(`at byte ${bytes.length}:`)},
    ])
  })

  it('skips a byte-order mark but counts it in byte offsets', () => {
    const bytes = Buffer.concat([Buffer.from('\uFEFFa\n'), Buffer.from([0xff, 0x0a])])
    expect(decodeChunked(bytes, 'utf-8', [1], {skip: 3})).toEqual({
      text: 'a\n\uFFFD\n',
      problems: [{at: 2, problem: expect.stringContaining('at byte 6:')}],
    })
  })
})
