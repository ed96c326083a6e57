import {existsSync, readFileSync} from 'node:fs'
import {afterAll, describe, expect, it} from 'vitest'
import {type Backend, type Book, describeBackends} from '../helpers/backends.js'
import {crm, json, tempDir} from '../helpers/cli.js'
import {expectHandled} from '../helpers/hostile.js'
import {rejectsOf, scratchIn} from '../helpers/scratch.js'
import {queryBook, type SeedCustomer, seedCustomers} from '../helpers/seed.js'

// Issue 17 section 2: edit and delete, audited.
const temp = tempDir()
afterAll(temp.cleanup)
const scratch = scratchIn(temp.dir)

const BOOK = [
  '客户号,客户名称,客户类型,证件号码,手机号码,电子邮箱,所属网点,客户经理,金融资产,风险偏好',
  'C1,王伟,个人,11010519491231002X,17612348055,wang.li@bank.com,浦东支行,RM01,"6,000,000.00",稳健型',
  'C2,李娜,个人,440524188001010014,13912345678,,徐汇支行,RM02,500000,',
  'C3,上海某某科技有限公司,对公,91350100M000100Y43,021-12345678,,浦东支行,RM01,12.34,',
  'C4,赵敏,个人,,13800001111,,静安支行,RM09,80000,',
].join('\n')

/** BOOK's customers by crm's field names, for a book of either backend. */
const CUSTOMERS: SeedCustomer[] = (
  [
    {customer_id: 'C1', name: '王伟', id_number: '11010519491231002X', phone: '17612348055', email: 'wang.li@bank.com'},
    {customer_id: 'C2', name: '李娜', id_number: '440524188001010014', phone: '13912345678', branch: '徐汇支行'},
    {
      customer_id: 'C3',
      name: '上海某某科技有限公司',
      type: 'corporate',
      id_type: 'uscc',
      id_number: '91350100M000100Y43',
    },
    {customer_id: 'C4', name: '赵敏', id_type: '', phone: '13800001111', branch: '静安支行', rm: 'RM09', aum: '80000'},
  ] as SeedCustomer[]
).map((c) => ({
  type: 'individual',
  id_type: 'resident_id',
  phone: '021-12345678',
  branch: '浦东支行',
  rm: c.customer_id === 'C2' ? 'RM02' : 'RM01',
  aum: {C1: '6,000,000.00', C2: '500000', C3: '12.34'}[c.customer_id] ?? '',
  风险偏好: c.customer_id === 'C1' ? '稳健型' : '',
  ...c,
}))

/** Fresh books of the four customers above on the backend, each dropped after the file's tests. */
function booksOf(backend: Backend): () => string {
  const made: Book[] = []
  afterAll(() => {
    for (const b of made) b.cleanup()
  })
  return () => {
    const b = backend.book()
    made.push(b)
    seedCustomers(b, CUSTOMERS)
    return b.db
  }
}

/** What a book holds, as bytes: a SQLite file and its WAL; on PostgreSQL every row of crm's tables as text. */
function storedBytes(db: string): Buffer[] {
  if (!db.startsWith('postgres')) return [db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f))
  const tables = ['customers', 'contacts', 'audit_log', 'customer_changes', 'classification_runs']
  return tables.flatMap((t) =>
    rows<{row: string}>(db, `SELECT t::text AS row FROM ${t} t`).map((r) => Buffer.from(r.row)),
  )
}

/** A fresh SQLite book of the four customers above, imported from BOOK. */
function sqliteBook(): string {
  const db = scratch.db()
  expect(crm(['customer', 'import', scratch.file('book.csv', BOOK), '--db', db]).code).toBe(0)
  return db
}

const run = (db: string, ...args: string[]) => crm([...args, '--db', db])
const rows = <T = Record<string, unknown>>(db: string, sql: string): T[] =>
  queryBook<T>({db, dir: '', cleanup: () => {}}, sql)

