import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, ROOT, tempDir} from '../helpers/cli.js'

// A scheme file is data: control characters in its version, title or labels are shown escaped in every
// line crm writes for people (scheme validate and show, the classify run summary), never sent raw to a terminal.

const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]
const ESC = '\u001b'
// YAML's "\e" is a real ESC in the value; the bidi override goes in raw.
const scheme = join(temp.dir, 'esc.yaml')

beforeAll(() => {
  writeFileSync(
    scheme,
    `name: esc
version: "1\\e[2J"
title: {zh: 测试, en: "test\\e]0;pwned\\a"}
tiers:
  - id: hi
    label: {zh: "高\\e[2J", en: "high\\e[2J\u202e"}
    rule: aum >= 0
`,
  )
  writeFileSync(join(temp.dir, 'c.csv'), 'customer_id,name,type,aum\nC1,a,individual,100\nC2,b,individual,200\n')
  expect(crm(['customer', 'import', join(temp.dir, 'c.csv'), ...db]).code).toBe(0)
})

const noControls = (text: string) => expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/)

describe('control characters from a scheme file are escaped for people', () => {
  it('scheme validate', () => {
    const result = crm(['scheme', 'validate', scheme])
    expect(result.code).toBe(0)
    noControls(result.stderr)
    expect(result.stderr).toContain('esc v1\\e[2J is valid')
  })

  it('scheme validate --json keeps the values as they are', () => {
    const result = crm(['scheme', 'validate', scheme, '--json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).version).toBe(`1${ESC}[2J`)
  })

  it('classify: the run summary', () => {
    const result = crm(['classify', '--scheme', scheme, '--as-of', '2026-11-28', ...db])
    expect(result.code).toBe(0)
    noControls(result.stdout)
    expect(result.stdout).toContain('esc v1\\e[2J')
    expect(result.stdout).toContain('high\\e[2J\\u202e')
  })

  it('scheme show on a terminal escapes; piped, it is a copy of the file', () => {
    const tty = spawnSync(
      'python3',
      [join(ROOT, 'test/helpers/pty-run.py'), '[]', '--', process.execPath, BIN, 'scheme', 'show', scheme],
      {cwd: ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8'}},
    )
    expect(tty.status).toBe(0)
    // The terminal itself ends lines with \r\n.
    noControls(tty.stdout.replaceAll('\r\n', '\n'))
    expect(tty.stdout).toContain('high\\e[2J\\u202e')
    const piped = crm(['scheme', 'show', scheme])
    expect(piped.stdout).toContain('high\\e[2J\u202e')
  })
})
