import {spawnSync} from 'node:child_process'
import {chmodSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// Issue 17 §4: contact log at a terminal asks for direction, outcome and a note, shows everything it will store,
// and takes "no" or Ctrl-C as the user's choice. The prompts run under a pseudo-terminal (pty-run.py).
const temp = tempDir()
afterAll(temp.cleanup)
const db = ['--db', temp.db]

beforeAll(() => {
  const file = join(temp.dir, 'book.csv')
  writeFileSync(
    file,
    [
      'customer_id,name,type,id_number,phone,branch,rm',
      'C1,王伟,individual,11010519491231002X,17612348055,浦东支行,RM01',
      'C2,李娜,individual,,,徐汇支行,RM02',
    ].join('\n'),
  )
  expect(crm(['customer', 'import', file, ...db]).code).toBe(0)
})

/** contact log under a pseudo-terminal, answering `steps` ([text to wait for, keys to send]). */
function atTerminal(
  steps: readonly (readonly [string, string])[],
  flags: string[] = [],
  env: Record<string, string> = {},
) {
  const run = spawnSync(
    'python3',
    [
      join(ROOT, 'test/helpers/pty-run.py'),
      JSON.stringify(steps),
      '--',
      process.execPath,
      BIN,
      'contact',
      'log',
      ...db,
      ...flags,
    ],
    {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', LANG: 'en_US.UTF-8', ...env}},
  )
  return {code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr}
}

const contacts = () => json<any[]>(crm(['contact', 'list', ...db, '--json', '--reveal']))
const auditRows = () => {
  const sqlite = new Database(temp.db, {readonly: true})
  try {
    return sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'contact.log'").pluck().get() as number
  } finally {
    sqlite.close()
  }
}

const DOWN = '\x1b[B'
/** Up to the note's choice: customer C1, channel phone, direction in, purpose review, an outcome with a phone. */
const UP_TO_NOTE: [string, string][] = [
  ['Customer', 'C1'],
  ['王伟', '\r'],
  ['Channel', `${DOWN}\r`],
  ['Direction', `${DOWN}\r`],
  ['Purpose', `${DOWN}${DOWN}\r`],
  ['Outcome', 'call back on 13800001234\r'],
]

describe('contact log at a terminal', () => {
  it('asks for direction, outcome and a note of several lines, and shows all it stores, masked, before logging', () => {
    const before = contacts().length
    const result = atTerminal([
      ...UP_TO_NOTE,
      ['Note', '\r'],
      ['line 1', '第一行 身份证 11010519491231002X\r'],
      ['line 2', 'second line\r'],
      ['line 3', '\r'],
      ['Follow up on', '2099-03-04\r'],
      ['Log this contact?', '\r'],
    ])
    expect(result.code, result.stdout).toBe(0)
    const summary = result.stdout.slice(result.stdout.indexOf('The contact to log:'))
    expect(summary).toMatch(/customer +C1 {2}王伟 {2}浦东支行 {2}110105\*{8}002X {2}176\*{4}8055/)
    expect(summary).toMatch(/channel +phone \(电话\)/)
    expect(summary).toMatch(/direction +in \(the customer reached us\)/)
    expect(summary).toMatch(/purpose +review \(回访\)/)
    expect(summary).toMatch(/outcome +call back on 138\*{4}1234/)
    expect(summary).toMatch(/manager +RM01/)
    expect(summary).toMatch(/note +第一行 身份证 110105\*{8}002X\r?\n +second line/)
    expect(summary).toMatch(/follow up on +2099-03-04/)
    // What it shows before asking is masked; only what the user typed is echoed by the prompts.
    expect(summary.slice(0, summary.indexOf('Log this contact?'))).not.toMatch(
      /13800001234|17612348055|11010519491231002X/,
    )
    const all = contacts()
    expect(all).toHaveLength(before + 1)
    expect(all[0]).toMatchObject({
      customer_id: 'C1',
      channel: 'phone',
      direction: 'in',
      purpose: 'review',
      outcome: 'call back on 13800001234',
      notes: '第一行 身份证 11010519491231002X\nsecond line',
      follow_up_on: '2099-03-04',
    })
  })

  it('writes the note in $EDITOR when chosen (the line end the editor adds is not part of it)', () => {
    const editor = join(temp.dir, 'editor.sh')
    writeFileSync(editor, `#!/bin/sh\nprintf 'from the editor\\n上月的备注\\n' > "$1"\n`)
    chmodSync(editor, 0o755)
    const result = atTerminal(
      [
        ['Customer', 'C2'],
        ['李娜', '\r'],
        ['Channel', '\r'],
        ['Direction', '\r'],
        ['Purpose', '\r'],
        ['Outcome', '\r'],
        ['Note', `${DOWN}\r`],
        ['Follow up on', '\r'],
        ['Log this contact?', '\r'],
      ],
      [],
      {EDITOR: editor, VISUAL: ''},
    )
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/note +from the editor\r?\n +上月的备注/)
    expect(result.stdout).toMatch(/outcome +\(none\)/)
    expect(contacts()[0]).toMatchObject({
      customer_id: 'C2',
      notes: 'from the editor\n上月的备注',
      outcome: null,
      direction: 'out',
    })
  })

  it('says in one line that an editor cannot start, and asks again how to write the note', () => {
    const before = contacts().length
    const result = atTerminal(
      [
        ['Customer', 'C2'],
        ['李娜', '\r'],
        ['Channel', '\r'],
        ['Direction', '\r'],
        ['Purpose', '\r'],
        ['Outcome', '\r'],
        ['Note', `${DOWN}\r`],
        ['cannot start the editor', '\r'],
        ['line 1', 'typed instead\r'],
        ['line 2', '\r'],
        ['Follow up on', '\r'],
        ['Log this contact?', '\r'],
      ],
      [],
      {EDITOR: '/nonexistent/ed', VISUAL: ''},
    )
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('cannot start the editor "/nonexistent/ed"')
    expect(result.stdout).not.toMatch(/LaunchEditorError|internal error/i)
    expect(contacts().length).toBe(before + 1)
    expect(contacts()[0]).toMatchObject({customer_id: 'C2', notes: 'typed instead'})
  })

  it('refuses to log when the customer was deleted while the prompts were open (exit 4, nothing stored)', () => {
    const book = join(temp.dir, 'c3.csv')
    writeFileSync(book, 'customer_id,name,type\nC3,赵六,individual\n')
    expect(crm(['customer', 'import', book, ...db]).code).toBe(0)
    // The "editor" is another process deleting the customer after contact log looked it up.
    const editor = join(temp.dir, 'deleting-editor.sh')
    writeFileSync(
      editor,
      `#!/bin/sh\n"${process.execPath}" "${BIN}" customer delete C3 --force --db "${temp.db}" >/dev/null\nprintf '身份证 11010519491231002X\\n' > "$1"\n`,
    )
    chmodSync(editor, 0o755)
    const stored = () => {
      const sqlite = new Database(temp.db, {readonly: true})
      try {
        return sqlite.prepare("SELECT count(*) FROM contacts WHERE customer_id = 'C3'").pluck().get() as number
      } finally {
        sqlite.close()
      }
    }
    const audited = auditRows()
    const result = atTerminal(
      [
        ['Customer', 'C3'],
        ['赵六', '\r'],
        ['Channel', '\r'],
        ['Direction', '\r'],
        ['Purpose', '\r'],
        ['Outcome', '\r'],
        ['Note', `${DOWN}\r`],
        ['Follow up on', '\r'],
        ['Log this contact?', 'y\r'],
      ],
      [],
      {EDITOR: editor, VISUAL: ''},
    )
    expect(result.code, result.stdout).toBe(4)
    expect(result.stdout).toContain('customer C3 was deleted')
    expect(result.stdout).not.toMatch(/internal error/i)
    expect(stored()).toBe(0)
    expect(auditRows()).toBe(audited)
  })

  it('answering no logs nothing, says so and exits 0', () => {
    const before = [contacts().length, auditRows()]
    const result = atTerminal([
      ...UP_TO_NOTE,
      ['Note', `${DOWN}${DOWN}\r`],
      ['Follow up on', '\r'],
      ['Log this contact?', 'n\r'],
    ])
    expectHandled(result, 0)
    expect(result.stdout).toContain('nothing was logged')
    expect(result.stdout).not.toMatch(/Logged contact/)
    expect([contacts().length, auditRows()]).toEqual(before)
  })

  it.each([
    [
      'the direction',
      [
        ['Customer', 'C1'],
        ['王伟', '\r'],
        ['Channel', '\r'],
        ['Direction', '\x03'],
      ],
    ],
    ['a line of the note', [...UP_TO_NOTE, ['Note', '\r'], ['line 1', 'half a note\r'], ['line 2', '\x03']]],
    [
      'the confirmation',
      [...UP_TO_NOTE, ['Note', `${DOWN}${DOWN}\r`], ['Follow up on', '\r'], ['Log this contact?', '\x03']],
    ],
  ] as [string, [string, string][]][])('Ctrl-C at %s cancels cleanly (exit 130): nothing is logged', (_, steps) => {
    const before = [contacts().length, auditRows()]
    const result = atTerminal(steps)
    expectHandled(result, 130)
    expect(result.stdout).toContain('cancelled: nothing was saved')
    expect([contacts().length, auditRows()]).toEqual(before)
  })

  it('finds a customer by a whole ID number typed at the prompt, and audits the search once, the number masked', () => {
    const sqlite = () => new Database(temp.db, {readonly: true})
    const searches = () => {
      const d = sqlite()
      try {
        return d.prepare("SELECT details FROM audit_log WHERE action = 'customer.search_id_number'").pluck().all()
      } finally {
        d.close()
      }
    }
    const before = searches().length
    const result = atTerminal([
      ['Customer', '11010519491231002x'],
      ['王伟', '\x03'],
    ])
    expectHandled(result, 130)
    expect(searches().slice(before)).toEqual(['{"id_number":"110105********002X"}'])
    const d = sqlite()
    try {
      expect(JSON.stringify(d.prepare('SELECT * FROM audit_log').all())).not.toMatch(/11010519491231002X/i)
    } finally {
      d.close()
    }
  })

  it('shows control characters in a note given as a flag as escapes, not obeyed', () => {
    const result = atTerminal(
      [
        ['Customer', 'C2'],
        ['李娜', '\r'],
        ['Follow up on', '\r'],
        ['Log this contact?', 'n\r'],
      ],
      [
        '--channel',
        'phone',
        '--purpose',
        'service',
        '--direction',
        'out',
        '--outcome',
        'ok',
        '--note',
        'red \x1b[31mtext\x07',
      ],
    )
    expectHandled(result, 0)
    expect(result.stdout).toMatch(/note +red \\e\[31mtext\\x07/)
    expect(result.stdout).not.toContain('\x1b[31mtext')
  })
})

describe('contact log without a terminal', () => {
  it.each([
    [[], '--customer, --channel, --purpose are required'],
    [['--channel', 'phone'], '--customer, --purpose are required'],
    [['--customer', 'C1', '--note', 'x'], '--channel, --purpose are required'],
  ])('names every missing flag at once (%j)', (flags, message) => {
    const before = contacts().length
    const result = crm(['contact', 'log', ...db, ...flags])
    expectHandled(result, 2)
    expect(result.stderr).toContain(message)
    expect(contacts()).toHaveLength(before)
  })

  it('names the missing flags before it looks the customer up', () => {
    const result = crm(['contact', 'log', ...db, '--customer', 'NOPE', '--channel', 'phone'])
    expectHandled(result, 2)
    expect(result.stderr).toContain('--purpose is required')
  })
})
