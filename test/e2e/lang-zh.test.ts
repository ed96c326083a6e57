import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'

const temp = tempDir()
afterAll(temp.cleanup)
const book = join(temp.dir, 'book.csv')

beforeAll(() => {
  writeFileSync(
    book,
    [
      'customer_id,name,type,branch,aum,birth_date,phone',
      'C1,张三,individual,B1,100.00,1980-01-01,13800138000',
      'C2,李四,individual,B1,abc,1980-13-01,12345',
      ',王五,individual,B1,5,1980-01-01,13800138000',
      'C4,赵六,individual,B1',
    ].join('\n'),
  )
})

describe('--lang zh', () => {
  it('gives the import report and its reject reasons in Chinese, personal values masked', () => {
    const result = crm(['customer', 'import', book, '--db', temp.db, '--lang', 'zh'])
    expect(result.code).toBe(3)
    expect(result.stdout).toContain('3 行被拒绝')
    expect(result.stdout).toMatch(/第 4 行 +customer_id +customer_id 为空/)
    expect(result.stdout).toContain('该行有 4 列，但表头有 7 列')
    expect(result.stdout).toContain('“abc”不是金额')
    expect(result.stdout).toContain('“***45”不是内地手机号')
    expect(result.stdout).toContain('1980-**-** 不是日期')
    expect(result.stdout).not.toMatch(/12345|1980-13-01/)
  })

  it('keeps English reasons under --json, where scripts read them', () => {
    const report = json<{reject_examples: {field: string; reason: string}[]}>(
      crm(['customer', 'import', book, '--db', temp.db, '--dry-run', '--lang', 'zh', '--json']),
    )
    expect(report.reject_examples).toContainEqual({line: 4, field: 'customer_id', reason: 'customer_id is empty'})
  })

  it('gives an error and its hint in Chinese, and the same error in English under --json', () => {
    const result = crm(['customer', 'show', 'C9', '--db', temp.db, '--lang', 'zh'])
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('错误：没有客户号为“C9”的客户')
    expect(result.stderr).toContain('您要找的是不是 C1')
    const error = json<{error: {message: string}}>(
      crm(['customer', 'show', 'C9', '--db', temp.db, '--lang', 'zh', '--json']),
    )
    expect(error.error.message).toBe('no customer with customer_id "C9"')
  })

  it('names a missing flag in Chinese', () => {
    const result = crm(['contact', 'log', '--customer', 'C1', '--db', temp.db, '--lang', 'zh'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('缺少 --channel')
  })

  it('heads a table in Chinese', () => {
    const result = crm(['scheme', 'list', '--format', 'table', '--lang', 'zh'])
    expect(result.code).toBe(0)
    expect(result.stdout.split('\n')[1]).toMatch(/方案.*版本.*说明.*分层/)
  })

  it('places a scheme error by its line and column in Chinese, the quoted line and caret as they are', () => {
    const scheme = join(temp.dir, 'bad-scheme.yaml')
    writeFileSync(scheme, 'name: my-tiers\nversion: "1"\ntiers:\n  - id: high\n    rule: aumm >= 1000\n  - id: rest\n')
    const result = crm(['scheme', 'validate', scheme, '--lang', 'zh'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('bad-scheme.yaml 第 5 行第 11 列：未知字段“aumm”')
    expect(result.stderr).toContain('5 |     rule: aumm >= 1000')
    expect(result.stderr).toContain('您要找的是不是 "aum"？')
    expect(crm(['scheme', 'validate', scheme]).stderr).toContain(
      'bad-scheme.yaml line 5, column 11: unknown field "aumm"',
    )
  })

  it('explains a bad --mapping file in Chinese, and in English under --json', () => {
    const mapping = join(temp.dir, 'twice.json')
    writeFileSync(mapping, '{"columns": {"客户号": "customer_id", "客户号": "name"}}')
    const result = crm(['customer', 'import', book, '--mapping', mapping, '--db', temp.db, '--lang', 'zh'])
    expect(result.code).toBe(3)
    expect(result.stderr).toContain(`映射文件 ${mapping} 中“客户号”出现了两次：“customer_id”和“name”`)
    expect(result.stderr).toContain('请保留您要的那一个')
    const error = json<{error: {message: string}}>(
      crm(['customer', 'import', book, '--mapping', mapping, '--db', temp.db, '--lang', 'zh', '--json']),
    )
    expect(error.error.message).toBe(`the mapping file ${mapping} gives "客户号" twice: "customer_id" and "name"`)
  })

  it('says in Chinese that a summary has no run to stand on', () => {
    const result = crm(['summary', '--run', '999', '--db', temp.db, '--lang', 'zh'])
    expect(result.code).toBe(4)
    expect(result.stderr).toContain('错误：没有编号为 999 的分层运行')
    expect(result.stderr).toContain('可用 crm classify runs 列出分层运行')
  })

  it('stays English by default', () => {
    expect(crm(['customer', 'show', 'C9', '--db', temp.db]).stderr).toContain(
      'Error: no customer with customer_id "C9"',
    )
  })
})

describe('--lang zh where English was left', () => {
  const own = tempDir()
  afterAll(own.cleanup)
  const db = ['--db', own.db, '--lang', 'zh']
  const onTerminal = (args: readonly string[]) =>
    spawnSync('python3', [join(ROOT, 'test/helpers/pty-run.py'), '[]', '--', process.execPath, BIN, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      // CI=… leaves the progress bar out (CI logs), and CI runs this suite with it set.
      env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', CI: undefined},
    })
  beforeAll(() => {
    writeFileSync(
      join(own.dir, 'b.csv'),
      'customer_id,name,type,branch,aum\nZ1,张三,individual,上海分行浦东支行,100.00\nZ2,李四,individual,北京分行,2000000.00\n',
    )
    expect(crm(['customer', 'import', join(own.dir, 'b.csv'), ...db]).code).toBe(0)
  })

  it('draws the progress bar of an import in Chinese', () => {
    const result = onTerminal(['customer', 'import', join(own.dir, 'b.csv'), ...db])
    expect(result.status).toBe(0)
    // The rate is whatever the machine managed: a number, or thousands (千) on a quick one.
    expect(result.stdout).toMatch(/2 行 {2}\d+千? 行\/秒/)
    expect(result.stdout).not.toContain('rows/s')
  })

  it('says a mistyped command is none, and the nearest, in Chinese', () => {
    const result = crm(['customer', 'imprt', '--lang', 'zh'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('错误：“customer imprt”不是 crm 命令。')
    expect(result.stderr).toContain('您要找的是不是：crm customer import？')
    expect(crm(['zzz', '--lang=zh']).stderr).toContain('参见：crm --help')
  })

  it('gives the did-you-mean of a --branch no customer has in Chinese', () => {
    const result = crm(['customer', 'list', '--branch', '浦西', ...db])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/没有符合条件的客户：--branch 浦西：您要找的是不是 .*上海分行浦东支行.*？/)
    const classify = crm(['classify', '--scheme', 'retail-aum', '--branch', '浦西xx', ...db])
    expect(classify.stderr).toContain('错误：没有可分层的客户：没有客户符合 --branch 浦西xx；未保存任何运行')
    const matched = crm(['customer', 'list', '--branch', '浦东', ...db])
    expect(matched.stderr).toContain('--branch 浦东 匹配到 上海分行浦东支行')
  })

  it('gives the reasons of bytes that are not text, and of an unclosed quote, in Chinese', () => {
    const bad = join(own.dir, 'bad.csv')
    writeFileSync(
      bad,
      Buffer.concat([
        Buffer.from('customer_id,name,type\nY1,'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(',individual\n'),
      ]),
    )
    const result = crm(['customer', 'import', bad, '--encoding', 'utf-8', '--dry-run', ...db])
    expect(result.stdout).toContain('第 26 个字节不是有效的 UTF-8：请重新将文件保存为 UTF-8')
    const quoted = join(own.dir, 'quoted.csv')
    writeFileSync(quoted, 'customer_id,name,type\nY1,"open,individual\n')
    const unclosed = crm(['customer', 'import', quoted, '--dry-run', ...db])
    expect(unclosed.stderr).toContain('第 2 行：带引号的字段没有结束（缺少一个 "）')
  })

  it("gives a classify show table's reasons in Chinese", () => {
    const run = json<{run: number}>(crm(['classify', '--scheme', 'retail-aum', '--json', ...db])).run
    const result = onTerminal(['classify', 'show', String(run), ...db])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/客户号.*客户名称.*分层.*原因/)
    expect(result.stdout).toContain('以上规则均不成立：aum 100.00')
  })

  it('refuses an --output file it may not write in Chinese', () => {
    const exists = join(own.dir, 'exists.csv')
    writeFileSync(exists, '')
    const result = crm(['customer', 'export', '--output', exists, ...db])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('已存在')
    expect(result.stderr).toContain('请另选一个 --output 文件，或加 --force 替换它')
    const folder = crm(['customer', 'export', '--output', own.dir, ...db])
    expect(folder.stderr).toContain('是一个文件夹')
    const database = crm(['customer', 'export', '--output', own.db, ...db])
    expect(database.stderr).toContain('crm 不会覆盖它')
  })

  it('lists the tiers of a scheme as they are when a --tier is none of them', () => {
    const result = crm(['customer', 'list', '--scheme', 'retail-aum', '--tier', 'zzz', ...db])
    expect(result.stderr).toContain('方案 retail-aum 中没有分层“zzz”')
    expect(result.stderr).toContain('其分层有：private-banking (私人银行), diamond (钻石客户)')
  })

  it('names a run number or a --limit that is no whole number in Chinese', () => {
    expect(crm(['classify', 'show', 'abc', ...db]).stderr).toContain(
      '错误：运行编号 必须是 1 到 9,007,199,254,740,991 之间的整数，而不是“abc”',
    )
    expect(crm(['customer', 'list', '--limit', 'x', ...db]).stderr).toContain('--limit 必须是 1 到')
    expect(crm(['summary', '--compare', '1', ...db]).stderr).toContain('--compare 需要两个运行编号，而不是 1 个')
    expect(crm(['classify', '--scheme', 'nosuch', '--dry-run', ...db]).stderr).toContain('没有名为“nosuch”的内置方案')
  })
})