describeBackends('crm customer edit', (backend) => {
  const book = booksOf(backend)
  it('changes the fields set, and records old and new values in the audit log and the undo journal', () => {
    const db = book()
    const result = run(db, 'customer', 'edit', 'C1', '--set', 'rm=RM0042', '--set', 'branch=徐汇支行', '--json')
    expect(result.code).toBe(0)
    expect(json(result)).toMatchObject({
      customer_id: 'C1',
      changed: true,
      changes: [
        {field: 'branch', old: '浦东支行', new: '徐汇支行'},
        {field: 'rm', old: 'RM01', new: 'RM0042'},
      ],
    })
    const [shown] = json<Record<string, unknown>[]>(run(db, 'customer', 'list', '--rm', 'RM0042', '--json'))
    expect([shown.customer_id, shown.branch]).toEqual(['C1', '徐汇支行'])
    const [entry] = rows<{id: number; details: string}>(
      db,
      "SELECT id, details FROM audit_log WHERE action = 'customer.edit'",
    )
    expect(JSON.parse(entry.details)).toEqual({
      customer_id: 'C1',
      changes: [
        {field: 'branch', old: '浦东支行', new: '徐汇支行'},
        {field: 'rm', old: 'RM01', new: 'RM0042'},
      ],
    })
    const journal = rows<{batch_id: null; audit_id: number; old_values: string}>(
      db,
      'SELECT batch_id, audit_id, old_values FROM customer_changes',
    )
    expect(journal).toHaveLength(1)
    expect(journal[0].audit_id).toBe(entry.id)
    expect(journal[0].batch_id).toBeNull()
    expect(JSON.parse(journal[0].old_values)).toEqual({branch: '浦东支行', rm: 'RM01'})
  })

  it('says nothing changed, exit 0, and writes nothing, when the values are those the customer has', () => {
    const db = book()
    const result = run(db, 'customer', 'edit', 'C2', '--set', 'rm=RM02', '--set', 'aum=500,000.00')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('nothing changed')
    expect(rows(db, "SELECT 1 FROM audit_log WHERE action = 'customer.edit'")).toHaveLength(0)
    expect(rows(db, 'SELECT 1 FROM customer_changes')).toHaveLength(0)
  })

  it('masks personal values in its output unless --reveal, which is audited', () => {
    const db = book()
    const masked = json<{changes: {old: string; new: string}[]}>(
      run(db, 'customer', 'edit', 'C1', '--set', 'phone=13911112222', '--json'),
    )
    expect(masked.changes).toEqual([{field: 'phone', old: '176****8055', new: '139****2222'}])
    const human = run(db, 'customer', 'edit', 'C1', '--set', 'name=王小伟')
    expect(human.stdout).toContain('name: 王* → 王*伟')
    expect(human.stdout).not.toContain('王小伟')
    const revealed = json<{changes: {old: string; new: string}[]}>(
      run(db, 'customer', 'edit', 'C1', '--set', 'phone=13933334444', '--reveal', '--json'),
    )
    expect(revealed.changes).toEqual([{field: 'phone', old: '13911112222', new: '13933334444'}])
    expect(rows(db, "SELECT 1 FROM audit_log WHERE action = 'customer.reveal'")).toHaveLength(1)
  })

  it('reads dirty values as an import does: full-width digits, spaces, an alias for the field', () => {
    const db = book()
    const result = run(
      db,
      'customer',
      'edit',
      'C2',
      '--set',
      'phone= １３９００００１１１１ ',
      '--set',
      '客户经理=RM07',
    )
    expect(result.code).toBe(0)
    const [c2] = json<Record<string, unknown>[]>(run(db, 'customer', 'list', '--search', 'C2', '--reveal', '--json'))
    expect([c2.phone, c2.rm]).toEqual(['13900001111', 'RM07'])
  })

  it('refuses dirty values with the reason an import gives for the same cell (exit 3), changing nothing', () => {
    const db = book()
    const cases = [
      ['id_number', '3.1E+17'],
      ['phone', '1.76123E+10'],
      ['phone', '176****8055'],
      ['aum', 'abc'],
      ['name', '王\u0007伟'],
      ['name', ' '],
      ['birth_date', '1949-12-30'],
      ['opened_on', '2999-01-01'],
      ['type', 'alien'],
    ]
    // The same cells in an import, each beside C1's other values: one row per case.
    const header = ['customer_id', 'name', 'type', 'id_number', 'phone', 'aum', 'birth_date', 'opened_on']
    const base: Record<string, string> = {
      customer_id: 'C1',
      name: '王伟',
      type: '个人',
      id_number: '11010519491231002X',
    }
    const lines = cases.map(([field, value], i) =>
      header.map((h) => `"${h === field ? value : h === 'customer_id' ? `C${i}` : (base[h] ?? '')}"`).join(','),
    )
    const rejects = scratch.file('dirty.rejects.csv', '')
    const file = scratch.file('dirty.csv', `${header.join(',')}\n${lines.join('\n')}\n`)
    expect(crm(['customer', 'import', file, '--db', scratch.db(), '--rejects', rejects, '--force']).code).toBe(3)
    const reasons = rejectsOf(rejects).slice(1)
    expect(reasons).toHaveLength(cases.length)
    cases.forEach(([field, value], i) => {
      const result = run(db, 'customer', 'edit', 'C1', '--set', `${field}=${value}`)
      expectHandled(result, 3)
      expect(result.stderr).toContain(`--set ${field}: ${reasons[i][2]}`)
    })
    expect(rows(db, 'SELECT 1 FROM customer_changes')).toHaveLength(0)
    expect(run(db, 'customer', 'show', 'C1', '--json', '--reveal').stdout).toContain('17612348055')
  })

  it('refuses an unknown field with the nearest one, and the key, as usage errors', () => {
    const db = book()
    const unknown = run(db, 'customer', 'edit', 'C1', '--set', 'rmm=RM1')
    expectHandled(unknown, 2)
    expect(unknown.stderr).toContain('did you mean rm?')
    const key = run(db, 'customer', 'edit', 'C1', '--set', 'customer_id=C9')
    expectHandled(key, 2)
    expect(key.stderr).toContain('customer_id cannot be edited')
    expectHandled(run(db, 'customer', 'edit', 'C1', '--set', 'rm'), 2)
    expectHandled(run(db, 'customer', 'edit', 'C1'), 2)
  })

  it('refuses an unknown customer and a deleted one (not found)', () => {
    const db = book()
    expectHandled(run(db, 'customer', 'edit', 'C99', '--set', 'rm=RM1'), 4)
    expect(run(db, 'customer', 'delete', 'C4').code).toBe(0)
    const deleted = run(db, 'customer', 'edit', 'C4', '--set', 'rm=RM1')
    expectHandled(deleted, 4)
    expect(deleted.stderr).toContain('customer C4 was deleted')
  })
})

