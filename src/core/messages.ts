/**
 * Every sentence and label a person reads, in English and Chinese. A message is a template: {name} is filled with a
 * value (a count, an id, a file), never translated. English is the default and the text of --json; machine values
 * (codes, enum values, field names, JSON keys) are not messages and stay as they are.
 *
 * Reject reasons and errors are made in English where they arise (a worker thread, a parser), and put into the
 * reader's language where they are shown: `localize` finds the template an English text was made from and fills the
 * same template in the other language. Text no template made stays English.
 */
export type Lang = 'zh' | 'en'

interface Message {
  readonly en: string
  readonly zh: string
}

/** Text shown as it is made, in the reader's language (say). */
const SHOWN = {
  // Table headings and labels
  total: {en: 'Total', zh: '合计'},
  subtotal: {en: 'Subtotal', zh: '小计'},
  noTier: {en: 'no tier', zh: '未分层'},
  headRun: {en: 'Run', zh: '运行'},
  headScheme: {en: 'Scheme', zh: '方案'},
  headVersion: {en: 'Version', zh: '版本'},
  headTitle: {en: 'Title', zh: '说明'},
  headTiers: {en: 'Tiers', zh: '分层'},
  headTier: {en: 'Tier', zh: '分层'},
  headAsOf: {en: 'As of', zh: '基准日'},
  headFilter: {en: 'Filter', zh: '范围'},
  headCustomers: {en: 'Customers', zh: '客户数'},
  headCreated: {en: 'Created', zh: '运行时间'},
  headBy: {en: 'By', zh: '操作人'},
  headCustomer: {en: 'Customer', zh: '客户号'},
  headName: {en: 'Name', zh: '客户名称'},
  headReason: {en: 'Reason', zh: '原因'},
  headWhen: {en: 'When', zh: '时间'},
  headContactCustomer: {en: 'Customer', zh: '客户'},
  headChannel: {en: 'Channel', zh: '渠道'},
  headDirection: {en: 'Dir', zh: '方向'},
  headPurpose: {en: 'Purpose', zh: '目的'},
  headRm: {en: 'RM', zh: '客户经理'},
  headFollowUp: {en: 'Follow up', zh: '跟进'},
  headNotes: {en: 'Notes', zh: '备注'},
  headBranch: {en: 'Branch', zh: '网点'},
  headType: {en: 'Type', zh: '类型'},
  headShare: {en: 'Share', zh: '占比'},
  headAum: {en: 'AUM', zh: '金融资产合计'},
  headAumAverage: {en: 'AUM per customer', zh: '户均金融资产'},
  headDeposits: {en: 'Deposits', zh: '存款'},
  headLoans: {en: 'Loans', zh: '贷款'},
  headAumShare: {en: 'AUM share', zh: '资产占比'},
  headSumTotal: {en: '{name} total', zh: '{name}合计'},
  headSumShare: {en: '{name} share', zh: '{name}占比'},
  headContacted: {en: 'Contacted', zh: '近期联系'},
  headMove: {en: 'Move', zh: '变动'},
  moveUp: {en: 'up', zh: '上升'},
  moveDown: {en: 'down', zh: '下降'},

  // Customers
  rmBefore: {en: 'RM {rm}', zh: '客户经理 {rm}'},
  overdueDays: {en: '{days} days', zh: '{days} 天'},
  keptColumns: {en: 'Other columns (kept from imports)', zh: '其他列（导入时保留）'},
  createdUpdated: {en: 'created {created} · updated {updated}', zh: '创建 {created} · 更新 {updated}'},

  // Contacts
  neverContacted: {en: 'never contacted', zh: '从未联系'},
  lastContactDaysAgo: {en: 'last contact {days} days ago', zh: '上次联系 {days} 天前'},
  cadenceLine: {en: '{scheme} {tier} cadence {days} days, {since}', zh: '{scheme} {tier} 联系周期 {days} 天，{since}'},
  followUpLateOne: {en: 'follow-up {date} (1 day)', zh: '跟进日 {date}（逾期 1 天）'},
  followUpLate: {en: 'follow-up {date} ({count} days)', zh: '跟进日 {date}（逾期 {count} 天）'},
  followUpOn: {en: 'follow-up {date}', zh: '跟进日 {date}'},
  lastChannel: {en: 'last: {channel} {date}', zh: '最近：{channel} {date}'},
  overdueSection: {en: 'Overdue ({count})', zh: '已逾期 ({count})'},
  moreLapsed: {en: '… and {count} more with a lapsed cadence (--format csv for all)', zh: '… 另有 {count} 位客户联系周期已过（--format csv 查看全部）'},
  dueTodaySection: {en: 'Due today ({count})', zh: '今日到期 ({count})'},
  upcomingSection: {en: 'Upcoming, {days} days ({count})', zh: '未来 {days} 天 ({count})'},
  lastContacts: {en: 'Last contacts', zh: '最近联系'},
  none: {en: 'none', zh: '无'},
  followUpDone: {en: 'follow-up {date} ✓', zh: '跟进 {date} ✓'},
  followUpOpen: {en: 'follow up on {date}', zh: '下次跟进 {date}'},

  // Import report
  commaSeparated: {en: 'comma-separated', zh: '逗号分隔'},
  tabSeparated: {en: 'tab-separated', zh: '制表符分隔'},
  semicolonSeparated: {en: 'semicolon-separated', zh: '分号分隔'},
  pipeSeparated: {en: 'pipe-separated', zh: '竖线分隔'},
  importReadOne: {en: '{dryRun}Read 1 row from {file} ({encoding}, {kind}) in {seconds}s', zh: '{dryRun}读取 {file}（{encoding}，{kind}）1 行，用时 {seconds} 秒'},
  importRead: {en: '{dryRun}Read {count} rows from {file} ({encoding}, {kind}) in {seconds}s', zh: '{dryRun}读取 {file}（{encoding}，{kind}）{count} 行，用时 {seconds} 秒'},
  dryRunPrefix: {en: 'Dry run: ', zh: '试运行 '},
  completingBatchOne: {en: 'Completing batch {id} (interrupted after 1 row): the rows it had written count as unchanged', zh: '完成第 {id} 批（此前在 1 行后中断）：它已写入的行计为未变'},
  completingBatch: {en: 'Completing batch {id} (interrupted after {count} rows): the rows it had written count as unchanged', zh: '完成第 {id} 批（此前在 {count} 行后中断）：它已写入的行计为未变'},
  countInserted: {en: 'inserted {count}', zh: '新增 {count}'},
  countUpdated: {en: 'updated {count}', zh: '更新 {count}'},
  countUnchanged: {en: 'unchanged {count}', zh: '未变 {count}'},
  countDuplicate: {en: 'duplicate {count}', zh: '重复 {count}'},
  countRejected: {en: 'rejected {count}', zh: '拒绝 {count}'},
  reconcile: {en: 'check', zh: '核对'},
  aumUnknown: {en: 'aum unknown (no row has an aum)', zh: '金融资产 未知（没有一行有金融资产）'},
  aumCovers: {en: ' ({count} of {accepted} rows have an aum)', zh: '（{accepted} 行中 {count} 行有金融资产）'},
  aumRead: {en: 'aum read {read}{covers}', zh: '金融资产读取 {read}{covers}'},
  aumReadStored: {en: 'aum read {read} {same} stored {stored}{covers}', zh: '金融资产 读取 {read} {same} 入库 {stored}{covers}'},
  unknownColumnsKept: {en: 'Unknown columns kept with each customer: {columns}', zh: '未识别的列已随客户保存：{columns}'},
  columnsNotUsed: {en: 'Columns not used: {columns}', zh: '未使用的列：{columns}'},
  moreColumns: {en: '… and {count} more', zh: '…等 {count} 列'},
  closedFollowUpsOne: {en: 'Closed 1 open follow-up that these contacts answer', zh: '关闭了 1 个已得到回应的跟进'},
  closedFollowUps: {en: 'Closed {count} open follow-ups that these contacts answer', zh: '关闭了 {count} 个已得到回应的跟进'},
  anEarlierRow: {en: 'an earlier row', zh: '更早的一行'},
  lineNumber: {en: 'line {line}', zh: '第 {line} 行'},
  sameContact: {en: 'the same contact with {id}', zh: '客户 {id} 的同一联系'},
  appearsAgain: {en: '{what} appears again: {earlier} is replaced by line {kept} (the later row wins)', zh: '{what} 重复：{earlier}被第 {kept} 行取代（以后出现的为准）'},
  duplicatesInAllOne: {en: '… 1 duplicate row in all', zh: '…共 1 行重复'},
  duplicatesInAll: {en: '… {count} duplicate rows in all', zh: '…共 {count} 行重复'},
  rejectsWritten: {en: 'written to {file} ({encoding})', zh: '已写入 {file}（{encoding}）'},
  noRejectFile: {en: '(no reject file in a dry run unless --rejects is given)', zh: '（试运行未写拒绝文件；可用 --rejects 指定）'},
  rejectedRowsOne: {en: '1 rejected row {where}, for example:', zh: '1 行被拒绝，{where}，例如：'},
  rejectedRows: {en: '{count} rejected rows {where}, for example:', zh: '{count} 行被拒绝，{where}，例如：'},
  rejectLine: {en: 'line {line}', zh: '第 {line} 行'},
  warningLine: {en: 'warning: line {line} {field}: {reason}', zh: '警告 第 {line} 行 {field}：{reason}'},
  dryRunNothingWritten: {en: 'Dry run: nothing was written to the database.', zh: '试运行：数据库未改动。'},
  strictNothingWrittenOne: {en: '--strict: nothing was written, because 1 row was rejected.', zh: '--strict：有 1 行被拒绝，未写入任何数据。'},
  strictNothingWritten: {en: '--strict: nothing was written, because {count} rows were rejected.', zh: '--strict：有 {count} 行被拒绝，未写入任何数据。'},
  noRowPassed: {en: 'Nothing was written: no row passed the checks.', zh: '未写入任何数据：没有一行通过检查。'},
  firstImportedAs: {en: ' (this file was first imported as batch {batch})', zh: '（此文件最早作为第 {batch} 批导入）'},
  everyRowMatches: {en: 'every row matches the database', zh: '每一行都与数据库一致'},
  acceptedMatchOne: {en: 'the 1 accepted row matches the database', zh: '通过检查的 1 行与数据库一致'},
  acceptedMatch: {en: 'the {count} accepted rows match the database', zh: '通过检查的 {count} 行都与数据库一致'},
  andRejectedOne: {en: ', and 1 was rejected', zh: '，另有 1 行被拒绝'},
  andRejected: {en: ', and {count} were rejected', zh: '，另有 {count} 行被拒绝'},
  nothingChanged: {en: 'Nothing changed: {matching}{before}.', zh: '没有任何改动：{matching}{before}。'},

  // Summary
  runsNewestFirst: {en: "runs {runs} (each customer's newest run that classified it)", zh: 'runs {runs}（每位客户取最近一次分层它的运行）'},
  customersPlain: {en: '{count} customers', zh: '{count} 位客户'},
  listSeparator: {en: ', ', zh: '，'},
  /** Between the names of a list (columns): 、 in Chinese. */
  nameSeparator: {en: ', ', zh: '、'},
  versionsDiffer: {en: "the runs this summary stands on used different versions of {scheme}: {each}; each customer's tier follows the rules of the run that classified it",
    zh: '本汇总所依据的运行用了 {scheme} 的不同版本：{each}；每位客户的分层来自分层它的那次运行的规则'},
  amountAum: {en: 'AUM', zh: '金融资产'},
  amountDeposits: {en: 'deposits', zh: '存款'},
  amountLoans: {en: 'loans', zh: '贷款'},
  knownOf: {en: '{name} {known} of {total}', zh: '{name} {known}/{total}'},
  partialSums: {en: '{mark} a sum over the customers with a value; the others are unknown, not 0 (known: {gaps}); — when none is known',
    zh: '{mark} 合计只含有数值的客户，其余未知（不按 0 计）：{gaps}；— 表示全部未知'},
  topByAum: {en: '{tier} top {count} by AUM', zh: '{tier} 金融资产最高的 {count} 位'},
  matrixCorner: {en: 'from \\ to', zh: '由 \\ 至'},
  matrixGone: {en: 'gone', zh: '离开'},
  matrixNew: {en: 'new', zh: '新增'},
  runsSchemeDiffer: {en: "the runs used different versions of {scheme}: run {a} v{aVersion} ({aHash}), run {b} v{bVersion} ({bHash}); the tiers' rules may differ, so a move need not be the customer's",
    zh: '两次运行的方案不同：run {a} 用 v{aVersion}（{aHash}），run {b} 用 v{bVersion}（{bHash}）；分层的规则可能不同，迁移未必是客户本身的变化'},
  migrationTotals: {en: 'up {up} · down {down} · unchanged {unchanged} · new {added} · gone {gone}', zh: '上升 {up} · 下降 {down} · 不变 {unchanged} · 新增 {added} · 离开 {gone}'},

  // Classification
  asOf: {en: 'as of {date}', zh: '基准日 {date}'},
  dryRunNotStored: {en: 'dry run, not stored', zh: '试运行，未保存'},
  customerCountOne: {en: '1 customer', zh: '1 位客户'},
  customerCount: {en: '{count} customers', zh: '{count} 位客户'},
  skippedOne: {en: '1 more customer is outside the scheme or the filter', zh: '另有 1 位客户不适用本方案或未被筛选'},
  skipped: {en: '{count} more customers are outside the scheme or the filter', zh: '另有 {count} 位客户不适用本方案或未被筛选'},
  flatMeasure: {en: 'warning: {measure} separates no one: its input has the same value for every customer where it is known, so tiers that read it say nothing about them',
    zh: '警告：{measure} 的输入对所有已知客户都相同：它无法区分客户，依赖它的分层并无依据'},
  missingInputOne: {en: 'warning: {field} is unknown for {unknown} of 1 customer ({share}): tiers that read it may reflect missing data',
    zh: '警告：{field} 在 1 位客户中有 {unknown} 位未知（{share}）：依赖它的分层可能只反映数据缺失'},
  missingInput: {en: 'warning: {field} is unknown for {unknown} of {classified} customers ({share}): tiers that read it may reflect missing data',
    zh: '警告：{field} 在 {classified} 位客户中有 {unknown} 位未知（{share}）：依赖它的分层可能只反映数据缺失'},
  schemeNotApplicable: {en: 'the scheme does not apply to this customer (or the portfolio leaves it out)', zh: '本方案不适用于该客户（或不在其范围内）'},
  explainTier: {en: 'tier', zh: '分层'},
  explainBecause: {en: 'because', zh: '原因'},
  scoreFrom: {en: '{score}, from:', zh: '{score}，各项：'},
  holds: {en: 'holds', zh: '成立'},
  doesNotHold: {en: 'does not hold', zh: '不成立'},
  notClassified: {en: 'not classified: {advice}', zh: '未分层：请更正该值后重新导入，或在方案的 extras 中将该列声明为 text'},
  unranked: {en: "this tier stands outside the scheme's order (unscored or to be checked): no move to show", zh: '该层级不在方案的优劣顺序中（数据不足或待核查），不提示升降'},
  leastRisky: {en: 'already in the least risky tier', zh: '已是风险最低的层级'},
  topTier: {en: 'already in the top tier', zh: '已是最高层级'},
  toReach: {en: 'to reach {tier}:', zh: '升至 {tier}：'},
  wouldFall: {en: 'would fall to {tier} if:', zh: '如下列条件成立，将降至 {tier}：'},
  explainContact: {en: 'contact', zh: '联系'},
  everyDays: {en: 'every {days} days', zh: '每 {days} 天'},
  lastContactOn: {en: 'last contact {date}', zh: '上次联系 {date}'},
  contactNone: {en: 'none: the customer is closed (contact due never lists closed customers)', zh: '无：客户已销户（contact due 不列出已销户客户）'},
  contactNever: {en: 'now: never contacted ({every})', zh: '现在：从未联系（{every}）'},
  contactOverdue: {en: 'overdue since {date} ({last}, {every})', zh: '自 {date} 起逾期（{last}，{every}）'},
  contactToday: {en: 'due today ({last}, {every})', zh: '今天到期（{last}，{every}）'},
  contactNext: {en: 'next due {date} ({last}, {every})', zh: '下次 {date} 到期（{last}，{every}）'},
  tiersLabel: {en: 'Tiers', zh: '分层'},
  notClassifiedYet: {en: 'not classified yet (crm classify --scheme …)', zh: '尚未分层（crm classify --scheme …）'},

  // Notes and directions
  dryRunEmptyDb: {en: '{file} does not exist yet: the dry run took it as an empty database, and created no file.', zh: '{file} 尚不存在：试运行以空数据库为准，未创建文件。'},
  hiddenColumns: {en: '{hidden} of {columns} columns do not fit this terminal ({names}): use --format csv, or a wider terminal, to see them',
    zh: '终端宽度不足，{columns} 列中有 {hidden} 列未显示（{names}）：请用 --format csv 或更宽的终端查看'},
  followUpClosed: {en: 'Closed the follow-up of contact {id} (due {date}).', zh: '已关闭联系 {id} 的跟进（原定 {date}）。'},
  followUpAlreadyClosed: {en: 'The follow-up of contact {id} was already closed.', zh: '联系 {id} 的跟进此前已关闭。'},
  contactLogged: {en: 'Logged contact {id} with {customer}.', zh: '已记录联系 {id}（客户 {customer}）。'},
  contactLoggedBefore: {en: 'This contact was logged before, as {id}: nothing added.', zh: '这次联系已记录过（{id}），未重复添加。'},
  followUpsClosedOne: {en: 'Closed 1 open follow-up it answers.', zh: '关闭了 1 个已得到回应的跟进。'},
  followUpsClosed: {en: 'Closed {count} open follow-ups it answers.', zh: '关闭了 {count} 个已得到回应的跟进。'},

  // Errors as printed: the label in red, then the message
  errorLabel: {en: 'Error:', zh: '错误：'},
  errorLine: {en: '{label} {message}', zh: '{label}{message}'},

  // Prompts
  promptCustomer: {en: 'Customer (type an id or part of a name)', zh: '客户（输入客户号或姓名）'},
  promptChannel: {en: 'Channel', zh: '渠道'},
  promptPurpose: {en: 'Purpose', zh: '目的'},
  /** A choice in a list: the value to type, and its Chinese name. */
  choice: {en: '{value} ({label})', zh: '{label}（{value}）'},
  promptFollowUp: {en: 'Follow up on (date, or leave empty)', zh: '下次跟进日期（可留空）'},
  confirmLog: {en: 'Log this contact with {customer}?', zh: '记录与此客户的联系：{customer}？'},

  // db info
  infoPath: {en: 'path', zh: '路径'},
  infoSchema: {en: 'schema', zh: '结构版本'},
  infoSize: {en: 'size', zh: '大小'},
  infoWal: {en: 'write-ahead log', zh: '预写日志'},
  infoCustomers: {en: 'customers', zh: '客户'},
  infoContacts: {en: 'contacts', zh: '联系记录'},
  infoRuns: {en: 'runs', zh: '分层运行'},
  infoImports: {en: 'imports', zh: '导入批次'},
  infoAudit: {en: 'audit log', zh: '审计记录'},
  infoLastImport: {en: 'last import', zh: '最近导入'},
  infoLastRun: {en: 'last run', zh: '最近分层'},
  infoLastAudit: {en: 'last audit', zh: '最近审计'},
  lastImport: {en: '{at} {kind} {file} ({rows} rows, {status})', zh: '{at} {kind} {file}（{rows} 行，{status}）'},
  lastRun: {en: 'run {id} {scheme} as of {asOf} ({customers} customers, {at})', zh: 'run {id} {scheme}，基准日 {asOf}（{customers} 位客户，{at}）'},
  importComplete: {en: 'complete', zh: '完成'},
  importInterrupted: {en: 'interrupted', zh: '已中断'},
  importRunning: {en: 'running (pid {pid})', zh: '正在运行（进程 {pid}）'},
  importRunningOn: {en: 'running on {host} (pid {pid})', zh: '正在于 {host} 运行（进程 {pid}）'},
  auditEntry: {en: '{at} {action} by {actor} (OS user {osUser})', zh: '{at} {action} 操作人 {actor}（系统用户 {osUser}）'},
  notRecorded: {en: 'not recorded', zh: '未记录'},

} as const satisfies Record<string, Message>

