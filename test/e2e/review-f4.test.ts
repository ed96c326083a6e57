import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'

// f4: findings of the hostile review — audit masking of changes, follow-ups after a contact edit, ids typed loosely,
// --set twice, db restore's backup named, --since after --until.
let temp: ReturnType<typeof tempDir>
let env: Record<string, string>
beforeEach(() => {
  temp = tempDir()
  env = {CRM_DB: temp.db}
  const file = join(temp.dir, 'c.csv')
  writeFileSync(file, 'customer_id,name,type\nE2,王五,individual\nC100000003,李四,individual\n')
  expect(crm(['customer', 'import', file], {env}).code).toBe(0)
})
afterEach(() => temp.cleanup())

interface Entry {
  action: string
  details: {changes?: {field: string; old: unknown; new: unknown}[]}
}

describe('audit list masks the old and new values of a change as the field it names', () => {
  beforeEach(() => {
    const sets = ['id_type=passport', 'id_number=E12345678', 'birth_date=1960-05-17', 'name=赵六六']
    expect(crm(['customer', 'edit', 'E2', ...sets.flatMap((s) => ['--set', s])], {env}).code).toBe(0)
    const log = ['contact', 'log', '--customer', 'E2', '--channel', 'phone', '--purpose', 'service']
    expect(crm([...log, '--note', 'id 110105194912310021', '--outcome', 'ok'], {env}).code).toBe(0)
    expect(crm(['contact', 'edit', '1', '--set', 'notes=call 13912345678'], {env}).code).toBe(0)
  })

  it.each([
    [['--format', 'csv']],
    [['--format', 'table']],
    [['--format', 'ndjson']],
    [['--json']],
    [['--customer', 'E2', '--format', 'csv']],
  ])('shows no personal value in full with %j', (args) => {
    const result = crm(['audit', 'list', ...args], {env})
    expect(result.code).toBe(0)
    for (const secret of ['E12345678', '1960-05-17', '赵六六', '王五', '110105194912310021', '13912345678'])
      expect(result.stdout).not.toContain(secret)
  })

  it('masks each change as its field is masked elsewhere', () => {
    const entries = json<Entry[]>(crm(['audit', 'list', '--json', '--command', 'customer.edit'], {env}))
    const changes = Object.fromEntries(entries[0].details.changes!.map((c) => [c.field, c]))
    expect(changes.id_number.new).toBe('E12****78')
    expect(changes.birth_date.new).toBe('1960-**-**')
    expect(changes.name).toMatchObject({old: '王*', new: '赵*六'})
    expect(changes.id_type.new).toBe('passport')
  })

  it('shows them whole with --reveal', () => {
    const result = crm(['audit', 'list', '--reveal', '--format', 'csv'], {env})
    expect(result.stdout).toContain('E12345678')
    expect(result.stdout).toContain('13912345678')
  })
})

describe('contact edit checks follow-up closures again', () => {
  beforeEach(() => {
    const log = ['contact', 'log', '--customer', 'E2', '--purpose', 'service', '--outcome', 'x']
    expect(
      crm([...log, '--channel', 'phone', '--at', '2026-11-25 10:00', '--follow-up', '2026-12-15', '--note', 'a'], {env})
        .code,
    ).toBe(0)
    expect(
      crm([...log, '--channel', 'visit', '--direction', 'in', '--at', '2026-11-28 10:00', '--note', 'b'], {env}).code,
    ).toBe(0)
  })
  const open = () => json<{id: number}[]>(crm(['contact', 'list', '--open', '--json'], {env})).map((c) => c.id)

  it('reopens a follow-up when the contact that closed it moves before it', () => {
    expect(open()).toEqual([])
    expect(crm(['contact', 'edit', '2', '--set', 'at=2026-11-20 10:00'], {env}).code).toBe(0)
    expect(open()).toEqual([1])
  })

  it('closes it again when the contact moves back after it', () => {
    expect(crm(['contact', 'edit', '2', '--set', 'at=2026-11-20 10:00'], {env}).code).toBe(0)
    expect(crm(['contact', 'edit', '2', '--set', 'at=2026-11-29 10:00'], {env}).code).toBe(0)
    expect(open()).toEqual([])
  })

  it('reopens it when the contact becomes an SMS we sent', () => {
    expect(crm(['contact', 'edit', '2', '--set', 'channel=sms', '--set', 'direction=out'], {env}).code).toBe(0)
    expect(open()).toEqual([1])
  })
})

describe('ids typed with spaces or full-width characters', () => {
  it.each([[' C100000003 '], ['C１０００００００３'], ['\u3000C100000003']])('customer show finds %j', (id) => {
    const result = crm(['customer', 'show', id, '--json'], {env})
    expect(result.code).toBe(0)
    expect(json<{customer_id: string}>(result).customer_id).toBe('C100000003')
  })

  it.each([['edit', '--set', 'rm=RM1'], ['delete'], ['erase']])(
    'customer %s finds a full-width id',
    (verb, ...rest) => {
      expect(crm(['customer', verb, ' Ｅ２ ', ...rest], {env}).code).toBe(0)
    },
  )

  it('contact edit and audit list --customer read them too', () => {
    expect(
      crm(['contact', 'log', '--customer', ' Ｅ２', '--channel', 'phone', '--purpose', 'service'], {env}).code,
    ).toBe(0)
    expect(crm(['contact', 'edit', ' １ ', '--set', 'outcome=ok'], {env}).code).toBe(0)
    expect(json<Entry[]>(crm(['audit', 'list', '--customer', 'Ｅ２', '--json'], {env})).map((e) => e.action)).toContain(
      'contact.edit',
    )
  })

  it('refuses one field given twice by --set, naming both', () => {
    const result = crm(['customer', 'edit', 'E2', '--set', '客户经理=X', '--set', 'rm=Y'], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain('客户经理')
    expect(result.stderr).toMatch(/as rm/)
  })
})

describe('db restore names the backup', () => {
  it('as newer than this crm', () => {
    const backup = join(temp.dir, 'b.db')
    expect(crm(['db', 'backup', backup], {env}).code).toBe(0)
    const db = new Database(backup)
    db.pragma('user_version = 99')
    db.close()
    const result = crm(['db', 'restore', backup], {env})
    expectHandled(result, 3)
    expect(result.stderr).toContain(`the backup ${backup} comes from a newer crm`)
    expect(result.stderr).not.toContain('--db')
  })

  it('as not a regular file when it is a FIFO', () => {
    const fifo = join(temp.dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    const result = crm(['db', 'restore', fifo], {env})
    expectHandled(result, 3)
    expect(result.stderr).toContain(`${fifo} is not a regular file`)
  })
})

describe('--since after --until', () => {
  it.each([[['audit', 'list']], [['contact', 'list']], [['contact', 'export']]])('is refused by %j', (command) => {
    const result = crm([...command, '--since', '2026-12-01', '--until', '2026-11-01'], {env})
    expectHandled(result, 2)
    expect(result.stderr).toContain('--since 2026-12-01 is after --until 2026-11-01')
  })

  it('takes one day as both', () => {
    expect(crm(['audit', 'list', '--since', '2026-11-01', '--until', '2026-11-01'], {env}).code).toBe(0)
  })
})
