import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {crm, tempDir} from '../helpers/cli.js'

// Each command's --json output on a small fixed book, pinned by a snapshot: a change to the script contract is a diff
// in __snapshots__. Values that differ from run to run or machine to machine become placeholders; everything else
// (keys in their order, types, masking, counts) is compared as printed.

/** Keys (or parent.key) whose values vary with the clock, the machine or the user running the tests. */
const VOLATILE = new Set([
  'created_at',
  'updated_at',
  'logged_at',
  'follow_up_closed_at',
  'deleted_at',
  'erased_at',
  'seconds',
  'size_bytes',
  'wal_bytes',
  'bytes',
  'os_user',
  'schema_version',
  'backup_schema_version',
  'last_import.at',
  'last_run.at',
  'last_audit.at',
  'replaced',
  'started_at',
  'finished_at',
  'undone_at',
])

function placeholders(value: unknown, parent = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => placeholders(v, parent))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      v !== null && (VOLATILE.has(key) || VOLATILE.has(`${parent}.${key}`)) ? `<${key}>` : placeholders(v, key),
    ]),
  )
}

describe('--json of every command', () => {
  const {dir, db, cleanup} = tempDir()
  afterAll(cleanup)
  // The zone is the bank's, whatever the machine's: a contact time without an offset takes it.
  const env = {CRM_DB: db, TZ: 'Asia/Shanghai'}
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  }
  const book = file(
    'book.csv',
    'customer_id,name,type,id_number,phone,email,branch,rm,birth_date,aum,deposits,风险偏好\n' +
      'C1,张三,individual,310104198509101382,13913034868,zs@example.com,浦东支行,RM1,1985-09-10,7000000,100,稳健\n' +
      'C2,李四,individual,,,,浦东支行,RM1,,60000,,\n' +
      'C3,某公司,corporate,,,,西城支行,RM2,,,,\n' +
      'C4,王五,individual,,,,西城支行,RM2,,not money,,\n',
  )
  const contacts = file(
    'contacts.csv',
    'customer_id,at,channel,direction,purpose,notes,follow_up_on\n' +
      'C1,2026-11-20 10:00,phone,out,review,Discussed the renewal,2026-11-25\n' +
      'C2,2026-11-21 09:30+08:00,wechat,in,service,,2026-12-05\n',
  )
  const scheme = file(
    'tiers.yaml',
    `name: snapshot-tiers
version: 1
order: best-first
title: {zh: 快照分层, en: Snapshot tiers}
description: A small scheme for the JSON snapshots.
source: the tests
applies_to: type = 'individual'
tiers:
  - id: high
    label: {zh: 高, en: High}
    rule: aum >= 100万
    cadence_days: 30
    description: a million yuan or more
  - id: low
    label: {zh: 低, en: Low}
    description: everyone else
`,
  )
  const check = file(
    'check.csv',
    'customer_id,name,type,aum,phone\nC9,王五,individual,2000000,13800138000\nC8,赵六,corporate,,\n',
  )

  // In this order: the imports and the run come first, the commands that change the book last.
  const commands: [string, string[]][] = [
    ['customer import', ['customer', 'import', book]],
    ['contact import', ['contact', 'import', contacts]],
    ['classify', ['classify', '--scheme', scheme, '--as-of', '2026-11-28']],
    ['customer list', ['customer', 'list']],
    ['customer show', ['customer', 'show', 'C1']],
    ['customer export', ['customer', 'export', '--format', 'json', '--output', join(dir, 'customers.json')]],
    ['contact list', ['contact', 'list']],
    ['contact due', ['contact', 'due', '--date', '2026-11-28']],
    ['contact export', ['contact', 'export', '--output', join(dir, 'contacts-out.csv')]],
    ['classify runs', ['classify', 'runs']],
    ['classify show', ['classify', 'show', '1']],
    ['classify show --output', ['classify', 'show', '1', '--output', join(dir, 'run-1.csv')]],
    ['classify explain', ['classify', 'explain', 'C1', '--scheme', scheme, '--as-of', '2026-11-28']],
    ['classify check', ['classify', 'check', check, '--scheme', scheme, '--as-of', '2026-11-28']],
    ['scheme list', ['scheme', 'list']],
    ['scheme show', ['scheme', 'show', scheme]],
    ['scheme validate', ['scheme', 'validate', scheme]],
    ['summary', ['summary', '--run', '1', '--by', 'branch', '--top', '1']],
    ['summary --compare', ['summary', '--compare', '1', '1', '--movers']],
    ['db info', ['db', 'info']],
    ['db check', ['db', 'check']],
    ['import list', ['import', 'list']],
    ['import show', ['import', 'show', '1']],
    ['import undo --dry-run', ['import', 'undo', '1', '--dry-run', '--force']],
    [
      'contact log',
      [
        'contact',
        'log',
        '--customer',
        'C3',
        '--channel',
        'phone',
        '--purpose',
        'service',
        '--at',
        '2026-11-22 10:00',
        '--note',
        'Called back',
      ],
    ],
    ['contact done', ['contact', 'done', '2']],
    // Edit and delete (issue 17 section 2)
    ['customer edit', ['customer', 'edit', 'C2', '--set', 'rm=RM3', '--set', 'phone=13800000000']],
    ['contact edit', ['contact', 'edit', '1', '--set', 'purpose=marketing']],
    ['contact delete', ['contact', 'delete', '2']],
    ['customer delete', ['customer', 'delete', 'C2', '--force']],
    ['customer erase', ['customer', 'erase', 'C1']],
    ['db backup', ['db', 'backup', join(dir, 'backup.db')]],
    ['db restore', ['db', 'restore', join(dir, 'backup.db')]],
    ['classify delete', ['classify', 'delete', '1']],
    ['an error', ['customer', 'show', 'NOPE']],
  ]

  it.each(commands)('%s', (_name, args) => {
    const result = crm([...args, '--json', '--actor', 'analyst'], {env})
    let json: unknown
    try {
      json = JSON.parse(result.stdout.replaceAll(dir, '<dir>'))
    } catch {
      throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
    }
    // As text, so the order of the keys is pinned too (a snapshot of the object would sort them).
    expect(`exit ${result.code}\n${JSON.stringify(placeholders(json), null, 2)}`).toMatchSnapshot()
  })
})