/** Text made in English where it arises (errors, reject reasons) and translated where it is shown (localize). */
const MADE_IN_ENGLISH = {
  // Errors
  nothingLogged: {en: 'nothing was logged', zh: '未记录任何联系'},
  noContact: {en: 'no contact with id {id}', zh: '没有编号为 {id} 的联系记录'},
  listOpenContacts: {en: 'list contacts with: crm contact list --open', zh: '可用 crm contact list --open 列出联系记录'},
  noFollowUp: {en: 'contact {id} has no follow-up to close', zh: '联系 {id} 没有需要关闭的跟进'},
  noCustomer: {en: 'no customer with customer_id "{id}"', zh: '没有客户号为“{id}”的客户'},
  noDatabase: {en: 'there is no database at {file}', zh: '{file} 处没有数据库'},
  giveDbPath: {en: 'give its path with --db or CRM_DB', zh: '请用 --db 或 CRM_DB 指定其路径'},
  seeHelp: {en: 'see: {command} --help', zh: '参见：{command} --help'},
  missingFlag: {en: '--{flag} is required: {what}', zh: '缺少 --{flag}：{what}'},
  missingFlagHint: {en: 'give --{flag}, or run on a terminal to be asked', zh: '请用 --{flag} 给出，或在终端中运行以便逐项提示'},
  oneOf: {en: 'one of {values}', zh: '取值之一：{values}'},
  customerNumber: {en: 'the customer number (customer_id)', zh: '客户号（customer_id）'},
  flagProblem: {en: '--{flag}: {problem}', zh: '--{flag}：{problem}'},
  didYouMean: {en: 'did you mean {candidates}?', zh: '您要找的是不是 {candidates}？'},
  listCustomers: {en: 'list customers with: crm customer list --search TEXT', zh: '可用 crm customer list --search 文字 查找客户'},
  notAChoice: {en: '"{text}" is not a {kind}: use {values} (or a Chinese name such as {example})', zh: '“{text}”不是有效的 {kind}：请用 {values}（或中文名称，例如 {example}）'},
  cannotRead: {en: 'cannot read {file}: {reason}', zh: '无法读取 {file}：{reason}'},
  noSuchFile: {en: 'no such file', zh: '文件不存在'},
  bug: {en: 'internal error: {message}', zh: '内部错误：{message}'},
  bugHint: {en: 'this is a bug in crm: please report it (set DEBUG=1 for the stack trace)', zh: '这是 crm 的缺陷，请报告（设置 DEBUG=1 可查看调用栈）'},

  // Reject reasons (made in English where the row is checked; see localize)
  rowWidth: {en: 'the row has {cells} columns but the header has {header}', zh: '该行有 {cells} 列，但表头有 {header} 列'},
  fieldEmpty: {en: '{field} is empty', zh: '{field} 为空'},
  customerExists: {en: 'customer {id} already exists (use --mode upsert to update it)', zh: '客户 {id} 已存在（如需更新请用 --mode upsert）'},
  customerAbsent: {en: 'customer {id} does not exist (use --mode upsert to add it)', zh: '客户 {id} 不存在（如需新增请用 --mode upsert）'},
  contactCustomerAbsent: {en: 'customer {id} does not exist (import the customer first)', zh: '客户 {id} 不存在（请先导入该客户）'},
  notWholeNumber: {en: '"{text}" is not a whole number', zh: '“{text}”不是整数'},
  negativeCount: {en: '{text} is negative: it must be 0 or more', zh: '{text} 为负数：须为 0 或以上'},
  tooLarge: {en: '{text} is too large', zh: '{text} 过大'},
  negativeAmount: {en: '{text} is negative: this amount must be 0 or more', zh: '{text} 为负数：此金额须为 0 或以上'},
  amountTooLarge: {en: "{text} is too large to store: one amount may be at most {max} yuan; check the column's unit",
    zh: '{text} 过大，无法保存：单个金额最多 {max} 元；请检查该列的单位'},
  notAnEmail: {en: '"{text}" is not an e-mail address', zh: '“{text}”不是电子邮件地址'},
  notADate: {en: '{text} is not a date', zh: '{text} 不是日期'},
  notADateWritten: {en: '"{text}" is not a date (write 2024-01-05, 2024/1/5, 20240105 or 2024年1月5日)', zh: '“{text}”不是日期（请写成 2024-01-05、2024/1/5、20240105 或 2024年1月5日）'},
  notADateTime: {en: '"{text}" is not a date and time (write 2024-01-05 14:30)', zh: '“{text}”不是日期时间（请写成 2024-01-05 14:30）'},
  noValidTime: {en: '"{text}" has no valid time (write 14:30 or 14:30:05)', zh: '“{text}”中的时间无效（请写成 14:30 或 14:30:05）'},
  notAnAmount: {en: '"{text}" is not an amount (write digits with an optional . and at most 2 decimals, e.g. 1,234.56)',
    zh: '“{text}”不是金额（请写数字，可带小数点，最多 2 位小数，例如 1,234.56）'},
  tooManyDecimals: {en: '"{text}" has more than 2 decimals: amounts must be exact to the fen', zh: '“{text}”超过 2 位小数：金额须精确到分'},
  followUpPast: {en: 'the follow-up date {date} is in the past (today is {today})', zh: '跟进日期 {date} 已过（今天是 {today}）'},
  badPhone: {en: '"{text}" is not a mainland mobile (11 digits starting 13-19) or landline number (area code 0xx)',
    zh: '“{text}”不是内地手机号（以 13-19 开头的 11 位数字）或固定电话（区号 0xx）'},
  residentIdLength: {en: 'a resident ID has 18 characters: 17 digits and a digit or X', zh: '居民身份证号为 18 位：17 位数字加一位数字或 X'},
  residentIdBirth: {en: 'the birth date in the ID (characters 7 to 14) is not a date', zh: '证件号中的出生日期（第 7 至 14 位）不是有效日期'},
  residentIdCheck: {en: 'check digit should be {expected}, not {actual}', zh: '校验位应为 {expected}，而不是 {actual}'},
  idNumberMasked: {en: 'the ID number is masked ({masked}): masked ID numbers cannot be imported; export the file with full ID numbers (crm exports them with --reveal), or leave the cell empty',
    zh: '证件号已脱敏（{masked}）：脱敏的证件号不能导入；请导出含完整证件号的文件（crm 用 --reveal 导出），或留空该单元格'},
} as const satisfies Record<string, Message>