describeBackends('crm customer delete', (backend) => {
  const book = booksOf(backend)
  it('refuses while the customer has contacts or tier results, naming them, unless --force', () => {
    const db = book()
    expect(run(db, 'contact', 'log', '--customer', 'C1', '--channel', 'phone', '--purpose', 'review').code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum').code).toBe(0)
    const refused = run(db, 'customer', 'delete', 'C1')
    expectHandled(refused, 3)
    expect(refused.stderr).toContain('contacts: 1, tier results: 1')
    expect(refused.stderr).toContain('--force')
    const forced = json(run(db, 'customer', 'delete', 'C1', '--force', '--json'))
    expect(forced).toMatchObject({customer_id: 'C1', deleted: true, contacts: 1, tier_results: 1})
    const [entry] = rows<{details: string}>(db, "SELECT details FROM audit_log WHERE action = 'customer.delete'")
    expect(JSON.parse(entry.details)).toEqual({customer_id: 'C1', contacts: 1, tier_results: 1, forced: true})
  })

  it('says a second delete found it deleted already, exit 0, and keeps the row as a tombstone', () => {
    const db = book()
    expect(run(db, 'customer', 'delete', 'C4', '--actor', 'alice').code).toBe(0)
    const again = run(db, 'customer', 'delete', 'C4')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already deleted')
    expect(again.stdout).toContain('alice')
    expect(
      rows(db, "SELECT deleted_at FROM customers WHERE customer_id = 'C4' AND deleted_at IS NOT NULL"),
    ).toHaveLength(1)
    expect(rows(db, "SELECT 1 FROM audit_log WHERE action = 'customer.delete'")).toHaveLength(1)
  })
})

// Across the tool (lists, exports, runs, summaries, imports): on SQLite, where every command runs already.
describe('crm customer delete, seen by every command', () => {
  const book = sqliteBook
  it('takes the customer out of every list and count, while old runs keep their counts', () => {
    const db = book()
    const logged = json<{id: number}>(
      run(
        db,
        'contact',
        'log',
        '--customer',
        'C1',
        '--channel',
        'phone',
        '--purpose',
        'review',
        '--follow-up',
        '2099-01-01',
        '--note',
        'wants a loan',
        '--json',
      ),
    )
    expect(run(db, 'contact', 'log', '--customer', 'C2', '--channel', 'visit', '--purpose', 'service').code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum').code).toBe(0)
    const before = json<{customers: number}[]>(run(db, 'classify', 'runs', '--json'))[0].customers
    expect(run(db, 'customer', 'delete', 'C1', '--force', '--actor', 'bob').code).toBe(0)

    const ids = (list: Record<string, unknown>[]) => list.map((c) => c.customer_id)
    // customer list (every format), count and show
    expect(ids(json(run(db, 'customer', 'list', '--json')))).toEqual(['C2', 'C3', 'C4'])
    expect(run(db, 'customer', 'list', '--format', 'csv').stdout).not.toContain('C1,')
    expect(run(db, 'customer', 'list', '--search', '王伟', '--format', 'csv').stdout.trim().split('\n')).toHaveLength(1)
    const show = run(db, 'customer', 'show', 'C1')
    expectHandled(show, 4)
    expect(show.stderr).toMatch(/customer C1 was deleted \(.+, by bob\)/)
    // customer export
    const exported = scratch.file('export.csv', '')
    expect(run(db, 'customer', 'export', '--output', exported, '--force').code).toBe(0)
    expect(readFileSync(exported, 'utf8')).not.toContain('C1,')
    // contacts: list, export, due
    expect(json<{customer_id: string}[]>(run(db, 'contact', 'list', '--json')).map((c) => c.customer_id)).toEqual([
      'C2',
    ])
    const contacts = scratch.file('contacts.csv', '')
    expect(run(db, 'contact', 'export', '--output', contacts, '--force').code).toBe(0)
    expect(readFileSync(contacts, 'utf8')).not.toContain('wants a loan')
    const due = json<{overdue: {contact_id: number}[]}>(run(db, 'contact', 'due', '--date', '2099-12-31', '--json'))
    expect(due.overdue.map((d) => d.contact_id)).not.toContain(logged.id)
    // db info
    expect(json<{counts: Record<string, number>}>(run(db, 'db', 'info', '--json')).counts).toMatchObject({
      customers: 3,
      contacts: 1,
    })
    // filter values: RM01 is now C3's alone; RM09 nobody's once C4 goes too
    expect(ids(json(run(db, 'customer', 'list', '--rm', 'RM01', '--json')))).toEqual(['C3'])
    // classify (the SQL rule engine): a new run skips it; the old run keeps its count
    expect(run(db, 'classify', '--scheme', 'retail-aum').code).toBe(0)
    const runs = json<{customers: number}[]>(run(db, 'classify', 'runs', '--json'))
    expect(runs[1].customers).toBe(before)
    expect(runs[0].customers).toBe(before - 1)
    const shownRun = json<{customer_id: string}[]>(run(db, 'classify', 'show', '1', '--json'))
    expect(JSON.stringify(shownRun)).not.toContain('"C1"')
    // summary
    const summary = json<{rows: {kind: string; customers: number}[]}>(
      run(db, 'summary', '--scheme', 'retail-aum', '--json'),
    )
    expect(summary.rows.find((r) => r.kind === 'total')?.customers).toBe(before - 1)
    // classify explain
    expectHandled(run(db, 'classify', 'explain', 'C1', '--scheme', 'retail-aum'), 4)
    // filter values: a manager only C4 had is no customer's once C4 is deleted
    expect(run(db, 'customer', 'delete', 'C4', '--force').code).toBe(0)
    expect(run(db, 'customer', 'list', '--rm', 'RM09', '--format', 'csv').stderr).toContain('no customer has')
  })

  it("rejects an import of a deleted customer's id, and contacts for it, saying why", () => {
    const db = book()
    expect(run(db, 'customer', 'delete', 'C4').code).toBe(0)
    const file = scratch.file('again.csv', 'customer_id,name,type\nC4,新客户,个人\nC5,钱七,个人\n')
    const rejects = scratch.file('again.rejects.csv', '')
    const imported = crm(['customer', 'import', file, '--db', db, '--rejects', rejects, '--force', '--json'])
    expectHandled(imported, 3)
    expect(json(imported)).toMatchObject({inserted: 1, rejected: 1})
    expect(rejectsOf(rejects)[1][2]).toBe('customer_id C4 belonged to a deleted customer: ids are never reused')
    expect(rows(db, "SELECT name FROM customers WHERE customer_id = 'C4'")).toEqual([{name: '赵敏'}])
    const log = run(db, 'contact', 'log', '--customer', 'C4', '--channel', 'phone', '--purpose', 'review')
    expectHandled(log, 4)
    expect(log.stderr).toContain('customer C4 was deleted')
    const contacts = scratch.file('contacts.csv', 'customer_id,at,channel,purpose\nC4,2024-01-05 10:00,phone,review\n')
    const contactRejects = scratch.file('contacts.rejects.csv', '')
    const contactImport = crm(['contact', 'import', contacts, '--db', db, '--rejects', contactRejects, '--force'])
    expectHandled(contactImport, 3)
    expect(rejectsOf(contactRejects)[1][2]).toBe('customer C4 was deleted: no contact is added for it')
  })
})

describeBackends('crm customer erase', (backend) => {
  const book = booksOf(backend)
  it('leaves nothing of the personal data in the database file or its WAL, and --reveal shows nothing', () => {
    const db = book()
    const note = '王伟说换号了 17612348055'
    expect(
      run(db, 'contact', 'log', '--customer', 'C1', '--channel', 'phone', '--purpose', 'review', '--note', note).code,
    ).toBe(0)
    expect(run(db, 'customer', 'edit', 'C1', '--set', 'email=new.wang@bank.com', '--set', 'rm=RM05').code).toBe(0)
    expect(run(db, 'customer', 'list', '--search', '王伟', '--reveal').code).toBe(0)
    expect(run(db, 'classify', '--scheme', 'retail-aum').code).toBe(0)
    const erased = run(db, 'customer', 'erase', 'C1', '--actor', 'dpo', '--json')
    expect(erased.code).toBe(0)
    expect(json(erased)).toMatchObject({customer_id: 'C1', again: false, contacts: 1})

    const files = storedBytes(db)
    for (const secret of ['王伟', '17612348055', '11010519491231002X', 'wang.li@bank.com', 'new.wang', '换号了'])
      for (const bytes of files) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false)
    // The ids, amounts and the manager stay; the audit log says who erased what, without the values.
    expect(
      rows(
        db,
        'SELECT customer_id, aum_fen, rm, CASE WHEN erased_at IS NOT NULL THEN 1 ELSE 0 END AS erased FROM customers ' +
          "WHERE customer_id = 'C1'",
      ),
    ).toEqual([{customer_id: 'C1', aum_fen: 600000000, rm: 'RM05', erased: 1}])
    const [entry] = rows<{actor: string; details: string}>(
      db,
      "SELECT actor, details FROM audit_log WHERE action = 'customer.erase'",
    )
    expect(entry.actor).toBe('dpo')
    expect(JSON.parse(entry.details)).toMatchObject({
      customer_id: 'C1',
      fields: expect.arrayContaining(['name', 'phone']),
    })
    expect(JSON.parse(rows<{old_values: string}>(db, 'SELECT old_values FROM customer_changes')[0].old_values)).toEqual(
      {
        email: null,
        rm: 'RM01',
      },
    )
    // --reveal everywhere shows nothing of it
    for (const args of [
      ['customer', 'list', '--reveal', '--json'],
      ['contact', 'list', '--reveal', '--json'],
      ['classify', 'show', '1', '--reveal', '--json'],
    ]) {
      const out = run(db, ...args)
      expect(out.code, args.join(' ')).toBe(0)
      expect(out.stdout).not.toContain('王伟')
      expect(out.stdout).not.toContain('17612348055')
    }
    expectHandled(run(db, 'customer', 'show', 'C1', '--reveal'), 4)
  })

  it('erases twice without complaint, saying it was erased before', () => {
    const db = book()
    expect(run(db, 'customer', 'erase', 'C2').code).toBe(0)
    const again = run(db, 'customer', 'erase', 'C2')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('was erased before')
    expectHandled(run(db, 'customer', 'erase', 'C99'), 4)
  })
})

// Kept columns come by import: on SQLite, where customer import runs already.
describe('crm customer erase of imported kept columns', () => {
  it('leaves nothing of kept columns, earlier values, reject examples or searches in the file or its WAL', () => {
    const db = scratch.db()
    const head = 'customer_id,name,type,phone,email,备用电话,家庭住址'
    const imports = [
      [head, 'K1,张三丰,个人,13911112222,zsf@wudang.cn,13812345678,湖北十堰武当山', 'K2,李四,个人,13700000000,,,'],
      // An update (the journal keeps the old kept values), and a rejected row of K1 quoting its values.
      [head, 'K1,张三丰,个人,13911112222,zsf@wudang.cn,13987654321,武当山紫霄宫', 'K1,张三丰,bad,1391111222x,zsf@,,'],
    ]
    for (const [i, lines] of imports.entries()) {
      const out = run(db, 'customer', 'import', scratch.file(`k${i}.csv`, lines.join('\n')))
      // The second has a rejected row: exit 3.
      expect(out.code, out.stderr).toBe(i === 0 ? 0 : 3)
    }
    expect(run(db, 'customer', 'edit', 'K1', '--set', 'phone=13566667777', '--set', 'name=张君宝').code).toBe(0)
    const note = '张君宝说备用电话13812345678停用'
    expect(
      run(db, 'contact', 'log', '--customer', 'K1', '--channel', 'phone', '--purpose', 'review', '--note', note).code,
    ).toBe(0)
    for (const search of ['张君宝', '13566667777', '武当山'])
      expect(run(db, 'customer', 'list', '--search', search, '--reveal').code).toBe(0)
    const erased = run(db, 'customer', 'erase', 'K1', '--json')
    expect(erased.code, erased.stderr).toBe(0)
    expect(json<{journal_rows: number}>(erased).journal_rows).toBeGreaterThan(0)

    const files = [db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f))
    const secrets = ['张三丰', '张君宝', '13911112222', '13566667777', 'zsf@wudang', '13812345678', '13987654321']
    for (const secret of [...secrets, '十堰武当山', '紫霄宫', '停用'])
      for (const bytes of files) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false)
    // K2 keeps what it had.
    expect(rows(db, "SELECT name, phone FROM customers WHERE customer_id = 'K2'")).toEqual([
      {name: '李四', phone: '13700000000'},
    ])
  })
})

