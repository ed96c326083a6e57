import {spawn, spawnSync} from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BIN, crm, json, ROOT, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {MIGRATIONS} from '../../src/db/migrations.js'

// crm db restore: a backup checked before it replaces anything, refused while another crm has the database open,
// the replaced database kept whole beside it, and the restore recorded in the restored database.
const temp = tempDir()
afterAll(temp.cleanup)
const env = {CRM_DB: temp.db}
// A folder with spaces and Chinese characters in its name.
const folder = join(temp.dir, '备份 folder')
const backup = join(folder, '周一 备份.db')

const count = (file: string, table: string) => {
  const db = new Database(file, {readonly: true})
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  } finally {
    db.close()
  }
}
const customers = () => count(temp.db, 'customers')
const replacedFiles = () => readdirSync(temp.dir).filter((n) => n.includes('.replaced-'))
const leftovers = () => readdirSync(temp.dir).filter((n) => n.endsWith('.tmp') || n.includes('.tmp-'))
let booked = 0
const log = ['contact', 'log', '--customer', 'C100000002', '--channel', 'phone', '--purpose', 'service']

/** Runs a process that holds the database as `how` says, once it has said it is ready; `release` ends it. */
async function holding(how: 'write' | 'read' | 'open'): Promise<{release: () => Promise<void>}> {
  const code = `
    import Database from 'better-sqlite3'
    const db = new Database(${JSON.stringify(temp.db)})
    db.pragma('journal_mode = WAL')
    if (${JSON.stringify(how)} === 'write') { db.exec('BEGIN IMMEDIATE'); db.prepare("UPDATE customers SET rm = 'X' WHERE customer_id = 'C100000001'").run() }
    if (${JSON.stringify(how)} === 'read') { db.exec('BEGIN'); db.prepare('SELECT count(*) FROM customers').get() }
    process.stdout.write('ready\\n')
    process.stdin.resume()
    process.stdin.on('end', () => { if (db.inTransaction) db.exec('ROLLBACK'); db.close() })`
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      if (out.includes('ready')) resolve()
    })
    child.on('exit', (c) => reject(new Error(`holder exited ${c}`)))
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  return {
    release: async () => {
      child.stdin.end()
      await exited
    },
  }
}

beforeAll(() => {
  expect(crm(['customer', 'import', join(ROOT, 'data/customers.csv')], {env}).code).toBe(0)
  booked = customers()
  mkdirSync(folder)
  expect(crm(['db', 'backup', backup], {env}).code).toBe(0)
  // After the backup: a contact the restore takes away again.
  expect(crm([...log, '--note', 'after the backup'], {env}).code).toBe(0)
})