export const MESSAGES: Readonly<Record<keyof typeof SHOWN | keyof typeof MADE_IN_ENGLISH, Message>> = {...SHOWN, ...MADE_IN_ENGLISH}

export type MessageKey = keyof typeof MESSAGES
type EnglishKey = keyof typeof MADE_IN_ENGLISH
export type Params = Readonly<Record<string, string | number>>

const PLACEHOLDER = /\{(\w+)\}/g

/** A message in the given language, its {names} filled from params. */
export function say(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill(MESSAGES[key][lang], params)
}

/** A message about a count: its `One` form for exactly one (English says "1 customer", "2 customers"). */
export function sayCount(lang: Lang, key: MessageKey, count: number, params: Params = {}): string {
  const one = `${key}One`
  return say(lang, count === 1 && Object.hasOwn(MESSAGES, one) ? (one as MessageKey) : key, {count: count.toLocaleString('en-US'), ...params})
}

/** A message in English: the text of reject reasons, errors and --json, which `localize` can put into Chinese. */
export function en(key: EnglishKey, params: Params = {}): string {
  return fill(MESSAGES[key].en, params)
}

function fill(template: string, params: Params): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/**
 * English text made by `en` in the reader's language: the template it came from filled with the same values (which
 * are localized too, for a reason quoted inside an error). Masked values pass through as they are. Text no template
 * made is returned unchanged.
 */
export function localize(text: string, lang: Lang): string {
  if (lang === 'en' || text === '') return text
  for (const [key, message] of Object.entries(MADE_IN_ENGLISH) as [EnglishKey, Message][]) {
    const match = templatePattern(message.en).exec(text)
    if (match === null) continue
    const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([name, value]) => [name, localize(value, lang)]))
    return say(lang, key, params)
  }
  // Several reasons for one row are joined with '; ' (the reject file, the report).
  return text.includes('; ') ? text.split('; ').map((part) => localize(part, lang)).join('；') : text
}

function templatePattern(template: string): RegExp {
  let source = ''
  let last = 0
  for (const m of template.matchAll(PLACEHOLDER)) {
    // A value never spans '; ', which joins the reasons of one row: each is matched on its own.
    source += `${escapeRegExp(template.slice(last, m.index))}(?<${m[1]}>(?:(?!; )[\\s\\S])*?)`
    last = m.index + m[0].length
  }
  return new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