describeBackends('crm contact edit and delete', (backend) => {
  const book = booksOf(backend)
  const logged = (db: string, ...flags: string[]) =>
    json<{id: number}>(
      run(
        db,
        ...['contact', 'log', '--customer', 'C2', '--channel', 'phone', '--json', ...flags],
        ...(flags.includes('--purpose') ? [] : ['--purpose', 'review']),
      ),
    ).id

  it('edits a contact as an import checks it, audited with old and new values, notes masked', () => {
    const db = book()
    const id = logged(db, '--note', 'call 13912345678', '--at', '2026-01-01 10:00')
    const edited = json<{changes: unknown[]}>(
      run(db, 'contact', 'edit', String(id), '--set', 'purpose=营销', '--set', 'notes=new 13912345678', '--json'),
    )
    expect(edited.changes).toEqual([
      {field: 'purpose', old: 'review', new: 'marketing'},
      {field: 'notes', old: 'call 139****5678', new: 'new 139****5678'},
    ])
    const [entry] = rows<{details: string}>(db, "SELECT details FROM audit_log WHERE action = 'contact.edit'")
    expect(JSON.parse(entry.details).changes[1]).toEqual({
      field: 'notes',
      old: 'call 13912345678',
      new: 'new 13912345678',
    })
    expect(run(db, 'contact', 'edit', String(id), '--set', 'purpose=marketing').stdout).toContain('nothing changed')
    expectHandled(run(db, 'contact', 'edit', String(id), '--set', 'at=2999-01-01'), 3)
    expectHandled(run(db, 'contact', 'edit', String(id), '--set', 'follow_up_on=2020-01-01'), 3)
    expectHandled(run(db, 'contact', 'edit', String(id), '--set', 'channel=pigeon'), 3)
    expectHandled(run(db, 'contact', 'edit', String(id), '--set', 'customer_id=C3'), 2)
    expectHandled(run(db, 'contact', 'edit', '999', '--set', 'rm=x'), 4)
    // Made the same contact as another (time, customer, channel, direction, purpose and notes): refused.
    const twin = logged(db, '--note', 'other', '--at', '2026-01-01 10:00', '--purpose', 'marketing')
    const same = run(db, 'contact', 'edit', String(twin), '--set', 'notes=new 13912345678')
    expectHandled(same, 3)
    expect(same.stderr).toContain(`would then be the same contact as contact ${id}`)
  })

  it('deletes a contact: it leaves the lists, and the follow-up it had closed is open again', () => {
    const db = book()
    const asked = logged(db, '--at', '2026-01-01 10:00', '--follow-up', '2099-01-01')
    const answer = logged(db, '--at', '2026-01-02 10:00')
    const dueIds = () =>
      json<{overdue: {contact_id: number}[]}>(run(db, 'contact', 'due', '--date', '2099-12-31', '--json')).overdue.map(
        (d) => d.contact_id,
      )
    expect(dueIds()).not.toContain(asked)
    const deleted = json(run(db, 'contact', 'delete', String(answer), '--json'))
    expect(deleted).toMatchObject({deleted: true, reopened_follow_ups: [asked]})
    expect(dueIds()).toContain(asked)
    expect(json<{id: number}[]>(run(db, 'contact', 'list', '--json')).map((c) => c.id)).toEqual([asked])
    const again = run(db, 'contact', 'delete', String(answer))
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already deleted')
    expectHandled(run(db, 'contact', 'edit', String(answer), '--set', 'rm=x'), 4)
    // A deleted contact with a follow-up leaves the due list itself.
    expect(run(db, 'contact', 'delete', String(asked)).code).toBe(0)
    expect(dueIds()).not.toContain(asked)
  })
})