describe('crm db restore refuses, leaving the database as it was', () => {
  const refused = (args: string[], exit: number) => {
    const before = customers()
    const result = crm(['db', 'restore', ...args], {env})
    expectHandled(result, exit)
    expect(customers()).toBe(before)
    expect(count(temp.db, 'contacts')).toBe(1)
    expect(replacedFiles()).toEqual([])
    expect(leftovers()).toEqual([])
    return result
  }

  it('a file that is not a database', () => {
    const csv = join(folder, 'customers.csv')
    copyFileSync(join(ROOT, 'data/customers.csv'), csv)
    const result = refused([csv], 3)
    expect(result.stderr).toContain('cannot be restored')
    expect(result.stderr).toContain('not a database')
  })

  it('a truncated backup', () => {
    const truncated = join(folder, 'truncated.db')
    writeFileSync(truncated, readFileSync(backup).subarray(0, Math.floor(statSync(backup).size / 2)))
    const result = refused([truncated], 3)
    expect(result.stderr).toContain('cannot be restored')
  })

  it('the database itself, and its -wal, by another path', () => {
    expect(refused([join(temp.dir, '.', 'crm.db')], 3).stderr).toContain('cannot be restored from itself')
    const link = join(folder, 'same.db')
    // A hard link is the same file under another name.
    linkSync(temp.db, link)
    expect(refused([link], 3).stderr).toContain('cannot be restored from itself')
    rmSync(link)
  })

  it('a backup from a newer crm (schema 99)', () => {
    const newer = join(folder, 'newer.db')
    copyFileSync(backup, newer)
    const db = new Database(newer)
    db.pragma('user_version = 99')
    db.close()
    const result = refused([newer], 3)
    expect(result.stderr).toContain('v99, newer than this crm knows')
  })

  it('a backup that is not there, or a folder, or no name', () => {
    refused([join(folder, 'nope.db')], 4)
    refused([folder], 3)
    refused([' '], 2)
  })

  it.each(['write', 'read', 'open'] as const)(
    'while another process has the database open (%s)',
    async (how) => {
      const holder = await holding(how)
      try {
        const result = refused([backup], 3)
        expect(result.stderr).toContain('another crm process has the database')
      } finally {
        await holder.release()
      }
      if (how === 'write')
        expect(crm(['customer', 'list', '--rm', 'X', '--format', 'csv'], {env}).stdout).not.toContain('C100000001')
    },
    30_000,
  )

  it('while an import waits for more input in another crm', async () => {
    const importing = spawn(process.execPath, [BIN, 'customer', 'import', '-', '--json'], {
      cwd: temp.dir,
      env: {...process.env, ...env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const finished = new Promise<number>((resolve) => importing.on('exit', (c) => resolve(c ?? -1)))
    // More than the 64 KiB the import reads before it starts; it commits what it has when it waits for more, and its
    // batch is then recorded as running.
    const rows = Array.from({length: 4000}, (_, i) => `N${i},新客户${i},individual`)
    importing.stdin.write(`customer_id,name,type\n${rows.join('\n')}\n`)
    const probe = new Database(temp.db, {readonly: true})
    const running = () => probe.prepare("SELECT count(*) FROM import_batches WHERE status = 'running'").pluck().get()
    while (running() === 0) await new Promise((r) => setTimeout(r, 20))
    probe.close()
    const result = crm(['db', 'restore', backup], {env})
    expectHandled(result, 3)
    expect(result.stderr).toMatch(/an import is running on the database .* process \d+/)
    importing.stdin.end('N9999,另一位,individual\n')
    expect(await finished).toBe(0)
    expect(replacedFiles()).toEqual([])
    expect(customers()).toBe(booked + 4001)
  }, 60_000)
})

describe('crm db restore', () => {
  let restored: {database: string; backup: string; replaced: string; backup_schema_version: number}
  let before: number
  beforeAll(() => {
    before = customers()
    // A write committed only to the -wal, by a process killed before it could checkpoint: the replaced file keeps it.
    const code = `
      import Database from 'better-sqlite3'
      const db = new Database(${JSON.stringify(temp.db)})
      db.pragma('wal_autocheckpoint = 0')
      db.prepare("INSERT INTO audit_log (at, actor, command, action) VALUES ('2026-11-30T00:00:00Z', 'x', 'x', 'in.the.wal')").run()
      process.kill(process.pid, 'SIGKILL')`
    spawnSync(process.execPath, ['--input-type=module', '-e', code], {cwd: ROOT})
    expect(statSync(`${temp.db}-wal`).size).toBeGreaterThan(0)
    const result = crm(['db', 'restore', backup, '--json'], {env})
    expect(result.code, result.stderr).toBe(0)
    restored = json(result)
  })

  it('puts the backup in place: what was written after it is gone', () => {
    expect(before).toBe(booked + 4001)
    expect(customers()).toBe(booked)
    expect(count(temp.db, 'contacts')).toBe(0)
    expect(crm(['db', 'check'], {env}).code).toBe(0)
  })

  it('keeps the replaced database whole beside it, its log checkpointed into it', () => {
    expect(restored.replaced).toMatch(/crm\.db\.replaced-\d{8}T\d{6}Z$/)
    expect(replacedFiles()).toHaveLength(1)
    expect(existsSync(`${restored.replaced}-wal`)).toBe(false)
    expect(count(restored.replaced, 'customers')).toBe(before)
    expect(count(restored.replaced, 'contacts')).toBe(1)
    const kept = new Database(restored.replaced, {readonly: true})
    expect(kept.prepare("SELECT count(*) FROM audit_log WHERE action = 'in.the.wal'").pluck().get()).toBe(1)
    kept.close()
    expect(existsSync(`${temp.db}-wal`) && statSync(`${temp.db}-wal`).size > 0).toBe(false)
    expect(crm(['db', 'check', '--db', restored.replaced]).code).toBe(0)
    expect(statSync(restored.replaced).mode & 0o777).toBe(0o600)
    expect(leftovers()).toEqual([])
  })

  it('records the restore in the restored database: from where, and where the replaced file is', () => {
    const [entry] = json<{action: string; details: Record<string, unknown>}[]>(
      crm(['audit', 'list', '--command', 'db.restore', '--json'], {env}),
    )
    expect(entry.details).toEqual({
      backup,
      replaced: restored.replaced,
      backup_schema_version: MIGRATIONS.at(-1)!.version,
    })
  })

  it('leaves the backup as it was', () => {
    expect(count(backup, 'contacts')).toBe(0)
    expect(json<unknown[]>(crm(['audit', 'list', '--json', '--db', backup]))).not.toContainEqual(
      expect.objectContaining({action: 'db.restore'}),
    )
  })

  it('creates the database when there is none, with no replaced file', () => {
    const fresh = join(temp.dir, 'fresh', 'new.db')
    mkdirSync(join(temp.dir, 'fresh'))
    const result = crm(['db', 'restore', backup, '--db', fresh, '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(json<{replaced: string | null}>(result).replaced).toBeNull()
    expect(count(fresh, 'customers')).toBe(booked)
  })

  it('restores over a damaged database, keeping it as it was', () => {
    const damaged = join(temp.dir, 'damaged.db')
    writeFileSync(damaged, 'this was a database once')
    const result = crm(['db', 'restore', backup, '--db', damaged, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const {replaced} = json<{replaced: string}>(result)
    expect(readFileSync(replaced, 'utf8')).toBe('this was a database once')
    expect(count(damaged, 'customers')).toBe(booked)
  })
})
