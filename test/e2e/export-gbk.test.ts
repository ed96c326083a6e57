import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// --encoding gbk is for Excel on a Chinese Windows. A character GBK has no code for (an emoji, Korean, a rare Chinese
// character) would be written as a GB18030 four-byte code, which such a reader shows as two wrong characters: the
// export is refused, naming the first such row and field and suggesting UTF-8.
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

beforeAll(() => {
  const file = join(temp.dir, 'book.csv')
  writeFileSync(
    file,
    'customer_id,name,type,branch,note\nG1,王芳,individual,"杭州,分行",稳健\nG2,李雷,individual,上海分行,"VIP ""gold""\nsecond line"\nG3,韩梅梅,individual,北京分行,好客户😀\nG4,赵六,individual,北京分行,ok\n',
  )
  expectHandled(crm(['customer', 'import', file, ...db]), 0)
  expectHandled(
    crm(['contact', 'log', '--customer', 'G2', '--channel', 'phone', '--purpose', 'service', '--note', '안녕', ...db]),
    0,
  )
})

describe('customer export --encoding gbk', () => {
  it.each([
    ['CSV to a file', ['--output', 'out.csv']],
    ['TSV to a file', ['--format', 'tsv', '--output', 'out.tsv']],
    ['CSV on standard output', []],
  ])('%s: refuses a character GBK cannot hold, naming the row and field, and suggests UTF-8 (exit 2)', (_, args) => {
    const output = args.includes('--output') ? join(temp.dir, args.at(-1)!) : undefined
    const rest = output === undefined ? args : [...args.slice(0, -1), output]
    const result = crm(['customer', 'export', '--encoding', 'gbk', ...rest, ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('row 3 (customer_id G3), extra: 😀 (U+1F600) is not a GBK character')
    expect(result.stderr).toContain('leave out --encoding gbk')
    // A file is written whole or not at all.
    if (output !== undefined) expect(existsSync(output)).toBe(false)
  })

  it('says so in Chinese with --lang zh', () => {
    const result = crm(['customer', 'export', '--encoding', 'gbk', '--lang', 'zh', ...db])
    expectHandled(result, 2)
    expect(result.stderr).toContain('第 3 行（customer_id G3）的 extra：😀（U+1F600）不是 GBK 字符')
  })

  it('writes GBK, on standard output too, when every character has a GBK code', () => {
    const run = spawnSync(process.execPath, [BIN, 'customer', 'export', '--encoding', 'gbk', '--rm', 'x', ...db], {
      cwd: ROOT,
      env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'},
    })
    expect(run.status).toBe(0)
    const out = join(temp.dir, 'fine.csv')
    expectHandled(crm(['customer', 'export', '--encoding', 'gbk', '--search', 'G1', '--output', out, ...db]), 0)
    for (const bytes of [readFileSync(out)]) {
      expect(bytes.includes(Buffer.from('王芳'))).toBe(false)
      expect(iconv.decode(bytes, 'gbk')).toContain('G1,王芳,individual')
      expect(iconv.decode(bytes, 'gbk')).toContain('"杭州,分行"')
    }
    const piped = spawnSync(
      process.execPath,
      [BIN, 'customer', 'export', '--encoding', 'gbk', '--search', 'G2', ...db],
      {cwd: ROOT, env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}},
    )
    expect(piped.status).toBe(0)
    expect(piped.stdout.includes(Buffer.from('李雷'))).toBe(false)
    expect(iconv.decode(piped.stdout, 'gbk')).toContain('G2,李雷,individual')
  })
})

describe('contact export --encoding gbk', () => {
  it('refuses Korean in a note, naming the row and field', () => {
    const result = crm(['contact', 'export', '--encoding', 'gbk', ...db])
    expectHandled(result, 2)
    expect(result.stderr).toMatch(/row 1 \(id 1\), notes: 안 \(U\+C548\) is not a GBK character/)
  })
})
