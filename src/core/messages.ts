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

  // A command that is not one (the command-not-found hook)
  notACommand: {en: '"{typed}" is not a crm command.', zh: '“{typed}”不是 crm 命令。'},
  didYouMeanCommand: {en: 'Did you mean: {command}?', zh: '您要找的是不是：{command}？'},
  topicCommands: {en: 'Commands: {commands}', zh: '可用命令：{commands}'},
  seeCrmHelp: {en: 'See: crm --help', zh: '参见：crm --help'},
  onlyFlagGiven: {en: 'no command given, only the flag {flag}.', zh: '没有给出命令，只给了选项 {flag}。'},
  onlyFlagGivenHint: {
    en: 'Flags go with a command, as in: crm customer list --db FILE (see: crm --help)',
    zh: '选项要跟在命令后面，例如：crm customer list --db FILE（参见：crm --help）',
  },

  // The progress bar of an import
  progressRows: {en: '{rows} rows  {rate} rows/s', zh: '{rows} 行  {rate} 行/秒'},
  progressThousands: {en: '{n}k', zh: '{n}千'},
  progressEta: {en: 'eta {seconds}s', zh: '约剩 {seconds} 秒'},

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
  moreLapsed: {
    en: '… and {count} more with a lapsed cadence (--format csv for all)',
    zh: '… 另有 {count} 位客户联系周期已过（--format csv 查看全部）',
  },
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
  importReadOne: {
    en: '{dryRun}Read 1 row from {file} ({encoding}, {kind}) in {seconds}s',
    zh: '{dryRun}读取 {file}（{encoding}，{kind}）1 行，用时 {seconds} 秒',
  },
  importRead: {
    en: '{dryRun}Read {count} rows from {file} ({encoding}, {kind}) in {seconds}s',
    zh: '{dryRun}读取 {file}（{encoding}，{kind}）{count} 行，用时 {seconds} 秒',
  },
  dryRunPrefix: {en: 'Dry run: ', zh: '试运行 '},
  completingBatchOne: {
    en: 'Completing batch {id} (interrupted after 1 row): the rows it had written count as unchanged',
    zh: '完成第 {id} 批（此前在 1 行后中断）：它已写入的行计为未变',
  },
  completingBatch: {
    en: 'Completing batch {id} (interrupted after {count} rows): the rows it had written count as unchanged',
    zh: '完成第 {id} 批（此前在 {count} 行后中断）：它已写入的行计为未变',
  },
  countInserted: {en: 'inserted {count}', zh: '新增 {count}'},
  countUpdated: {en: 'updated {count}', zh: '更新 {count}'},
  countUnchanged: {en: 'unchanged {count}', zh: '未变 {count}'},
  countDuplicate: {en: 'duplicate {count}', zh: '重复 {count}'},
  countRejected: {en: 'rejected {count}', zh: '拒绝 {count}'},
  reconcile: {en: 'check', zh: '核对'},
  aumUnknown: {en: 'aum unknown (no row has an aum)', zh: '金融资产 未知（没有一行有金融资产）'},
  aumCovers: {en: ' ({count} of {accepted} rows have an aum)', zh: '（{accepted} 行中 {count} 行有金融资产）'},
  aumRead: {en: 'aum read {read}{covers}', zh: '金融资产读取 {read}{covers}'},
  aumReadStored: {
    en: 'aum read {read} {same} stored {stored}{covers}',
    zh: '金融资产 读取 {read} {same} 入库 {stored}{covers}',
  },
  unknownColumnsKept: {
    en: 'Unknown columns kept with each customer: {columns}',
    zh: '未识别的列已随客户保存：{columns}',
  },
  columnsNotUsed: {en: 'Columns not used: {columns}', zh: '未使用的列：{columns}'},
  moreColumns: {en: '… and {count} more', zh: '…等 {count} 列'},
  closedFollowUpsOne: {en: 'Closed 1 open follow-up that these contacts answer', zh: '关闭了 1 个已得到回应的跟进'},
  closedFollowUps: {
    en: 'Closed {count} open follow-ups that these contacts answer',
    zh: '关闭了 {count} 个已得到回应的跟进',
  },
  anEarlierRow: {en: 'an earlier row', zh: '更早的一行'},
  lineNumber: {en: 'line {line}', zh: '第 {line} 行'},
  sameContact: {en: 'the same contact with {id}', zh: '客户 {id} 的同一联系'},
  appearsAgain: {
    en: '{what} appears again: {earlier} is replaced by line {kept} (the later row wins)',
    zh: '{what} 重复：{earlier}被第 {kept} 行取代（以后出现的为准）',
  },
  duplicatesInAllOne: {en: '… 1 duplicate row in all', zh: '…共 1 行重复'},
  duplicatesInAll: {en: '… {count} duplicate rows in all', zh: '…共 {count} 行重复'},
  rejectsWritten: {en: 'written to {file} ({encoding})', zh: '已写入 {file}（{encoding}）'},
  noRejectFile: {
    en: '(no reject file in a dry run unless --rejects is given)',
    zh: '（试运行未写拒绝文件；可用 --rejects 指定）',
  },
  rejectedRowsOne: {en: '1 rejected row {where}, for example:', zh: '1 行被拒绝，{where}，例如：'},
  rejectedRows: {en: '{count} rejected rows {where}, for example:', zh: '{count} 行被拒绝，{where}，例如：'},
  rejectLine: {en: 'line {line}', zh: '第 {line} 行'},
  warningLine: {en: 'warning: line {line} {field}: {reason}', zh: '警告 第 {line} 行 {field}：{reason}'},
  dryRunNothingWritten: {en: 'Dry run: nothing was written to the database.', zh: '试运行：数据库未改动。'},
  strictNothingWrittenOne: {
    en: '--strict: nothing was written, because 1 row was rejected.',
    zh: '--strict：有 1 行被拒绝，未写入任何数据。',
  },
  strictNothingWritten: {
    en: '--strict: nothing was written, because {count} rows were rejected.',
    zh: '--strict：有 {count} 行被拒绝，未写入任何数据。',
  },
  noRowPassed: {en: 'Nothing was written: no row passed the checks.', zh: '未写入任何数据：没有一行通过检查。'},
  firstImportedAs: {en: ' (this file was first imported as batch {batch})', zh: '（此文件最早作为第 {batch} 批导入）'},
  everyRowMatches: {en: 'every row matches the database', zh: '每一行都与数据库一致'},
  acceptedMatchOne: {en: 'the 1 accepted row matches the database', zh: '通过检查的 1 行与数据库一致'},
  acceptedMatch: {en: 'the {count} accepted rows match the database', zh: '通过检查的 {count} 行都与数据库一致'},
  andRejectedOne: {en: ', and 1 was rejected', zh: '，另有 1 行被拒绝'},
  andRejected: {en: ', and {count} were rejected', zh: '，另有 {count} 行被拒绝'},
  nothingChanged: {en: 'Nothing changed: {matching}{before}.', zh: '没有任何改动：{matching}{before}。'},

  // Summary
  runsNewestFirst: {
    en: "runs {runs} (each customer's newest run that classified it)",
    zh: 'runs {runs}（每位客户取最近一次分层它的运行）',
  },
  customersPlain: {en: '{count} customers', zh: '{count} 位客户'},
  listSeparator: {en: ', ', zh: '，'},
  /** Between the names of a list (columns): 、 in Chinese. */
  nameSeparator: {en: ', ', zh: '、'},
  versionsDiffer: {
    en:
      "the runs this summary stands on used different versions of {scheme}: {each}; each customer's tier " +
      'follows the rules of the run that classified it',
    zh: '本汇总所依据的运行用了 {scheme} 的不同版本：{each}；每位客户的分层来自分层它的那次运行的规则',
  },
  amountAum: {en: 'AUM', zh: '金融资产'},
  amountDeposits: {en: 'deposits', zh: '存款'},
  amountLoans: {en: 'loans', zh: '贷款'},
  knownOf: {en: '{name} {known} of {total}', zh: '{name} {known}/{total}'},
  partialSums: {
    en:
      '{mark} a sum over the customers with a value; the others are unknown, not 0 (known: {gaps}); — when ' +
      'none is known',
    zh: '{mark} 合计只含有数值的客户，其余未知（不按 0 计）：{gaps}；— 表示全部未知',
  },
  topByAum: {en: '{tier} top {count} by AUM', zh: '{tier} 金融资产最高的 {count} 位'},
  matrixCorner: {en: 'from \\ to', zh: '由 \\ 至'},
  matrixGone: {en: 'gone', zh: '离开'},
  matrixNew: {en: 'new', zh: '新增'},
  runsSchemeDiffer: {
    en:
      'the runs used different versions of {scheme}: run {a} v{aVersion} ({aHash}), run {b} v{bVersion} ' +
      "({bHash}); the tiers' rules may differ, so a move need not be the customer's",
    zh: '两次运行的方案不同：run {a} 用 v{aVersion}（{aHash}），run {b} 用 v{bVersion}（{bHash}）；分层的规则可能不同，迁移未必是客户本身的变化',
  },
  migrationTotals: {
    en: 'up {up} · down {down} · unchanged {unchanged} · new {added} · gone {gone}',
    zh: '上升 {up} · 下降 {down} · 不变 {unchanged} · 新增 {added} · 离开 {gone}',
  },

  // Classification
  asOf: {en: 'as of {date}', zh: '基准日 {date}'},
  dryRunNotStored: {en: 'dry run, not stored', zh: '试运行，未保存'},
  customerCountOne: {en: '1 customer', zh: '1 位客户'},
  customerCount: {en: '{count} customers', zh: '{count} 位客户'},
  skippedOne: {en: '1 more customer is outside the scheme or the filter', zh: '另有 1 位客户不适用本方案或未被筛选'},
  skipped: {
    en: '{count} more customers are outside the scheme or the filter',
    zh: '另有 {count} 位客户不适用本方案或未被筛选',
  },
  flatMeasure: {
    en:
      'warning: {measure} separates no one: its input has the same value for every customer where it is known, ' +
      'so tiers that read it say nothing about them',
    zh: '警告：{measure} 的输入对所有已知客户都相同：它无法区分客户，依赖它的分层并无依据',
  },
  missingInputOne: {
    en:
      'warning: {field} is unknown for {unknown} of 1 customer ({share}): tiers that read it may reflect ' +
      'missing data',
    zh: '警告：{field} 在 1 位客户中有 {unknown} 位未知（{share}）：依赖它的分层可能只反映数据缺失',
  },
  missingInput: {
    en:
      'warning: {field} is unknown for {unknown} of {classified} customers ({share}): tiers that read it may ' +
      'reflect missing data',
    zh: '警告：{field} 在 {classified} 位客户中有 {unknown} 位未知（{share}）：依赖它的分层可能只反映数据缺失',
  },
  schemeNotApplicable: {
    en: 'the scheme does not apply to this customer (or the portfolio leaves it out)',
    zh: '本方案不适用于该客户（或不在其范围内）',
  },
  explainTier: {en: 'tier', zh: '分层'},
  explainBecause: {en: 'because', zh: '原因'},
  scoreFrom: {en: '{score}, from:', zh: '{score}，各项：'},
  holds: {en: 'holds', zh: '成立'},
  doesNotHold: {en: 'does not hold', zh: '不成立'},
  notClassified: {
    en: 'not classified: {advice}',
    zh: '未分层：请更正该值后重新导入，或在方案的 extras 中将该列声明为 text',
  },
  unranked: {
    en: "this tier stands outside the scheme's order (unscored or to be checked): no move to show",
    zh: '该层级不在方案的优劣顺序中（数据不足或待核查），不提示升降',
  },
  leastRisky: {en: 'already in the least risky tier', zh: '已是风险最低的层级'},
  topTier: {en: 'already in the top tier', zh: '已是最高层级'},
  toReach: {en: 'to reach {tier}:', zh: '升至 {tier}：'},
  wouldFall: {en: 'would fall to {tier} if:', zh: '如下列条件成立，将降至 {tier}：'},
  explainContact: {en: 'contact', zh: '联系'},
  everyDays: {en: 'every {days} days', zh: '每 {days} 天'},
  lastContactOn: {en: 'last contact {date}', zh: '上次联系 {date}'},
  contactNone: {
    en: 'none: the customer is closed (contact due never lists closed customers)',
    zh: '无：客户已销户（contact due 不列出已销户客户）',
  },
  contactNever: {en: 'now: never contacted ({every})', zh: '现在：从未联系（{every}）'},
  contactOverdue: {en: 'overdue since {date} ({last}, {every})', zh: '自 {date} 起逾期（{last}，{every}）'},
  contactToday: {en: 'due today ({last}, {every})', zh: '今天到期（{last}，{every}）'},
  contactNext: {en: 'next due {date} ({last}, {every})', zh: '下次 {date} 到期（{last}，{every}）'},
  notClassifiedCountOne: {
    en: '1 customer was not classified: a kept column the rules read holds a value that is not of its declared type',
    zh: '1 位客户未分层：规则读取的保留列中有值不符合该列声明的类型',
  },
  notClassifiedCount: {
    en:
      '{count} customers were not classified: a kept column the rules read holds a value that is not of its ' +
      'declared type',
    zh: '{count} 位客户未分层：规则读取的保留列中有值不符合该列声明的类型',
  },
  moreCustomers: {en: '… and {count} more', zh: '…另有 {count} 位'},
  tiersLabel: {en: 'Tiers', zh: '分层'},
  notClassifiedYet: {en: 'not classified yet (crm classify --scheme …)', zh: '尚未分层（crm classify --scheme …）'},

  // Notes and directions
  dryRunEmptyDb: {
    en: '{file} does not exist yet: the dry run took it as an empty database, and created no file.',
    zh: '{file} 尚不存在：试运行以空数据库为准，未创建文件。',
  },
  hiddenColumns: {
    en:
      '{hidden} of {columns} columns do not fit this terminal ({names}): use --format csv, or a wider ' +
      'terminal, to see them',
    zh: '终端宽度不足，{columns} 列中有 {hidden} 列未显示（{names}）：请用 --format csv 或更宽的终端查看',
  },
  followUpClosed: {
    en: 'Closed the follow-up of contact {id} (due {date}).',
    zh: '已关闭联系 {id} 的跟进（原定 {date}）。',
  },
  followUpAlreadyClosed: {en: 'The follow-up of contact {id} was already closed.', zh: '联系 {id} 的跟进此前已关闭。'},
  contactLogged: {en: 'Logged contact {id} with {customer}.', zh: '已记录联系 {id}（客户 {customer}）。'},
  contactLoggedBefore: {
    en: 'This contact was logged before, as {id}: nothing added.',
    zh: '这次联系已记录过（{id}），未重复添加。',
  },
  followUpsClosedOne: {en: 'Closed 1 open follow-up it answers.', zh: '关闭了 1 个已得到回应的跟进。'},
  followUpsClosed: {en: 'Closed {count} open follow-ups it answers.', zh: '关闭了 {count} 个已得到回应的跟进。'},

  showingFirstCustomers: {
    en: 'showing the first {shown} of {total} customers; use --limit or --format csv for more',
    zh: '仅显示 {total} 位客户中的前 {shown} 位；可用 --limit 或 --format csv 查看更多',
  },
  showingFirstRows: {
    en: 'showing the first {shown} of {total} rows; use --format csv (or pipe the output) for all of them',
    zh: '仅显示 {total} 行中的前 {shown} 行；可用 --format csv（或通过管道输出）查看全部',
  },
  checkedRowsOne: {
    en: '1 row: {classified} classified, {notApplicable} not applicable, {invalid} invalid',
    zh: '共 1 行：已分层 {classified}，不适用 {notApplicable}，无效 {invalid}',
  },
  checkedRows: {
    en: '{count} rows: {classified} classified, {notApplicable} not applicable, {invalid} invalid',
    zh: '共 {count} 行：已分层 {classified}，不适用 {notApplicable}，无效 {invalid}',
  },
  noRunsToList: {
    en: 'no runs yet: classify with crm classify --scheme retail-aum',
    zh: '还没有分层运行：可用 crm classify --scheme retail-aum 分层',
  },
  showingNewestRuns: {
    en: 'showing the newest {shown} of {total} runs; use --limit or --format csv for more',
    zh: '仅显示 {total} 次运行中最近的 {shown} 次；可用 --limit 或 --format csv 查看更多',
  },
  showingFirstOfRun: {
    en: 'showing the first {shown} customers; use --limit or --format csv for all',
    zh: '仅显示前 {shown} 位客户；可用 --limit 或 --format csv 查看全部',
  },
  showingNewestContacts: {
    en: 'showing the newest {shown} contacts; use --limit or --format csv for more',
    zh: '仅显示最近的 {shown} 条联系记录；可用 --limit 或 --format csv 查看更多',
  },
  exportedCustomers: {en: 'exported {count} customers', zh: '已导出 {count} 位客户'},
  exportedCustomersTo: {en: 'exported {count} customers to {file}', zh: '已导出 {count} 位客户到 {file}'},
  exportedRunCustomers: {en: 'exported {count} customers of run {id}', zh: '已导出 run {id} 的 {count} 位客户'},
  exportedRunCustomersTo: {
    en: 'exported {count} customers of run {id} to {file}',
    zh: '已导出 run {id} 的 {count} 位客户到 {file}',
  },
  exportedContacts: {en: 'exported {count} contacts', zh: '已导出 {count} 条联系记录'},
  exportedContactsTo: {en: 'exported {count} contacts to {file}', zh: '已导出 {count} 条联系记录到 {file}'},
  deletedRun: {en: 'deleted run {id}', zh: '已删除 run {id}'},
  databaseOk: {en: '{file}: ok', zh: '{file}：正常'},
  backedUp: {en: 'backed up {file} to {target} ({size} MB)', zh: '已将 {file} 备份到 {target}（{size} MB）'},

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

  // db info
  infoPath: {en: 'path', zh: '路径'},
  infoSchema: {en: 'schema', zh: '结构版本'},
  infoSize: {en: 'size', zh: '大小'},
  infoWal: {en: 'write-ahead log', zh: '预写日志'},
  infoServer: {en: 'server', zh: '服务器'},
  infoCustomers: {en: 'customers', zh: '客户'},
  infoContacts: {en: 'contacts', zh: '联系记录'},
  infoRuns: {en: 'runs', zh: '分层运行'},
  infoImports: {en: 'imports', zh: '导入批次'},
  infoAudit: {en: 'audit log', zh: '审计记录'},
  infoLastImport: {en: 'last import', zh: '最近导入'},
  infoLastRun: {en: 'last run', zh: '最近分层'},
  infoLastAudit: {en: 'last audit', zh: '最近审计'},
  lastImport: {en: '{at} {kind} {file} ({rows} rows, {status})', zh: '{at} {kind} {file}（{rows} 行，{status}）'},
  lastRun: {
    en: 'run {id} {scheme} as of {asOf} ({customers} customers, {at})',
    zh: 'run {id} {scheme}，基准日 {asOf}（{customers} 位客户，{at}）',
  },
  importComplete: {en: 'complete', zh: '完成'},
  importInterrupted: {en: 'interrupted', zh: '已中断'},
  importRunning: {en: 'running (pid {pid})', zh: '正在运行（进程 {pid}）'},
  importRunningOn: {en: 'running on {host} (pid {pid})', zh: '正在于 {host} 运行（进程 {pid}）'},
  auditEntry: {
    en: '{at} {action} by {actor} (OS user {osUser})',
    zh: '{at} {action} 操作人 {actor}（系统用户 {osUser}）',
  },
  notRecorded: {en: 'not recorded', zh: '未记录'},

  // --- audit list and db restore (h6) ---
  headAction: {en: 'Action', zh: '操作'},
  headRows: {en: 'Rows', zh: '行数'},
  headDetails: {en: 'Details', zh: '详情'},
  showingNewestAudit: {
    en: 'showing the newest {shown} audit entries; use --limit or --format csv for more',
    zh: '仅显示最近的 {shown} 条审计记录；可用 --limit 或 --format csv 查看更多',
  },
  restoredReplacing: {
    en: 'restored {file} from {backup}; the database it replaced is kept as {replaced}',
    zh: '已用 {backup} 恢复 {file}；被替换的数据库保存为 {replaced}',
  },
  restoredNew: {
    en: 'restored {file} from {backup} (there was no database there)',
    zh: '已用 {backup} 恢复 {file}（此前该处没有数据库）',
  },
  // Excel exports (--format xlsx, h5)
  xlsxCellsCut: {
    en:
      '{count} cells were longer than the {most} characters Excel keeps in a cell: cut there, ending in …; ' +
      'export csv or json for the whole text',
    zh: '{count} 个单元格超过 Excel 单元格可容纳的 {most} 个字符：已在该处截断（以 … 结尾）；要完整文字请导出 csv 或 json',
  },
  xlsxCellsEscaped: {
    en: '{count} cells held control characters a workbook cannot hold: written as \\xHH escapes',
    zh: '{count} 个单元格含有工作簿无法保存的控制字符：已写成 \\xHH 转义',
  },
  xlsxMoreSheets: {
    en: 'more rows than a worksheet holds ({most}): the workbook has {sheets} sheets',
    zh: '行数超过一个工作表的上限（{most}）：工作簿共有 {sheets} 个工作表',
  },
  // h1: import history and undo (crm import list|show|undo, the journal and the identity guard of customer import)
  headBatch: {en: 'Batch', zh: '批次'},
  headKind: {en: 'Kind', zh: '类型'},
  headFile: {en: 'File', zh: '文件'},
  headSha: {en: 'SHA-256', zh: 'SHA-256'},
  headMode: {en: 'Mode', zh: '方式'},
  headRead: {en: 'Read', zh: '读取'},
  headInserted: {en: 'Added', zh: '新增'},
  headUpdated: {en: 'Updated', zh: '更新'},
  headUnchanged: {en: 'Same', zh: '未变'},
  headRejected: {en: 'Rejected', zh: '拒绝'},
  headStatus: {en: 'Status', zh: '状态'},
  headStarted: {en: 'Started', zh: '开始时间'},
  importUndone: {en: 'undone', zh: '已撤销'},
  noImportsToList: {
    en: 'no imports yet: import customers with crm customer import FILE',
    zh: '还没有导入记录：可用 crm customer import FILE 导入客户',
  },
  showingNewestImports: {
    en: 'showing the newest {shown} of {total} imports; use --limit or --format csv for more',
    zh: '仅显示 {total} 次导入中最近的 {shown} 次；可用 --limit 或 --format csv 查看更多',
  },
  batchLine: {en: '{label}: {value}', zh: '{label}：{value}'},
  batchRejectsNone: {en: 'no rows were rejected', zh: '没有被拒绝的行'},
  batchRejectsUnknown: {
    en: '{count} rows were rejected; their reasons were not recorded (an import cut short, or one from an older crm)',
    zh: '有 {count} 行被拒绝；原因未记录（导入被中断，或由旧版 crm 导入）',
  },
  batchRejectsHead: {en: 'rejected rows (first {count}):', zh: '被拒绝的行（前 {count} 行）：'},
  undoDone: {en: 'undid batch {batch} ({file})', zh: '已撤销批次 {batch}（{file}）'},
  undoDryRun: {en: 'dry run: undoing batch {batch} ({file}) would', zh: '试运行：撤销批次 {batch}（{file}）将会'},
  undoCounts: {
    en:
      'removed customers {removed}, kept as deleted {kept}, restored customers {restored}, removed contacts ' +
      '{contacts}, reopened follow-ups {reopened}',
    zh: '删除客户 {removed}，保留为已删除 {kept}，恢复客户 {restored}，删除联系记录 {contacts}，重新打开跟进 {reopened}',
  },
  undoForced: {
    en: '--force: {count} customers changed after the batch were undone too, e.g. {customers}',
    zh: '--force：批次之后又有改动的 {count} 位客户也已撤销，例如 {customers}',
  },
  changesNone: {en: 'no stored field would change', zh: '不会改动任何已有字段'},
  changesHead: {en: 'changes to existing customers, by field:', zh: '对已有客户的改动（按字段）：'},
  changesLine: {en: '{field}: {count} changes, e.g. {examples}', zh: '{field}：{count} 处改动，例如 {examples}'},
  identityWouldStop: {
    en: 'a real import would stop here: {message}',
    zh: '实际导入会在此停止：{message}',
  },
  // Edit and delete, audited (issue 17 section 2: customer/contact edit, delete, erase)
  customerEdited: {en: 'customer {id} changed:', zh: '客户 {id} 已修改：'},
  contactEdited: {en: 'contact {id} changed:', zh: '联系记录 {id} 已修改：'},
  changeLine: {en: '  {field}: {old} → {new}', zh: '  {field}：{old} → {new}'},
  noValue: {en: '(none)', zh: '（空）'},
  customerUnchanged: {
    en: 'customer {id}: nothing changed (it has these values already)',
    zh: '客户 {id}：没有任何修改（已是这些值）',
  },
  contactUnchanged: {
    en: 'contact {id}: nothing changed (it has these values already)',
    zh: '联系记录 {id}：没有任何修改（已是这些值）',
  },
  customerDeletedNow: {
    en:
      'customer {id} deleted: it leaves every list and count, with its history (contacts: {contacts}, tier ' +
      'results: {results}); its id is never used again',
    zh: '客户 {id} 已删除：连同其历史记录（联系记录：{contacts}，分层结果：{results}）不再出现在任何列表和统计中；客户号不再使用',
  },
  customerAlreadyDeleted: {
    en: 'customer {id} was already deleted ({at}, by {actor}): nothing changed',
    zh: '客户 {id} 已于此前删除（{at}，操作人 {actor}）：没有任何修改',
  },
  customerErasedNow: {
    en:
      'customer {id} erased: {fields} blanked, and the notes of {contacts} contacts, {entries} audit entries, ' +
      '{journal} undo-journal rows and {results} tier reasons cleared; ids and amounts kept',
    zh:
      '客户 {id} 的个人信息已清除：{fields} 已清空，{contacts} 条联系记录的备注、{entries} 条审计记录、{journal} 条撤销日志和 {results} ' +
      '条分层原因已清除；客户号和金额保留',
  },
  customerErasedAgain: {
    en: 'customer {id} was erased before ({at}): erased again, nothing of its personal data was left',
    zh: '客户 {id} 已于 {at} 清除过：已再次清除，其个人信息早已不存在',
  },
  contactDeletedNow: {
    en: 'contact {id} deleted: it leaves every list, the due list and exports',
    zh: '联系记录 {id} 已删除：不再出现在任何列表、待跟进列表和导出中',
  },
  contactAlreadyDeleted: {
    en: 'contact {id} was already deleted: nothing changed',
    zh: '联系记录 {id} 已于此前删除：没有任何修改',
  },
  followUpsReopened: {
    en: 'it had answered the follow-up of contact {ids}: reopened (or closed by the next contact that answers it)',
    zh: '它曾关闭联系记录 {ids} 的跟进：已重新打开（如有之后的联系则由其关闭）',
  },
  // h3, issue 17 §4: contact log at a terminal asks for everything and confirms all that it stores
  promptDirection: {en: 'Direction', zh: '方向'},
  directionOut: {en: 'out (we reached the customer)', zh: '我方联系客户（out）'},
  directionIn: {en: 'in (the customer reached us)', zh: '客户联系我方（in）'},
  promptOutcome: {en: 'Outcome (what came of it, or leave empty)', zh: '结果（可留空）'},
  promptNote: {en: 'Note', zh: '备注'},
  noteNone: {en: 'no note', zh: '不写备注'},
  noteHere: {en: 'type it here (several lines: an empty line ends it)', zh: '在此输入（可多行，空行结束）'},
  noteEditor: {en: 'write it in {editor}', zh: '在 {editor} 中编写'},
  promptNoteLine: {en: 'Note, line {n} (an empty line ends it)', zh: '备注第 {n} 行（空行结束）'},
  logSummary: {en: 'The contact to log:', zh: '将要记录的联系：'},
  logCustomer: {en: 'customer', zh: '客户'},
  logAt: {en: 'at', zh: '时间'},
  logChannel: {en: 'channel', zh: '渠道'},
  logDirection: {en: 'direction', zh: '方向'},
  logPurpose: {en: 'purpose', zh: '目的'},
  logOutcome: {en: 'outcome', zh: '结果'},
  logRm: {en: 'manager', zh: '客户经理'},
  logNote: {en: 'note', zh: '备注'},
  logFollowUp: {en: 'follow up on', zh: '跟进日期'},
  logNone: {en: '(none)', zh: '（无）'},
  confirmLog: {en: 'Log this contact?', zh: '记录这条联系？'},
  // end h3
} as const satisfies Record<string, Message>

/** Text made in English where it arises (errors, reject reasons) and translated where it is shown (localize). */
const MADE_IN_ENGLISH = {
  // Errors
  nothingLogged: {en: 'nothing was logged', zh: '未记录任何联系'},
  noContact: {en: 'no contact with id {id}', zh: '没有编号为 {id} 的联系记录'},
  listOpenContacts: {
    en: 'list contacts with: crm contact list --open',
    zh: '可用 crm contact list --open 列出联系记录',
  },
  noFollowUp: {en: 'contact {id} has no follow-up to close', zh: '联系 {id} 没有需要关闭的跟进'},
  noCustomer: {en: 'no customer with customer_id "{id}"', zh: '没有客户号为“{id}”的客户'},
  noDatabase: {en: 'there is no database at {file}', zh: '{file} 处没有数据库'},
  giveDbPath: {en: 'give its path with --db or CRM_DB', zh: '请用 --db 或 CRM_DB 指定其路径'},
  seeHelp: {en: 'see: {command} --help', zh: '参见：{command} --help'},
  missingFlag: {en: '--{flag} is required: {what}', zh: '缺少 --{flag}：{what}'},
  missingFlagHint: {
    en: 'give --{flag}, or run on a terminal to be asked',
    zh: '请用 --{flag} 给出，或在终端中运行以便逐项提示',
  },
  oneOf: {en: 'one of {values}', zh: '取值之一：{values}'},
  customerNumber: {en: 'the customer number (customer_id)', zh: '客户号（customer_id）'},
  // h3, issue 17 §3: customer search by a phone's last four digits or a whole ID number
  searchMasked: {
    en: '--search holds a masked value (with ****): masked digits cannot be searched for',
    zh: '--search 含有掩码值（带 ****）：无法按被掩盖的数字搜索',
  },
  searchFromExcel: {
    en: '--search {text} is a number Excel shortened: its last digits are lost',
    zh: '--search {text} 是被 Excel 缩写的数字：末尾几位已丢失',
  },
  searchMaskedHint: {
    en: "search for a phone's last four digits, a whole ID number, a customer number or part of a name",
    zh: '请按手机号后四位、完整证件号、客户号或姓名的一部分搜索',
  },
  // end h3
  // h3, issue 17 §4: without a terminal, every missing flag of contact log named at once
  missingFlags: {en: '{flags} are required', zh: '缺少 {flags}'},
  missingFlagsHint: {
    en: 'give {flags}, or run on a terminal to be asked',
    zh: '请用 {flags} 给出，或在终端中运行以便逐项提示',
  },
  // end h3
  flagProblem: {en: '--{flag}: {problem}', zh: '--{flag}：{problem}'},
  didYouMean: {en: 'did you mean {candidates}?', zh: '您要找的是不是 {candidates}？'},
  listCustomers: {
    en: 'list customers with: crm customer list --search TEXT',
    zh: '可用 crm customer list --search 文字 查找客户',
  },
  notAChoice: {
    en: '"{text}" is not a {kind}: use {values} (or a Chinese name such as {example})',
    zh: '“{text}”不是有效的 {kind}：请用 {values}（或中文名称，例如 {example}）',
  },
  cannotRead: {en: 'cannot read {file}: {reason}', zh: '无法读取 {file}：{reason}'},
  noSuchFile: {en: 'no such file', zh: '文件不存在'},
  bug: {en: 'internal error: {message}', zh: '内部错误：{message}'},
  bugHint: {
    en: 'this is a bug in crm: please report it (set DEBUG=1 for the stack trace)',
    zh: '这是 crm 的缺陷，请报告（设置 DEBUG=1 可查看调用栈）',
  },

  // Reject reasons (made in English where the row is checked; see localize)
  rowWidth: {
    en: 'the row has {cells} columns but the header has {header}',
    zh: '该行有 {cells} 列，但表头有 {header} 列',
  },
  fieldEmpty: {en: '{field} is empty', zh: '{field} 为空'},
  customerExists: {
    en: 'customer {id} already exists (use --mode upsert to update it)',
    zh: '客户 {id} 已存在（如需更新请用 --mode upsert）',
  },
  customerAbsent: {
    en: 'customer {id} does not exist (use --mode upsert to add it)',
    zh: '客户 {id} 不存在（如需新增请用 --mode upsert）',
  },
  contactCustomerAbsent: {
    en: 'customer {id} does not exist (import the customer first)',
    zh: '客户 {id} 不存在（请先导入该客户）',
  },
  notWholeNumber: {en: '"{text}" is not a whole number', zh: '“{text}”不是整数'},
  negativeCount: {en: 'the number {text} is negative: it must be 0 or more', zh: '数字 {text} 为负数：须为 0 或以上'},
  tooLarge: {en: 'the number {text} is too large', zh: '数字 {text} 过大'},
  negativeAmount: {
    en: 'the amount {text} is negative: this amount must be 0 or more',
    zh: '金额 {text} 为负数：此金额须为 0 或以上',
  },
  amountTooLarge: {
    en: "the amount {text} is too large to store: one amount may be at most {max} yuan; check the column's unit",
    zh: '金额 {text} 过大，无法保存：单个金额最多 {max} 元；请检查该列的单位',
  },
  notAnEmail: {en: '"{text}" is not an e-mail address', zh: '“{text}”不是电子邮件地址'},
  notADate: {en: '{text} is not a date', zh: '{text} 不是日期'},
  notADateWritten: {
    en: '"{text}" is not a date (write 2024-01-05, 2024/1/5, 20240105 or 2024年1月5日)',
    zh: '“{text}”不是日期（请写成 2024-01-05、2024/1/5、20240105 或 2024年1月5日）',
  },
  notADateTime: {
    en: '"{text}" is not a date and time (write 2024-01-05 14:30)',
    zh: '“{text}”不是日期时间（请写成 2024-01-05 14:30）',
  },
  noValidTime: {
    en: '"{text}" has no valid time (write 14:30 or 14:30:05)',
    zh: '“{text}”中的时间无效（请写成 14:30 或 14:30:05）',
  },
  notAnAmount: {
    en: '"{text}" is not an amount (write digits with an optional . and at most 2 decimals, e.g. 1,234.56)',
    zh: '“{text}”不是金额（请写数字，可带小数点，最多 2 位小数，例如 1,234.56）',
  },
  tooManyDecimals: {
    en: '"{text}" has more than 2 decimals: amounts must be exact to the fen',
    zh: '“{text}”超过 2 位小数：金额须精确到分',
  },
  followUpPast: {
    en: 'the follow-up date {date} is in the past (today is {today})',
    zh: '跟进日期 {date} 已过（今天是 {today}）',
  },
  badPhone: {
    en: '"{text}" is not a mainland mobile (11 digits starting 13-19) or landline number (area code 0xx)',
    zh: '“{text}”不是内地手机号（以 13-19 开头的 11 位数字）或固定电话（区号 0xx）',
  },
  residentIdLength: {
    en: 'a resident ID has 18 characters: 17 digits and a digit or X',
    zh: '居民身份证号为 18 位：17 位数字加一位数字或 X',
  },
  residentIdBirth: {
    en: 'the birth date in the ID (characters 7 to 14) is not a date',
    zh: '证件号中的出生日期（第 7 至 14 位）不是有效日期',
  },
  residentIdCheck: {en: 'check digit should be {expected}, not {actual}', zh: '校验位应为 {expected}，而不是 {actual}'},
  idNumberMasked: {
    en:
      'the ID number is masked ({masked}): masked ID numbers cannot be imported; export the file with full ID ' +
      'numbers (crm exports them with --reveal), or leave the cell empty',
    zh: '证件号已脱敏（{masked}）：脱敏的证件号不能导入；请导出含完整证件号的文件（crm 用 --reveal 导出），或留空该单元格',
  },

  // Whole numbers in flags and arguments
  // (flags.ts writes the name of the flag or argument before readWholeNumber's reason)
  notAWholeNumberOf: {
    en: '{what} must be a whole number from {min} to {max}, not "{text}"',
    zh: '{what} 必须是 {min} 到 {max} 之间的整数，而不是“{text}”',
  },
  theRunNumber: {en: 'the run number', zh: '运行编号'},
  theContactId: {en: 'the contact id', zh: '联系记录编号'},

  // Schemes, runs and the database, named wrong
  noSchemeNamed: {
    en: 'no built-in scheme and no file named "{name}"',
    zh: '没有名为“{name}”的内置方案，也没有这个文件',
  },
  builtinSchemesAre: {
    en: "built-in schemes: {schemes} (crm scheme list); or give a scheme file's path",
    zh: '内置方案有：{schemes}（crm scheme list）；或给出方案文件的路径',
  },
  runHasNoTier: {en: 'run {run} ({scheme}) has no tier "{tier}"', zh: '运行 {run}（{scheme}）中没有分层“{tier}”'},
  runTiersAre: {en: 'its tiers are: {tiers}', zh: '其分层有：{tiers}'},
  backupNeedsName: {en: 'the backup needs a file name, not an empty one', zh: '备份需要一个文件名，不能为空'},
  compareTakesTwo: {en: '--compare takes two runs, not {count}', zh: '--compare 需要两个运行编号，而不是 {count} 个'},
  compareExample: {en: 'for example --compare 11 12 (earlier first)', zh: '例如 --compare 11 12（较早的在前）'},
  chooseWritableDb: {en: 'choose a writable path with --db or CRM_DB', zh: '请用 --db 或 CRM_DB 指定一个可写的路径'},
  isItACrmDatabase: {en: 'is it a crm database? choose another with --db', zh: '这是 crm 数据库吗？请用 --db 另选一个'},
  giveTheCrmDatabase: {en: 'give the crm database with --db or CRM_DB', zh: '请用 --db 或 CRM_DB 指定 crm 数据库'},
  upgradeCrm: {en: 'upgrade crm, or use --db to pick another file', zh: '请升级 crm，或用 --db 另选一个文件'},
  recordNotObject: {en: 'the record is not a JSON object', zh: '该记录不是 JSON 对象'},

  // Files crm writes, and what it will not write over
  willNotWriteOver: {en: '{target} is {what}: crm will not write over it', zh: '{target} 是{what}：crm 不会覆盖它'},
  targetIsFolder: {en: '{target} is a folder', zh: '{target} 是一个文件夹'},
  giveFileNotFolder: {en: 'give a file name, not a folder', zh: '请给出文件名，而不是文件夹'},
  targetExists: {en: '{target} already exists', zh: '{target} 已存在'},
  notARejectFile: {
    en: '{target} already exists and is not a reject file crm wrote',
    zh: '{target} 已存在，且不是 crm 写的拒绝文件',
  },
  orForce: {en: '{another}, or add --force to replace it', zh: '{another}，或加 --force 替换它'},
  anotherOutput: {en: 'choose another --output file', zh: '请另选一个 --output 文件'},
  anotherRejects: {en: 'choose another --rejects file', zh: '请另选一个 --rejects 文件'},
  nameAnotherRejects: {en: 'name another file with --rejects', zh: '请用 --rejects 指定另一个文件'},
  anotherBackup: {en: 'choose another name for the backup', zh: '请为备份另取一个名字'},
  theDatabase: {en: 'the database {db}', zh: '数据库 {db}'},
  theDatabaseWal: {en: 'the write-ahead log of the database {db}', zh: '数据库 {db} 的预写日志'},
  theDatabaseShm: {en: 'the shared-memory file of the database {db}', zh: '数据库 {db} 的共享内存文件'},
  theFileImported: {en: 'the file being imported', zh: '正在导入的文件'},
  schemeIsFolder: {en: '{file} is a folder, not a scheme file', zh: '{file} 是文件夹，不是方案文件'},
  nameSchemeFile: {
    en: 'name a .yaml or .json file, or a built-in scheme (crm scheme list)',
    zh: '请给出 .yaml 或 .json 文件，或内置方案（crm scheme list）',
  },
  searchTooLong: {
    en: '--search is {length} characters long, more than the {most} it takes',
    zh: '--search 长 {length} 个字符，超过了上限 {most}',
  },
  searchForPart: {en: 'search for part of a name or a customer number', zh: '请搜索姓名或客户号的一部分'},
  nothingPiped: {
    en: '"-" reads the rows from standard input, but nothing is piped in',
    zh: '“-”表示从标准输入读取各行，但没有任何内容通过管道输入',
  },
  pipeAFileToImport: {
    en: 'pipe a file in (cat export.csv | crm … import -) or name the file',
    zh: '请用管道输入文件（cat export.csv | crm … import -），或直接给出文件名',
  },
  cancelledNothingSaved: {en: 'cancelled: nothing was saved', zh: '已取消：未保存任何内容'},
  changedWhileRead: {
    en: '{file} changed while it was being read: the tiers above may be wrong',
    zh: '{file} 在读取过程中被修改：以上分层可能有误',
  },
  checkAgainLater: {en: 'check the file again once nothing is writing to it', zh: '请在没有程序写入该文件后重新检查'},

  // Filter values (--branch, --rm, --tier) typed in part or not found
  filterMatched: {en: '--{flag} {text} matched {value}', zh: '--{flag} {text} 匹配到 {value}'},
  unmatchedNearest: {en: '--{flag} {text}: did you mean {nearest}?', zh: '--{flag} {text}：您要找的是不是 {nearest}？'},
  unmatchedNone: {en: '--{flag} {text}: no customer has any {flag}', zh: '--{flag} {text}：没有客户填写了 {flag}'},
  noCustomerHas: {en: 'no customer has {values}', zh: '没有符合条件的客户：{values}'},
  noCustomerToClassify: {
    en: 'no customer to classify: no customer has {values}; no run was stored',
    zh: '没有可分层的客户：没有客户符合 {values}；未保存任何运行',
  },
  filterSeveral: {
    en: '--{flag} {text} matches {count} values: {values}',
    zh: '--{flag} {text} 匹配到 {count} 个值：{values}',
  },
  giveOneInFull: {en: 'give one of them in full', zh: '请完整给出其中一个'},
  schemeHasNoTier: {en: 'the scheme {scheme} has no tier "{text}"', zh: '方案 {scheme} 中没有分层“{text}”'},
  itsTiersAre: {en: '{hint} Its tiers are: {tiers}', zh: '{hint} 其分层有：{tiers}'},
  noRuleAboveHeld: {en: 'no rule above held: {values}', zh: '以上规则均不成立：{values}'},

  // Files and their contents
  notValidEncodingAt: {
    en: 'not valid {encoding} at byte {at}: {advice}',
    zh: '第 {at} 个字节不是有效的 {encoding}：{advice}',
  },
  saveAsUtf8Again: {
    en: 'save the file as UTF-8 again, or give --encoding gbk if it is GBK',
    zh: '请重新将文件保存为 UTF-8；如果文件是 GBK，请加 --encoding gbk',
  },
  saveInOneEncoding: {
    en: 'the bytes are damaged or in another encoding; save the file in one encoding',
    zh: '这些字节已损坏或属于另一种编码；请将文件统一保存为一种编码',
  },
  utf8LineInGbk: {
    en:
      'this line is UTF-8 in a file read as GBK (from byte {at}): save the whole file in one encoding, or give ' +
      '--encoding gbk if the line really is GBK',
    zh: '按 GBK 读取的文件中这一行是 UTF-8（从第 {at} 个字节起）：请将整个文件统一保存为一种编码；如果这一行确实是 GBK，请加 --encoding gbk',
  },
  quoteNotClosed: {
    en: 'line {line}: a quoted field is not closed (a " is missing)',
    zh: '第 {line} 行：带引号的字段没有结束（缺少一个 "）',
  },
  csvRecordEndLost: {
    en: 'the CSV parser could not find the end of the record on line {line}',
    zh: 'CSV 解析器找不到第 {line} 行记录的结尾',
  },
  notInGbk: {
    en:
      'row {row} ({key} {value}), {field}: {char} ({code}) is not a GBK character, and a GBK reader would show ' +
      'it wrong',
    zh: '第 {row} 行（{key} {value}）的 {field}：{char}（{code}）不是 GBK 字符，GBK 读取程序会显示错误',
  },
  notInGbkHint: {
    en: "export in UTF-8 (leave out --encoding gbk): Excel reads crm's UTF-8 CSV, which starts with a byte-order mark",
    zh: '请用 UTF-8 导出（去掉 --encoding gbk）：crm 的 UTF-8 CSV 以字节顺序标记开头，Excel 可以正确读取',
  },
  standardInput: {en: 'standard input', zh: '标准输入'},
  stdinIsFolder: {en: 'standard input is a folder, not a file', zh: '标准输入是一个文件夹，不是文件'},
  pipeAFile: {
    en: 'pipe a file in (cat export.csv | crm … -) or name the file',
    zh: '请用管道传入文件（cat export.csv | crm … -），或写出文件名',
  },
  isFolder: {en: '{file} is a folder, not a file', zh: '{file} 是文件夹，不是文件'},
  nameTheFile: {en: 'name the file to read', zh: '请写出要读取的文件名'},
  headerUnreadable: {
    en: '{file}: the header (line {line}) cannot be read: {problem}',
    zh: '{file}：表头（第 {line} 行）无法读取：{problem}',
  },
  fixHeader: {en: 'fix the header and try again', zh: '请修正表头后重试'},
  fixUnclosedQuote: {
    en: 'fix the file (for example an unclosed quote) and import it again',
    zh: '请修正文件（例如未闭合的引号）后重新导入',
  },
  emptyNoHeader: {en: '{file} is empty: there is no header row', zh: '{file} 是空文件：没有表头行'},
  exportWithCustomer: {
    en: 'export the file again with a header row and at least one customer',
    zh: '请重新导出文件，须有表头行和至少一位客户',
  },
  emptyNothing: {en: '{file} is empty: there is nothing to import', zh: '{file} 是空的：没有可导入的内容'},
  exportWithHeader: {en: 'export the file again with a header row', zh: '请重新导出带表头行的文件'},
  pathNotFolder: {en: 'a part of the path is not a folder', zh: '路径中有一部分不是文件夹'},
  checkPath: {en: 'check the path', zh: '请检查路径'},
  permissionDenied: {en: 'permission denied', zh: '没有权限'},
  askReadAccess: {
    en: 'ask for read access to the file, or copy it somewhere you can read',
    zh: '请申请该文件的读取权限，或把它复制到您能读取的位置',
  },
  itIsFolder: {en: 'it is a folder, not a file', zh: '这是文件夹，不是文件'},
  symlinkLoop: {en: 'the path has a loop of symbolic links', zh: '路径中的符号链接形成了循环'},
  pathTooLong: {en: 'the path is too long', zh: '路径过长'},
  tooManyOpen: {en: 'too many files are open', zh: '打开的文件过多'},
  closePrograms: {en: 'close some programs and try again', zh: '请关闭一些程序后重试'},
  deviceError: {en: 'the disk or device reported an error', zh: '磁盘或设备报告了错误'},
  copyLocal: {en: 'copy the file to a local disk and try again', zh: '请把文件复制到本地磁盘后重试'},
  checkFile: {en: 'check the file and try again', zh: '请检查文件后重试'},
  unknownEncoding: {en: 'unknown encoding "{name}"', zh: '未知的编码“{name}”'},
  encodingsHint: {
    en: 'use utf-8, gbk, gb18030, utf-16le or windows-1252',
    zh: '请用 utf-8、gbk、gb18030、utf-16le 或 windows-1252',
  },
  notTextFile: {
    en: '{file} is not a text file (it has a NUL byte at byte {at}, on line {line}, and more after it)',
    zh: '{file} 不是文本文件（第 {line} 行第 {at} 个字节是 NUL 字节，其后还有更多）',
  },
  signatureFile: {
    en: '{file} is {what}, not a text file (line 1 starts as one does)',
    zh: '{file} 是{what}，不是文本文件（第 1 行的开头即是其标志）',
  },
  excelFile: {
    en: '{file} is an Excel workbook, not a text file',
    zh: '{file} 是 Excel 工作簿，不是文本文件',
  },
  saveExcelAsCsv: {
    en: 'open it in Excel or WPS and save it as CSV (File > Save As > CSV UTF-8), then import that file',
    zh: '请在 Excel 或 WPS 中打开，另存为 CSV（文件 > 另存为 > CSV UTF-8），再导入该文件',
  },
  saveAsCsv: {
    en: 'crm reads CSV, TSV, JSON or NDJSON text; save spreadsheets as CSV first',
    zh: 'crm 读取 CSV、TSV、JSON 或 NDJSON 文本；电子表格请先另存为 CSV',
  },
  neitherUtf8NorGbk: {
    en: '{file} is neither UTF-8 nor GBK text: byte {at} of its first {size} KB is not a character in either',
    zh: '{file} 既不是 UTF-8 也不是 GBK 文本：前 {size} KB 中第 {at} 个字节在两种编码中都不构成字符',
  },
  saveAsUtf8: {
    en:
      'save the file as UTF-8 (or GBK); if it is GBK with a few damaged rows, give --encoding gbk to reject ' +
      'just those rows',
    zh: '请将文件另存为 UTF-8（或 GBK）；如果是 GBK 且只有少数行损坏，可加 --encoding gbk，只拒绝这些行',
  },
  jsonNumberDigits: {
    en: 'the number {text} in "{key}" has more digits than a JSON number keeps exactly: write it as a string',
    zh: '“{key}”中的数字 {text} 的位数超出 JSON 数字能精确保存的范围：请写成字符串',
  },
  jsonNotScalar: {
    en: 'the value of "{key}" is {kind}, not text, a number or true/false: give it as one value',
    zh: '“{key}”的值是{kind}，而不是文本、数字或 true/false：请给出单个值',
  },
  jsonDuplicateKey: {
    en: 'the record has the key "{key}" twice: keep one',
    zh: '该记录有两个“{key}”键：请只保留一个',
  },
  jsonKeyChanged: {
    en:
      'it has the key "{key}", which the file did not have when it was first read: the file changed while it ' +
      'was read; import it again',
    zh: '该记录有键“{key}”，首次读取文件时没有它：文件在读取期间被修改；请重新导入',
  },
  notValidJson: {en: 'not valid JSON: {problem}', zh: '不是有效的 JSON：{problem}'},
  jsonNotArray: {en: 'the JSON must be an array of objects ({problem})', zh: 'JSON 须为对象数组（{problem}）'},
  fixBytes: {en: 'fix the bytes (or the encoding) and import the file again', zh: '请修正这些字节（或编码）后重新导入'},
  delimiterNotOne: {en: '--delimiter "{value}" is not one character', zh: '--delimiter “{value}”不是单个字符'},
  delimiterQuote: {en: '--delimiter cannot be a quote or a line break', zh: '--delimiter 不能是引号或换行符'},
  delimiterHint: {en: 'use , ; tab or |', zh: '请用 , ; tab 或 |'},

  // Column mappings (--map, --mapping)
  mapNotPair: {en: '--map "{pair}" is not Source=field', zh: '--map “{pair}”不是“源列=字段”的形式'},
  mapExample: {en: 'write for example --map "客户号=customer_id"', zh: '例如写成 --map "客户号=customer_id"'},
  mapsSameColumn: {en: '{a} and {b} both map the column "{column}"', zh: '{a} 与 {b} 都映射了列“{column}”'},
  mapColumnOnce: {en: 'map a column once: keep the one you mean', zh: '一列只能映射一次：请保留您要的那一个'},
  mapsSameField: {
    en: '{a} and {b} both map a column to the field {field}',
    zh: '{a} 与 {b} 都把一列映射到字段 {field}',
  },
  fieldFromOneColumn: {
    en: 'a field is read from one column: map the other one elsewhere, or to - to ignore it',
    zh: '一个字段只能来自一列：请把另一列映射到别处，或映射为 - 以忽略它',
  },
  mappingUnreadable: {en: 'cannot read the mapping file {file}: {reason}', zh: '无法读取映射文件 {file}：{reason}'},
  mappingIsJson: {
    en: 'a mapping file is JSON: {"columns": {"Source": "field"}, "defaults": {"field": "value"}}',
    zh: '映射文件为 JSON：{"columns": {"源列": "字段"}, "defaults": {"字段": "值"}}',
  },
  mappingShape: {
    en: 'the mapping file {file} must hold {"columns": {...}, "defaults": {...}} with text values',
    zh: '映射文件 {file} 须为 {"columns": {...}, "defaults": {...}}，且值均为文本',
  },
  mappingTwiceValues: {
    en: 'the mapping file {file} gives "{key}" twice: "{first}" and "{second}"',
    zh: '映射文件 {file} 中“{key}”出现了两次：“{first}”和“{second}”',
  },
  mappingTwice: {en: 'the mapping file {file} gives "{key}" twice', zh: '映射文件 {file} 中“{key}”出现了两次'},
  keepTheOne: {en: 'keep the one you mean', zh: '请保留您要的那一个'},
  mappingSameColumn: {
    en: 'the mapping file {file} has {a} and {b}, which both map the column "{column}"',
    zh: '映射文件 {file} 中 {a} 与 {b} 都映射了列“{column}”',
  },
  mappingSameField: {
    en: 'the mapping file {file} has {a} and {b}, which both map a column to the field {field}',
    zh: '映射文件 {file} 中 {a} 与 {b} 都把一列映射到字段 {field}',
  },

  // Scheme files: the place first, then the mistake
  schemeAt: {en: '{file} line {line}, column {col}: {message}', zh: '{file} 第 {line} 行第 {col} 列：{message}'},
  notYaml: {en: 'not a valid YAML or JSON file: {what}', zh: '不是有效的 YAML 或 JSON 文件：{what}'},
  nestsTooDeeply: {en: 'it nests too deeply', zh: '嵌套层数过多'},
  checkIndentation: {en: 'check the indentation and quotes near this place', zh: '请检查此处附近的缩进和引号'},
  schemeNotMapping: {
    en: 'a scheme must be a mapping with name, version and tiers',
    zh: '方案须为包含 name、version 和 tiers 的映射',
  },
  startFromBuiltin: {
    en: 'start from a built-in scheme: crm scheme show retail-aum > my-scheme.yaml',
    zh: '可从内置方案开始：crm scheme show retail-aum > my-scheme.yaml',
  },
  notSchemeName: {en: '"{name}" is not a scheme name', zh: '“{name}”不是有效的方案名称'},
  schemeNameHint: {en: 'use letters, digits, - and _, such as my-tiers', zh: '请用字母、数字、- 和 _，例如 my-tiers'},
  ruleNotText: {en: 'a rule must be text', zh: '规则须为文本'},
  ruleAsCondition: {en: 'write it as a condition, such as aum >= 500000', zh: '请写成条件，例如 aum >= 500000'},
  extrasNotMap: {en: 'extras must map each kept column to its type', zh: 'extras 须为每个保留列指定类型'},
  extrasExample: {
    en: 'for example: extras: {risk_class: text, potential_value: money}',
    zh: '例如：extras: {risk_class: text, potential_value: money}',
  },
  extraType: {
    en: 'the type of extra column "{name}" must be one of {types}',
    zh: '保留列“{name}”的类型须为以下之一：{types}',
  },
  optionalExtraHint: {
    en: 'end it with ? (money?) when the data may lack the column',
    zh: '若数据可能没有该列，请在类型后加 ?（如 money?）',
  },
  extraIsField: {en: '"{name}" is a customer field, not an extra column', zh: '“{name}”是客户字段，不是保留列'},
  removeFromExtras: {en: 'remove it from extras: rules read it directly', zh: '请从 extras 中删除：规则可直接读取它'},
  defineNotMap: {en: 'define must map names to expressions', zh: 'define 须为名称到表达式的映射'},
  defineExample: {
    en: 'for example: define: {r: quintile(last_txn_on)}',
    zh: '例如：define: {r: quintile(last_txn_on)}',
  },
  notAName: {en: '"{name}" cannot be a name', zh: '“{name}”不能用作名称'},
  nameHint: {en: 'use letters, digits and _', zh: '请用字母、数字和 _'},
  alreadyField: {en: '"{name}" is already a field', zh: '“{name}”已是字段名'},
  chooseAnotherName: {en: 'choose another name', zh: '请换一个名称'},
  noExpression: {en: '"{name}" has no expression', zh: '“{name}”没有表达式'},
  noTiers: {en: 'the scheme has no tiers', zh: '方案中没有分层（tiers）'},
  addTiers: {en: 'add tiers: a list of {id, label, rule}', zh: '请添加 tiers：由 {id, label, rule} 组成的列表'},
  tiersNotList: {en: 'tiers must be a list with at least one tier', zh: 'tiers 须为列表，且至少有一个分层'},
  tierNotMapping: {
    en: 'tier {n} must be a mapping with id, label and rule',
    zh: '第 {n} 个分层须为包含 id、label 和 rule 的映射',
  },
  notTierId: {en: '"{id}" is not a tier id', zh: '“{id}”不是有效的分层 id'},
  tierIdHint: {
    en: 'use letters, digits, - and _, such as private-banking',
    zh: '请用字母、数字、- 和 _，例如 private-banking',
  },
  tierIdTwice: {en: 'the tier id "{id}" is used twice', zh: '分层 id“{id}”重复使用'},
  ownId: {en: 'give each tier its own id', zh: '请给每个分层不同的 id'},
  tierNoRule: {en: 'tier "{id}" has no rule', zh: '分层“{id}”没有规则'},
  onlyLastNoRule: {
    en: 'only the last tier may go without a rule (it takes every customer left)',
    zh: '只有最后一个分层可以不写规则（它接收其余所有客户）',
  },
  notAKeyOf: {en: '"{key}" is not a key of {what}', zh: '“{key}”不是{what}的键'},
  aScheme: {en: 'a scheme', zh: '方案'},
  aTier: {en: 'a tier', zh: '分层'},
  theKeysAre: {en: 'the keys are: {keys}', zh: '可用的键：{keys}'},
  keyMissing: {en: 'the key "{key}" is missing', zh: '缺少键“{key}”'},
  addKey: {en: 'add {key}: …', zh: '请添加 {key}: …'},
  mustBeText: {en: '{key} must be text', zh: '{key} 须为文本'},
  labelShape: {en: 'a label is text, or {zh: …, en: …}', zh: 'label 须为文本，或 {zh: …, en: …}'},
  cadenceWhole: {
    en: 'cadence_days must be a whole number of days, 1 or more',
    zh: 'cadence_days 须为天数，且为 1 或以上的整数',
  },
  cadenceExample: {en: 'for example cadence_days: 30', zh: '例如 cadence_days: 30'},
  orderMustBe: {en: 'order must be {orders}', zh: 'order 须为 {orders}'},
  orderHint: {
    en: 'best-first for value tiers (the best tier listed first), worst-first for risk tiers',
    zh: '价值分层用 best-first（最好的分层列在最前），风险分层用 worst-first',
  },
  rankedBoolean: {en: 'ranked must be true or false', zh: 'ranked 须为 true 或 false'},
  rankedHint: {
    en: 'ranked: false keeps a tier (unscored, to be checked) out of the order explain moves along',
    zh: 'ranked: false 使该分层（数据不足、待核查）不参与 explain 的升降顺序',
  },
  definedInItself: {en: '"{name}" is defined in terms of itself', zh: '“{name}”的定义引用了它自己'},
  defineTooDeep: {
    en: '"{name}" is more than {max} definitions deep (a name defined by a name defined by …)',
    zh: '“{name}”的定义嵌套超过 {max} 层（名称由名称定义，层层相套）',
  },
  defineFewerSteps: {en: 'define names in fewer steps, from fields directly', zh: '请减少定义层数，直接由字段定义'},
  portfolioInFilter: {
    en: '{key} cannot use a portfolio measure: it chooses the portfolio they are measured over',
    zh: '{key} 不能使用组合指标：组合指标正是在它选出的客户范围内计算的',
  },
  filterOwnValues: {
    en: "filter on the customer's own values here, and rank in the tiers' rules",
    zh: '此处请按客户自身的值筛选，排名放在分层规则中',
  },
  keptLooksPersonal: {
    en:
      'kept column "{name}" holds values that look like an ID number, a phone or an e-mail: a rule that reads ' +
      'personal data runs only with --reveal',
    zh: '保留列“{name}”中有形似证件号、电话或电子邮件的值：读取个人信息的规则须加 --reveal 才能运行',
  },
  revealOrNoColumn: {
    en: 'add --reveal (recorded in the audit log), or write the rule without that column',
    zh: '请加 --reveal（会记入审计日志），或改写规则、不读该列',
  },
  ruleReads: {en: '{rule} of {scheme} reads {fields}', zh: '{scheme} 的 {rule} 读取了 {fields}'},
  whereReads: {en: '--where reads {fields}', zh: '--where 读取了 {fields}'},
  keptColumnNamed: {en: 'kept column {name}', zh: '保留列 {name}'},
  readsPersonal: {
    en: '{what}: a rule that reads personal data runs only with --reveal',
    zh: '{what}：读取个人信息的规则须加 --reveal 才能运行',
  },
  revealOrNoPersonal: {
    en: 'add --reveal (recorded in the audit log), or write the rule without personal fields',
    zh: '请加 --reveal（会记入审计日志），或改写规则、不读个人信息字段',
  },
  unreachableTakesAll: {
    en: 'tier "{id}" can never be reached: tier "{earlier}" before it takes every customer',
    zh: '分层“{id}”永远不会被选中：排在它前面的分层“{earlier}”接收了所有客户',
  },
  moveAboveOrNarrow: {
    en: 'move "{id}" above "{earlier}", or give "{earlier}" a narrower rule',
    zh: '请把“{id}”移到“{earlier}”之前，或收窄“{earlier}”的规则',
  },
  unreachableNeverHolds: {
    en: 'tier "{id}" can never be reached: its rule never holds',
    zh: '分层“{id}”永远不会被选中：它的规则永不成立',
  },
  checkOrRemove: {en: 'check the rule, or remove the tier', zh: '请检查规则，或删除该分层'},
  unreachableSameRule: {
    en: 'tier "{id}" can never be reached: its rule is the same as tier "{same}"\'s, which comes first',
    zh: '分层“{id}”永远不会被选中：它的规则与排在前面的分层“{same}”相同',
  },
  changeOneRule: {en: 'change one of the two rules', zh: '请修改其中一条规则'},
  unreachableThresholds: {
    en: 'tier "{id}" can never be reached: no value meets all of its thresholds ({rule})',
    zh: '分层“{id}”永远不会被选中：没有任何值能同时满足它的所有阈值（{rule}）',
  },
  checkThresholds: {en: "check the thresholds' directions and values", zh: '请检查各阈值的方向和数值'},
  unreachableShadowed: {
    en:
      'tier "{id}" can never be reached: every customer its rule takes ({rule}) is taken first by tier ' +
      '"{shadow}" ({shadowRule})',
    zh: '分层“{id}”永远不会被选中：其规则（{rule}）选中的客户都已先被分层“{shadow}”（{shadowRule}）选走',
  },
  moveAboveOrNarrowShadow: {
    en: 'move "{id}" above "{shadow}", or narrow "{shadow}"\'s rule',
    zh: '请把“{id}”移到“{shadow}”之前，或收窄“{shadow}”的规则',
  },
  ruleInFlagAt: {
    en: '{key} {rule}: {message} (at "{at}", character {char})',
    zh: '{key} {rule}：{message}（位于“{at}”，第 {char} 个字符）',
  },
  extraNotInFile: {en: 'extra column "{name}" is not a column of the file', zh: '保留列“{name}”不是文件中的列'},
  extraNotKept: {
    en: 'extra column "{name}" is a kept column of no customer in the portfolio',
    zh: '保留列“{name}”在范围内的客户中都不存在',
  },
  whereNotInFile: {
    en: '--where reads extra column "{name}", which the file does not have',
    zh: '--where 读取了保留列“{name}”，但文件中没有该列',
  },
  whereNotKept: {
    en: '--where reads extra column "{name}", which no customer in the portfolio has',
    zh: '--where 读取了保留列“{name}”，但范围内没有客户有该列',
  },
  caseSensitive: {
    en: 'did you mean "{name}"? (names are case-sensitive)',
    zh: '您要写的是不是“{name}”？（名称区分大小写）',
  },
  noKeptInFile: {en: 'the file has no columns besides customer fields', zh: '文件中除客户字段外没有其他列'},
  noKeptInBook: {
    en: 'no customer in the portfolio has kept columns: import a file with the column first',
    zh: '范围内没有客户有保留列：请先导入含该列的文件',
  },
  keptColumnsAreMore: {en: 'the kept columns are {shown} and {more} more', zh: '保留列有 {shown}，另有 {more} 列'},
  keptColumnsAre: {en: 'the kept columns are {shown}', zh: '保留列有 {shown}'},
  optionalExtraTip: {
    en: 'if the column may be absent, end its type with ? (money?)',
    zh: '若该列可能缺失，请在类型后加 ?（如 money?）',
  },

  // Rules
  ruleTooDeep: {en: 'the rule nests more than {max} levels deep here', zh: '规则在此处嵌套超过 {max} 层'},
  fewerLevels: {
    en:
      'use fewer levels of parentheses, functions, not, or + - * / in a row (chains of and / or may be as long ' +
      'as you like)',
    zh: '请减少括号、函数、not 或连续 + - * / 的层数（and / or 连接的条件长度不限）',
  },
  notANumber: {en: '"{text}" is not a number', zh: '“{text}”不是数字'},
  numberForms: {
    en: 'write numbers as 6000000, 6_000_000, 0.8 or 600万',
    zh: '数字请写成 6000000、6_000_000、0.8 或 600万',
  },
  notNumberOrName: {en: '"{text}" is not a number or a name', zh: '“{text}”既不是数字也不是名称'},
  nameStartsDigit: {en: 'a name cannot start with a digit', zh: '名称不能以数字开头'},
  noClosingQuote: {en: 'this text has no closing quote', zh: '这段文字缺少结尾的引号'},
  endItWith: {en: 'end it with {mark}', zh: '请以 {mark} 结尾'},
  noClosingBacktick: {en: 'this name has no closing backtick', zh: '这个名称缺少结尾的反引号'},
  noMeaning: {en: '"{text}" has no meaning in a rule', zh: '“{text}”在规则中没有含义'},
  ruleSyntax: {
    en:
      'rules use comparisons (>=, =, !=), and, or, not, in (...), between, like, is null, case when … end, + - ' +
      '* / and functions',
    zh: '规则可用比较（>=、=、!=）、and、or、not、in (...)、between、like、is null、case when … end、+ - * / 和函数',
  },
  ruleEmpty: {en: 'the rule is empty', zh: '规则为空'},
  ruleExample: {
    en: 'write a condition such as aum >= 500000, or true for a default tier',
    zh: '请写一个条件，例如 aum >= 500000；兜底分层可写 true',
  },
  endOfRule: {en: 'the end of the rule', zh: '规则结尾'},
  closeCall: {en: ', or ) to close {name}(', zh: '逗号或用于闭合 {name}( 的 )'},
  openAfterIn: {en: '( after in', zh: 'in 之后的 ('},
  closeInList: {en: ', or ) in the in (...) list', zh: 'in (...) 列表中的逗号或 )'},
  closeParen: {en: ') to close (', zh: '用于闭合 ( 的 )'},
  notChained: {en: 'comparisons cannot be chained', zh: '比较不能连写'},
  writeChained: {en: 'write {a} {op} {b} and {b} {op2} {c}', zh: '请写成 {a} {op} {b} and {b} {op2} {c}'},
  expectedBetweenAnd: {
    en: 'expected and in "between … and …" but found {found}',
    zh: '“between … and …”中此处应为 and，却是 {found}',
  },
  expectedNull: {en: 'expected null after "is{not}" but found {found}', zh: '“is{not}”之后应为 null，却是 {found}'},
  expectedValueKeyword: {
    en: 'expected a value but found the keyword "{name}"',
    zh: '此处应为一个值，却是关键字“{name}”',
  },
  keywordColumn: {
    en: 'a column named {name} is written in backticks: `{name}`',
    zh: '名为 {name} 的列须写在反引号中：`{name}`',
  },
  expectedValue: {en: 'expected a value but found {found}', zh: '此处应为一个值，却是 {found}'},
  ruleEndsEarly: {en: 'the rule ends too early: a value is missing', zh: '规则提前结束：缺少一个值'},
  expectedWhen: {en: 'expected when after case but found {found}', zh: 'case 之后应为 when，却是 {found}'},
  caseExample: {
    en: "write case when x = 'a' then 1 when x = 'b' then 2 else 0 end",
    zh: "请写成 case when x = 'a' then 1 when x = 'b' then 2 else 0 end",
  },
  expectedThen: {
    en: 'expected then in "case when … then …" but found {found}',
    zh: '“case when … then …”中此处应为 then，却是 {found}',
  },
  expectedCaseEnd: {
    en: 'expected when, else or end in case … end but found {found}',
    zh: 'case … end 中此处应为 when、else 或 end，却是 {found}',
  },
  expectedFound: {en: 'expected {what} but found {found}', zh: '此处应为 {what}，却是 {found}'},
  endCase: {en: 'end a case with end', zh: 'case 须以 end 结束'},
  unexpected: {en: 'unexpected {found}', zh: '多余的 {found}'},
  joinConditions: {en: 'join conditions with and / or', zh: '请用 and / or 连接条件'},
  notACondition: {en: 'a rule must be a condition, but this is {type}', zh: '规则须为条件，而这里是{type}'},
  compareIt: {en: 'compare it, for example {text} > 0', zh: '请加上比较，例如 {text} > 0'},
  unknownField: {en: 'unknown field "{name}"', zh: '未知字段“{name}”'},
  declareExtra: {
    en: 'to read a column that an import kept, declare it under extras: with its type',
    zh: '要读取导入时保留的列，请在 extras: 下声明它及其类型',
  },
  needsType: {en: '{what} needs {types}, but {text} is {type}', zh: '{what} 需要{types}，但 {text} 是{type}'},
  nullNeverTrue: {en: '{what} with null is never true', zh: '与 null 做 {what} 比较永远不成立'},
  writeIsNull: {en: 'write "is null" or "is not null"', zh: '请写 "is null" 或 "is not null"'},
  cannotCompare: {
    en: 'cannot compare {a} ({aType}) with {b} ({bType})',
    zh: '无法比较 {a}（{aType}）与 {b}（{bType}）',
  },
  declareNumberExtra: {
    en: 'if {name} is a kept column holding numbers, declare it under extras: as number or money',
    zh: '如果 {name} 是存放数字的保留列，请在 extras: 下声明为 number 或 money',
  },
  neverValue: {en: "{name} is never '{value}'", zh: "{name} 的值不会是 '{value}'"},
  itIsOneOf: {en: 'it is one of {values}', zh: '它的取值为 {values} 之一'},
  nameIsOneOf: {en: '{name} is one of {values}', zh: '{name} 的取值为 {values} 之一'},
  literalNotDate: {en: "'{text}' is not a date", zh: "'{text}' 不是日期"},
  writeDates: {en: "write dates as '2024-01-05'", zh: "日期请写成 '2024-01-05'"},
  conditionsCompared: {en: 'conditions can only be compared with = or !=', zh: '条件之间只能用 = 或 != 比较'},
  amountTimesAmount: {en: 'an amount times an amount has no meaning', zh: '金额乘以金额没有意义'},
  multiplyByNumber: {en: 'multiply an amount by a number', zh: '请用金额乘以数字'},
  numberByAmount: {en: 'a number divided by an amount has no meaning', zh: '数字除以金额没有意义'},
  unknownFunction: {en: 'unknown function "{name}"', zh: '未知函数“{name}”'},
  functionsAre: {en: 'functions are: {names}', zh: '可用函数：{names}'},
  takesArgumentsAtLeast: {
    en: '{name}() takes at least {min} arguments: {usage}',
    zh: '{name}() 至少需要 {min} 个参数：{usage}',
  },
  takesArgumentsRange: {
    en: '{name}() takes {min} to {max} arguments: {usage}',
    zh: '{name}() 需要 {min} 至 {max} 个参数：{usage}',
  },
  takesArgument: {en: '{name}() takes {count} argument: {usage}', zh: '{name}() 需要 {count} 个参数：{usage}'},
  takesArguments: {en: '{name}() takes {count} arguments: {usage}', zh: '{name}() 需要 {count} 个参数：{usage}'},
  roundPlaces: {
    en: 'the decimal places of round() must be a written whole number from -12 to 12',
    zh: 'round() 的小数位数须直接写成 -12 至 12 之间的整数',
  },
  roundExample: {
    en: 'for example round(x, 2), or round(aum, -4) for whole 万',
    zh: '例如 round(x, 2)；取整到万可写 round(aum, -4)',
  },
  percentileFraction: {
    en: 'percentile() needs a fraction from 0 to 1 first',
    zh: 'percentile() 的第一个参数须为 0 到 1 之间的比例',
  },
  percentileAsFraction: {
    en: 'a fraction: percentile({fraction}, x) for the {value}th percentile',
    zh: '请写成比例：第 {value} 百分位数写 percentile({fraction}, x)',
  },
  percentileExample: {
    en: 'for example percentile(0.9, aum) for the 90th percentile',
    zh: '例如第 90 百分位数写 percentile(0.9, aum)',
  },
  ntileGroups: {
    en: 'ntile() needs a whole number of groups from 2 to 1000 first',
    zh: 'ntile() 的第一个参数须为 2 到 1000 之间的整数组数',
  },
  ntileExample: {en: 'for example ntile(10, aum)', zh: '例如 ntile(10, aum)'},
  nestedMeasure: {en: '{name}() cannot contain another portfolio measure', zh: '{name}() 中不能再包含组合指标'},
  defineInner: {
    en: 'name the inner measure under define: and use it in a separate rule',
    zh: '请在 define: 下为内层指标命名，再在另一条规则中使用',
  },
  mixesTypes: {en: '{what} mixes {aType} ({a}) with {bType} ({b})', zh: '{what} 混用了{aType}（{a}）和{bType}（{b}）'},
  typeNumber: {en: 'a number', zh: '数字'},
  typeAmount: {en: 'an amount', zh: '金额'},
  typeDate: {en: 'a date', zh: '日期'},
  typeCondition: {en: 'a condition', zh: '条件'},
  typeNumberOrAmount: {en: 'a number or an amount', zh: '数字或金额'},
  typeNumericOrCondition: {en: 'a number or an amount or a condition', zh: '数字、金额或条件'},
  typeOrderable: {en: 'a number or an amount or a date or text', zh: '数字、金额、日期或文本'},

  // Summaries
  noRun: {en: 'no classification run {id}', zh: '没有编号为 {id} 的分层运行'},
  listRuns: {en: 'list runs with: crm classify runs', zh: '可用 crm classify runs 列出分层运行'},
  runOtherScheme: {
    en: 'run {id} is of the scheme {scheme}, not {wanted}',
    zh: 'run {id} 属于方案 {scheme}，不是 {wanted}',
  },
  noRunOfScheme: {en: 'no classification run of the scheme "{scheme}"', zh: '方案“{scheme}”还没有分层运行'},
  classifyFirst: {en: 'classify first: crm classify --scheme {scheme}', zh: '请先分层：crm classify --scheme {scheme}'},
  noRunsYet: {en: 'there are no classification runs yet', zh: '还没有任何分层运行'},
  chooseScheme: {
    en: 'runs of {count} schemes are stored: choose one',
    zh: '已保存 {count} 个方案的分层运行：请选择一个',
  },
  useSchemeOrRun: {en: 'use --scheme {schemes}, or --run ID', zh: '请用 --scheme {schemes}，或 --run 编号'},
  orScheme: {en: ' or --scheme ', zh: ' 或 --scheme '},
  byPersonal: {
    en: "--by {field} would list every customer's {field}, which is personal data",
    zh: '--by {field} 会列出每位客户的 {field}，这属于个人信息',
  },
  revealToGroup: {
    en: 'add --reveal to group by it (recorded in the audit log)',
    zh: '如需按它分组，请加 --reveal（会记入审计日志）',
  },
  byUnknown: {
    en: '--by {text} is not a text field or an extra of {scheme}',
    zh: '--by {text} 不是文本字段，也不是 {scheme} 的保留列',
  },
  textFieldsExtras: {en: 'text fields: {fields}; extras: {extras}', zh: '文本字段：{fields}；保留列：{extras}'},
  textFieldsNoExtras: {
    en: 'text fields: {fields} ({scheme} declares no extras)',
    zh: '文本字段：{fields}（{scheme} 未声明保留列）',
  },
  byAtMostTwo: {en: '--by takes at most two breakdowns', zh: '--by 最多只能分两级'},
  byExample: {en: 'for example --by branch --by type', zh: '例如 --by branch --by type'},
  sumUnknown: {
    en: '--sum {text} is not a money or number field or extra of {scheme}',
    zh: '--sum {text} 不是金额或数字字段，也不是 {scheme} 的金额或数字保留列',
  },
  itTakes: {en: 'it takes: {names}', zh: '可用：{names}'},
  runsDifferentSchemes: {
    en: 'run {a} is of the scheme {aScheme} and run {b} of {bScheme}: only runs of the same scheme can be compared',
    zh: 'run {a} 属于方案 {aScheme}，run {b} 属于 {bScheme}：只能比较同一方案的运行',
  },
  listRunsEach: {en: "list each scheme's runs with: crm classify runs", zh: '可用 crm classify runs 列出各方案的运行'},

  // The database and the system
  importStoppedKept: {
    en: "stopped: the file's first {rows} rows are imported; run the same command again to complete the import",
    zh: '已中止：文件的前 {rows} 行已导入；再次运行同一命令即可完成导入',
  },
  importStoppedNothing: {
    en: 'stopped: nothing was stored',
    zh: '已中止：没有保存任何数据',
  },
  actorUnsafe: {
    en: 'give a name of printable characters (it is recorded in the audit log)',
    zh: '请给出由可打印字符组成的名字（它会记入审计日志）',
  },
  dbKeepsNothing: {
    en: 'the database {file} (from --db or CRM_DB) would keep nothing: crm needs a file',
    zh: '数据库 {file}（来自 --db 或 CRM_DB）不会保存任何内容：crm 需要一个文件',
  },
  giveDbFile: {
    en: 'give a file, such as --db crm.db or CRM_DB=crm.db',
    zh: '请指定一个文件，例如 --db crm.db 或 CRM_DB=crm.db',
  },
  // export format from --output's extension (f6)
  formatNotExtension: {
    en: '--format {format} does not match --output {file}, whose extension says {named}',
    zh: '--format {format} 与 --output {file} 不符：该文件扩展名表示 {named}',
  },
  formatOrExtension: {
    en: 'leave out --format (the extension decides: {named}), or give --output a file name that matches --format',
    zh: '去掉 --format（由扩展名决定：{named}），或让 --output 的文件名与 --format 相符',
  },
  // contact log: an editor that cannot start (f6)
  editorNotFound: {
    en:
      'cannot start the editor "{editor}" (not found or not runnable): type the note here, or set EDITOR to an ' +
      'editor',
    zh: '无法启动编辑器“{editor}”（找不到或不可执行）：请在此直接输入备注，或把 EDITOR 设为可用的编辑器',
  },
  // end f6
  exportNotTable: {
    en: 'an export is written as csv, tsv, json, ndjson or xlsx, not as a table',
    zh: '导出只能写成 csv、tsv、json、ndjson 或 xlsx，不能是表格',
  },
  exportFormats: {
    en: 'use --format csv (the default), json, ndjson or xlsx',
    zh: '请用 --format csv（默认）、json、ndjson 或 xlsx',
  },
  jsonNeedsOutput: {
    en: 'with --json the result goes to standard output, so the rows need a file',
    zh: '使用 --json 时结果写到标准输出，因此数据行须写入文件',
  },
  addOutput: {en: 'add --output FILE', zh: '请加 --output 文件'},
  outputDash: {
    en: '--output - is not standard output here: it would be a file named -',
    zh: '--output - 在这里不是标准输出，而会是一个名为 - 的文件',
  },
  leaveOutOutput: {en: 'leave out --output to write to standard output', zh: '去掉 --output 即写到标准输出'},
  dbUnusable: {
    en: 'the database {file} cannot be used: {what} ({code})',
    zh: '数据库 {file} 无法使用：{what}（{code}）',
  },
  cannotWriteTarget: {en: 'cannot write {file}: {reason}', zh: '无法写入 {file}：{reason}'},
  pgReadOnlyRole: {
    en: 'the database role may read this book but not change it',
    zh: '该数据库角色只能读取此账簿，不能修改',
  },
  pgAskForRole: {
    en: 'ask the database administrator for a role that may write (docs/scaling.md lists the roles)',
    zh: '请向数据库管理员申请可写入的角色（角色见 docs/scaling.md）',
  },
  pgServerGone: {en: 'the connection to the PostgreSQL server was lost', zh: '与 PostgreSQL 服务器的连接已断开'},
  pgTryAgain: {
    en: 'check that the server is running and try again: what was not committed was not written',
    zh: '请确认服务器在运行后重试：未提交的内容没有写入',
  },
  pgServerFull: {en: 'the PostgreSQL server has no room left', zh: 'PostgreSQL 服务器空间已满'},
  pgCancelled: {
    en: 'the PostgreSQL server cancelled the statement (a statement timeout, or an administrator)',
    zh: 'PostgreSQL 服务器取消了该语句（语句超时，或管理员取消）',
  },
  pgAskLongerTimeout: {
    en:
      'narrow the command (--limit, filters) or ask the administrator for a longer statement_timeout; ' +
      'nothing was committed by the statement',
    zh: '请缩小范围（--limit、筛选条件），或请管理员放宽 statement_timeout；该语句未提交任何内容',
  },
  pgCannotStore: {
    en: 'a value is one PostgreSQL cannot store (a NUL character, or too long for an index)',
    zh: '某个值 PostgreSQL 无法存储（含 NUL 字符，或对索引而言过长）',
  },
  pgFixValue: {
    en:
      'remove NUL characters and shorten over-long ids in the file, then run it again: ' +
      'blocks committed before stay, and the rerun completes them',
    zh: '请去掉文件中的 NUL 字符并缩短过长的编号后重新运行：之前已提交的块保留，重新运行会补全',
  },
  pgFreeServerSpace: {
    en: 'ask the database administrator to free space on the server',
    zh: '请数据库管理员释放服务器空间',
  },
  pgBusy: {
    en: 'another crm kept a lock on the same rows too long',
    zh: '另一个 crm 长时间占用了相同行的锁',
  },
  checkRoom: {
    en: 'check that there is room on the disk and you may write there',
    zh: '请检查磁盘空间，以及您是否有写入权限',
  },
  restoreBackup: {
    en:
      'restore a backup (crm db backup makes them) with: crm db restore BACKUP --db {file} (it keeps the damaged ' +
      'file beside it); or save what can still be read with: sqlite3 {file} .recover | sqlite3 recovered.db',
    zh:
      '请恢复备份（crm db backup 可生成备份）：crm db restore BACKUP --db {file}（损坏的文件会保留在旁边）；或用 sqlite3 {file} ' +
      '.recover | sqlite3 recovered.db 抢救仍可读取的数据',
  },
  pgRestoreBackup: {
    en: 'repair the rows named, or restore the schema from a backup (crm db backup makes them) with pg_restore',
    zh: '请修复所列的行，或用 pg_restore 从备份（crm db backup 可生成备份）恢复该 schema',
  },
  pgRestoreRefused: {
    en: 'crm db restore replaces a SQLite file; a PostgreSQL book is restored with pg_restore',
    zh: 'crm db restore 只替换 SQLite 文件；PostgreSQL 库请用 pg_restore 恢复',
  },
  pgRestoreHow: {
    en: 'pg_restore --dbname=URL --clean --if-exists BACKUP (a file crm db backup wrote from the schema {schema})',
    zh: 'pg_restore --dbname=URL --clean --if-exists BACKUP（crm db backup 从 schema {schema} 写出的文件）',
  },
  diskFull: {en: 'the disk is full', zh: '磁盘已满'},
  freeSpaceDb: {
    en:
      'free some space on that disk (the database needs room to grow), or move the database and give its new ' +
      'path with --db',
    zh: '请清理该磁盘的空间（数据库需要增长的余地），或把数据库移到别处并用 --db 指定新路径',
  },
  readOnlyFile: {en: 'the file or its folder is read-only', zh: '文件或其所在文件夹为只读'},
  makeWritable: {
    en: 'make both writable, or choose another database with --db',
    zh: '请让两者可写，或用 --db 选择另一个数据库',
  },
  checkWriters: {
    en: 'check who may write the file and its folder, or choose another database with --db',
    zh: '请检查谁有权写入该文件及其文件夹，或用 --db 选择另一个数据库',
  },
  writeLocked: {en: 'another crm holds its write lock', zh: '另一个 crm 正占用其写锁'},
  tryAgainLater: {en: 'try again when that crm has finished', zh: '请等那个 crm 结束后重试'},
  fileDamaged: {en: 'the file is damaged', zh: '文件已损坏'},
  notCrmDb: {en: 'the file is damaged or is not a crm database', zh: '文件已损坏，或不是 crm 数据库'},
  checkOrRestore: {
    en: 'check it with crm db check, restore a backup, or choose another with --db',
    zh: '请用 crm db check 检查、恢复备份，或用 --db 选择另一个',
  },
  cannotOpen: {en: 'the file cannot be opened', zh: '文件无法打开'},
  checkFolder: {
    en: 'check that its folder exists and that you may write there, or choose another with --db',
    zh: '请检查其文件夹是否存在、您是否可以写入，或用 --db 选择另一个',
  },
  readWriteFailed: {en: 'a read or write failed (a full or failing disk?)', zh: '读写失败（磁盘已满或故障？）'},
  checkDiskSpace: {
    en: 'check the disk and the space left on it, or choose another database with --db',
    zh: '请检查磁盘及其剩余空间，或用 --db 选择另一个数据库',
  },
  cannotWriteFull: {en: 'cannot write: the disk is full', zh: '无法写入：磁盘已满'},
  freeSpace: {en: 'free some space on that disk, or write to another one', zh: '请清理该磁盘的空间，或写到另一个磁盘'},
  fileTooLarge: {
    en: 'cannot write: the file is larger than its file system allows',
    zh: '无法写入：文件超出了文件系统允许的大小',
  },
  writeElsewhere: {en: 'write to another disk', zh: '请写到另一个磁盘'},
  readOnlyFs: {en: 'cannot write: the file system is read-only', zh: '无法写入：文件系统为只读'},
  writeNotReadOnly: {en: 'write to a place that is not read-only', zh: '请写到非只读的位置'},
  choosePlace: {
    en: 'choose a place you may write to, or ask for the permissions',
    zh: '请选择您有写入权限的位置，或申请相应权限',
  },
  folderNotFile: {en: 'that is a folder, not a file', zh: '这是文件夹，不是文件'},
  nameFileInside: {en: 'name a file inside it', zh: '请写出其中的文件名'},
  noSuchFileOrFolder: {en: 'no such file or folder', zh: '文件或文件夹不存在'},
  checkWritePath: {
    en: 'check the path (a folder crm writes into must exist)',
    zh: '请检查路径（crm 写入的文件夹须已存在）',
  },
  ioError: {en: 'an input/output error (a failing disk?)', zh: '输入/输出错误（磁盘故障？）'},
  checkDisk: {en: 'check the disk, or use another one', zh: '请检查磁盘，或换用另一个'},

  // Reject reasons and warnings
  residentId15Birth: {
    en: 'the birth date in the 15-digit ID (characters 7 to 12) is not a date',
    zh: '15 位证件号中的出生日期（第 7 至 12 位）不是有效日期',
  },
  residentIdDigits: {
    en: "a resident ID has 18 characters, and this one has {length}: check the number against the customer's ID card",
    zh: '居民身份证号为 18 位，而这个有 {length} 位：请对照客户的身份证核对',
  },
  usccLength: {
    en: 'a unified social credit code has 18 characters, not {length}',
    zh: '统一社会信用代码应为 18 位，而不是 {length} 位',
  },
  usccCharacter: {
    en: '"{char}" cannot appear in a unified social credit code (I, O, Z, S and V are never used)',
    zh: '统一社会信用代码中不能出现“{char}”（不使用 I、O、Z、S、V）',
  },
  usccCheck: {en: 'check character should be {expected}, not {actual}', zh: '校验码应为 {expected}，而不是 {actual}'},
  orgCodeCheck: {
    en:
      'its organisation code (characters 9 to 17) fails the GB 11714 check: its last character should be ' +
      '{expected}, not {actual}',
    zh: '其中的组织机构代码（第 9 至 17 位）未通过 GB 11714 校验：最后一位应为 {expected}，而不是 {actual}',
  },
  idTooLong: {
    en: 'the ID number is {length} characters long: no ID number has more than 40',
    zh: '证件号长达 {length} 位：证件号不会超过 40 位',
  },
  idFromExcel: {
    en:
      'Excel turned this ID number into a number ({text}) and lost its last digits: format the column as text ' +
      'in Excel and export the file again',
    zh: 'Excel 把该证件号转成了数字（{text}），末尾几位已丢失：请在 Excel 中把该列设为文本格式后重新导出',
  },
  idHoldsChinese: {
    en:
      'the ID number holds Chinese text ("{text}"): put the kind of ID in the id_type column (证件类型) and only ' +
      'the number here',
    zh: '证件号中含有中文（“{text}”）：证件类型请填在 id_type 列（证件类型），此处只填号码',
  },
  idHasSpaces: {en: 'the ID number has spaces in it: write it without spaces', zh: '证件号中有空格：请去掉空格'},
  idStrayCharacters: {
    en: 'the ID number holds {chars}, which no ID number has: write only its letters and digits',
    zh: '证件号中含有 {chars}，证件号中不会有这些字符：请只写字母和数字',
  },
  invisibleCharacter: {
    en: '{field} holds an invisible or broken character ({char}) at character {at}: retype the cell, or clean the file',
    zh: '{field} 的第 {at} 个字符是不可见或损坏的字符（{char}）：请重新输入该单元格，或清理文件',
  },
  farTooLong: {
    en: '{field} is {length} characters long, far too long for {kind}: is the column mapped to the right field?',
    zh: '{field} 长达 {length} 个字符，远超{kind}应有的长度：该列是否映射到了正确的字段？',
  },
  kindChoice: {en: 'a choice', zh: '选项'},
  kindIdNumber: {en: 'an ID number', zh: '证件号'},
  kindPhone: {en: 'a phone number', zh: '电话号码'},
  kindEmail: {en: 'an e-mail address', zh: '电子邮件地址'},
  kindDateTime: {en: 'a date and time', zh: '日期时间'},
  kindWholeNumber: {en: 'a whole number', zh: '整数'},
  fieldMasked: {
    en:
      '{field} is masked ({masked}): masked values cannot be imported; export the file unmasked (crm exports ' +
      'with --reveal), or leave the cell empty',
    zh: '{field} 已脱敏（{masked}）：脱敏的值不能导入；请导出未脱敏的文件（crm 用 --reveal 导出），或留空该单元格',
  },
  scientificNotation: {
    en:
      '{field} is in scientific notation ({text}), as Excel writes long numbers, and digits may have been ' +
      'lost: format the column as a number (or as text) in Excel and export the file again',
    zh: '{field} 为科学计数法（{text}），这是 Excel 对长数字的写法，可能已丢失数位：请在 Excel 中把该列设为数值（或文本）格式后重新导出',
  },
  excelSerialDate: {
    en:
      '{text} looks like a date Excel wrote as its serial number: format the column as a date (yyyy-mm-dd) in ' +
      'Excel and export the file again',
    zh: '{text} 像是 Excel 以序列号写出的日期：请在 Excel 中把该列设为日期格式（yyyy-mm-dd）后重新导出',
  },
  notAFieldChoice: {
    en: '"{text}" is not a {field} (use {values} or a Chinese name such as {example})',
    zh: '“{text}”不是有效的 {field}（请用 {values} 或中文名称，例如 {example}）',
  },
  notAnOffset: {
    en: '"{text}" is not an offset from UTC (write +08:00)',
    zh: '“{text}”不是与 UTC 的时差（请写成 +08:00）',
  },
  offsetOutOfRange: {
    en: '"{text}" is not an offset from UTC: offsets run from -12:00 to +14:00 (write +08:00)',
    zh: '“{text}”不是有效的 UTC 时差：时差范围为 -12:00 至 +14:00（请写成 +08:00）',
  },
  contactInFutureHere: {
    en:
      '{at} {offset} is in the future (it is now {now} here): a contact is recorded once it has happened; ' +
      'check the date',
    zh: '{at} {offset} 是将来的时间（本地现在是 {now}）：联系发生后才能记录；请检查日期',
  },
  contactInFuture: {
    en: '{at} is in the future (it is now {now}): a contact is recorded once it has happened; check the date',
    zh: '{at} 是将来的时间（现在是 {now}）：联系发生后才能记录；请检查日期',
  },
  notASize: {
    en: 'not a size: "{text}" (write for example 1MB, 500KB or a number of bytes)',
    zh: '不是有效的大小：“{text}”（例如写成 1MB、500KB 或字节数）',
  },
  sizeTooSmall: {en: 'a size must be at least 1 byte, not "{text}"', zh: '大小至少为 1 字节，而不是“{text}”'},
  invalidAdvice: {
    en: "correct the values and import the file again, or declare the column as text in the scheme's extras",
    zh: '请更正这些值后重新导入文件，或在方案的 extras 中将该列声明为 text',
  },
  invalidValue: {en: 'invalid: {reason}', zh: '无效：{reason}'},

  // Import input checks (identity, dates, files)
  residentIdRegion: {
    en:
      'the region code (characters 1 and 2) is not a province: a resident ID starts with 11 to 15, 21 to 23, ' +
      '31 to 37, 41 to 46, 50 to 54, 61 to 65, 71, 81, 82 or 83',
    zh: '地区码（第 1 和第 2 位）不是省级代码：居民身份证号以 11 至 15、21 至 23、31 至 37、41 至 46、50 至 54、61 至 65、71、81、82 或 83 开头',
  },
  residentIdBirthFuture: {
    en: 'the birth date in the ID (characters 7 to 14) is after today: check the number against the ID card',
    zh: '证件号中的出生日期（第 7 至 14 位）晚于今天：请对照身份证核对',
  },
  dateInFuture: {
    en: '{field} {date} is after today ({today}): check the date',
    zh: '{field} {date} 晚于今天（{today}）：请检查日期',
  },
  birthBefore1900: {
    en: 'birth_date {date} is before 1900: check the date',
    zh: '出生日期 {date} 早于 1900 年：请检查日期',
  },
  birthDateNotInId: {
    en: 'birth_date {date} is not the birth date in id_number {id} ({idDate}): correct one of them',
    zh: '出生日期 {date} 与证件号 {id} 中的出生日期（{idDate}）不符：请更正其中之一',
  },
  residentIdNotUscc: {
    en:
      "the ID number looks like a resident ID, not a unified social credit code: give the company's code, or " +
      'set type to individual',
    zh: '证件号看起来是居民身份证号，而不是统一社会信用代码：请填写企业的代码，或把客户类型改为个人',
  },

  onlyHeader: {
    en: 'no rows in {file}: only a header, so nothing was imported',
    zh: '{file} 中没有数据行：只有表头，因此没有导入任何内容',
  },

  notUtf8Rows: {
    en:
      '{count} rows were rejected for bytes that are not UTF-8: if the file is GBK, import it again with ' +
      '--encoding gbk',
    zh: '{count} 行因字节不是 UTF-8 被拒绝：如果文件是 GBK 编码，请加 --encoding gbk 重新导入',
  },
  notUtf8RowsOne: {
    en: '1 row was rejected for bytes that are not UTF-8: if the file is GBK, import it again with --encoding gbk',
    zh: '1 行因字节不是 UTF-8 被拒绝：如果文件是 GBK 编码，请加 --encoding gbk 重新导入',
  },

  // --- audit list and db restore (h6) ---
  auditNoCustomer: {
    en: 'no customer with customer_id "{id}" has ever been in this database',
    zh: '此数据库中从未有过客户号为 "{id}" 的客户',
  },
  auditCustomerHint: {
    en: 'give the customer number exactly as crm customer list shows it',
    zh: '请按 crm customer list 显示的客户号准确输入',
  },
  restoreNeedsName: {en: 'give the backup file to restore', zh: '请给出要恢复的备份文件'},
  noBackupFile: {en: 'there is no backup file {file}', zh: '没有备份文件 {file}'},
  checkBackupPath: {
    en: 'check the path (crm db backup FILE writes backups)',
    zh: '请检查路径（备份由 crm db backup FILE 生成）',
  },
  backupIsFolder: {en: '{file} is a folder, not a backup file', zh: '{file} 是文件夹，不是备份文件'},
  cannotReadBackup: {en: 'cannot read the backup {file}: {reason}', zh: '无法读取备份 {file}：{reason}'},
  backupIsDatabase: {
    en: '{file} is {what}: a database cannot be restored from itself',
    zh: '{file} 就是{what}：不能用数据库自身来恢复它',
  },
  giveOtherBackup: {
    en: 'give a backup made by crm db backup, kept somewhere else',
    zh: '请给出由 crm db backup 生成、存放在别处的备份',
  },
  backupUnusable: {
    en: 'the backup {file} cannot be restored: {problem}',
    zh: '备份 {file} 无法用于恢复：{problem}',
  },
  tryOtherBackup: {
    en: 'restore an older backup; the database was left as it was',
    zh: '请恢复更早的备份；数据库保持原样',
  },
  databaseInUse: {
    en: 'another crm process has the database {file} open, so it was not replaced',
    zh: '另一个 crm 进程正在使用数据库 {file}，因此未替换',
  },
  importRunningOnDb: {
    en: 'an import is running on the database {file} (batch {batch}, process {pid}), so it was not replaced',
    zh: '数据库 {file} 上正在进行导入（批次 {batch}，进程 {pid}），因此未替换',
  },
  waitForOthers: {
    en: 'let the other crm finish (or stop it), then run crm db restore again',
    zh: '请等待另一个 crm 结束（或停止它），然后重新运行 crm db restore',
  },

  // Edit and delete, audited (issue 17 section 2: customer/contact edit, delete, erase)
  setNeeded: {en: 'nothing to change: give --set field=value', zh: '没有要修改的内容：请给出 --set 字段=值'},
  setNeedsValue: {
    en: '--set {set}: write it as field=value (an empty value clears the field)',
    zh: '--set {set}：请写成 字段=值（值为空表示清空该字段）',
  },
  setLocked: {
    en: '--set {field}: {field} cannot be edited (it is what the records are matched on)',
    zh: '--set {field}：{field} 不能修改（记录靠它匹配）',
  },
  setUnknownField: {en: '--set {field}: there is no such field; {hint}', zh: '--set {field}：没有这个字段；{hint}'},
  setFieldsAre: {en: 'the fields are {fields}', zh: '字段有 {fields}'},
  editRefused: {en: '--set {field}: {reason}', zh: '--set {field}：{reason}'},
  customerWasDeleted: {
    en: 'customer {id} was deleted ({at}, by {actor}); its id is never used again',
    zh: '客户 {id} 已删除（{at}，操作人 {actor}）；该客户号不再使用',
  },
  // f5: erase (show an erased customer, a file rewrite cut short)
  customerWasErased: {
    en: 'customer {id} was erased ({at}, by {actor}): its personal data is gone and its id is never used again',
    zh: '客户 {id} 已清除（{at}，操作人 {actor}）：其个人信息已删除，该客户号不再使用',
  },
  eraseRewriting: {
    en:
      'customer {id} is erased (committed); now rewriting the database file so that no old copy of its values ' +
      'stays in it. If this is cut short (Ctrl-C), the next crm command finishes the rewrite (crm customer erase ' +
      '{id} again does too)',
    zh: '客户 {id} 已清除（已提交）；正在重写数据库文件，使其中不留旧值。如被中断（Ctrl-C），下一个 crm 命令会完成重写（再次运行 crm customer erase {id} 也可以）',
  },
  // end f5
  deleteHasHistory: {
    en:
      'customer {id} has history (contacts: {contacts}, tier results: {results}): deleting it takes that out ' +
      'of every list too',
    zh: '客户 {id} 有历史记录（联系记录：{contacts}，分层结果：{results}）：删除后这些也会从所有列表中消失',
  },
  addForceToDelete: {en: 'add --force to delete it anyway', zh: '如仍要删除，请加 --force'},
  importDeletedCustomer: {
    en: 'customer_id {id} belonged to a deleted customer: ids are never reused',
    zh: '客户号 {id} 属于已删除的客户：客户号不再使用',
  },
  contactCustomerDeleted: {
    en: 'customer {id} was deleted: no contact is added for it',
    zh: '客户 {id} 已删除：不再为其添加联系记录',
  },
  contactWasDeleted: {en: 'contact {id} was deleted ({at})', zh: '联系记录 {id} 已删除（{at}）'},
  contactKeyTaken: {
    en:
      'contact {id} would then be the same contact as contact {other} (same time, customer, channel, ' +
      'direction, purpose and notes)',
    zh: '修改后联系记录 {id} 将与联系记录 {other} 重复（时间、客户、渠道、方向、目的和备注都相同）',
  },
  editFieldsHint: {
    en: 'the fields are those of a customer import: crm customer show {id}',
    zh: '字段与客户导入相同：crm customer show {id}',
  },
  // Files banks send (issue 17 §5): date formats, Excel serial dates, files without an id column, masked exports
  dateYearLast: {
    en:
      '"{text}" has its year last, so its day and month could be either way round: pass --date-format DD/MM/YYYY ' +
      '(day first) or --date-format MM/DD/YYYY (month first)',
    zh: '“{text}”年份在最后，日和月的顺序无法确定：请加 --date-format DD/MM/YYYY（日在前）或 --date-format MM/DD/YYYY（月在前）',
  },
  // f3: what a year-last date without --date-format says when only one order fits it
  dateYearLastOneWay: {
    en:
      '"{text}" has its year last and {number} cannot be a month, so it reads as {format}; a column\'s dates are ' +
      'read one way for every row, not guessed cell by cell: pass --date-format {format} if the file writes every ' +
      'date so',
    zh:
      '“{text}”年份在最后，{number} 不可能是月份，所以应按 {format} 读取；同一列的日期按同一种格式读取，不逐格猜测：' +
      '如果文件中的日期都这样写，请加 --date-format {format}',
  },
  keyMasked: {
    en:
      '{field} is masked ({masked}): a masked value cannot tell customers apart; export the file unmasked (crm ' +
      'exports with --reveal)',
    zh: '{field} 已脱敏（{masked}）：脱敏的值无法区分客户；请导出未脱敏的文件（crm 用 --reveal 导出）',
  },
  // End of f3
  dateTwoDigitYear: {
    en: '"{text}" has a two-digit year, which could be of either century: write the year with 4 digits',
    zh: '“{text}”的年份只有两位，无法确定世纪：请把年份写成 4 位',
  },
  dateSixDigits: {
    en: '"{text}" is six digits: if it is a date with a two-digit year (YYMMDD), pass --date-format YYMMDD',
    zh: '“{text}”是六位数字：如果它是两位年份的日期（YYMMDD），请加 --date-format YYMMDD',
  },
  serialDateMixed: {
    en:
      '{field} held Excel serial dates (such as {first}) in the rows above, and "{text}" is not one: a column is ' +
      'read ' +
      'as serial dates only when every cell is one; format the column as a date (yyyy-mm-dd) in Excel and export again',
    zh:
      '{field} 列前面的行是 Excel 日期序列号（如 {first}），而“{text}”不是：只有整列都是序列号时才按序列号读取；' +
      '请在 Excel 中把该列设为日期格式（yyyy-mm-dd）后重新导出',
  },
  maskedExport: {
    en:
      '{file} is a masked crm export ({column} on line {line} is masked): masked ID numbers, phones and e-mail ' +
      'addresses cannot be imported. Export again with --reveal and import that file',
    zh:
      '{file} 是 crm 导出的脱敏文件（第 {line} 行的 {column} 已脱敏）：脱敏的证件号、电话和邮箱不能导入。' +
      '请用 --reveal 重新导出，再导入该文件',
  },
  noIdColumn: {
    en:
      'the file has no column for customer_id (customer_id, 客户号), and crm needs one to tell customers apart; ' +
      'the header is: {header}',
    zh: '文件中没有客户号列（customer_id、客户号），crm 需要用它区分客户；表头为：{header}',
  },
  noIdColumnChoice: {
    en:
      'choose how to make one: --id-from COLUMNS (a stable hash of those columns, e.g. --id-from "{example}": ' +
      'importing the file again updates the same customers) or --id-prefix P (P and the line number: not idempotent, ' +
      'importing the file again or in another order makes other customers); or map a column with --map ' +
      '"Column=customer_id"',
    zh:
      '请选择生成方式：--id-from 列名（这些列的稳定哈希，例如 --id-from "{example}"：重复导入会更新同一批客户），' +
      '或 --id-prefix 前缀（前缀加行号：不幂等，重复导入或行序变化会生成另外的客户）；也可用 --map "列名=customer_id" 指定一列',
  },
  idFlagsWithIdColumn: {
    en: '{flag} makes customer ids for a file without an id column, but column "{column}" already holds them',
    zh: '{flag} 用于没有客户号列的文件，但“{column}”列已经是客户号',
  },
  idFromUnknown: {
    en: '--id-from names column "{column}", which is not in the file\'s header',
    zh: '--id-from 指定的列“{column}”不在文件表头中',
  },
  idFlagsBoth: {
    en: '--id-from and --id-prefix are two ways to make customer ids: give one of them',
    zh: '--id-from 和 --id-prefix 是两种生成客户号的方式：只能选一种',
  },
  idFromEmpty: {
    en: '--id-from names no column: give the columns that tell customers apart, e.g. --id-from "name,birth_date"',
    zh: '--id-from 没有给出列名：请给出能区分客户的列，例如 --id-from "name,birth_date"',
  },
  idPrefixEmpty: {
    en:
      '--id-prefix is empty or holds other characters than letters, digits, "-" and "_": give such, e.g. ' +
      '--id-prefix UCI',
    zh: '--id-prefix 为空或含有字母、数字、“-”和“_”以外的字符：请只用这些字符，例如 --id-prefix UCI',
  },
  // End of files banks send

  // Templates that begin with a value and say little else (LOOSE)
  systemProblemAt: {en: '{what}: {file} ({code})', zh: '{what}：{file}（{code}）'},
  systemProblem: {en: '{what} ({code})', zh: '{what}（{code}）'},
  ruleInFlag: {en: '{key} {rule}: {message}', zh: '{key} {rule}：{message}'},
  fileProblem: {en: '{file}: {problem}', zh: '{file}：{problem}'},

  // Excel exports (--format xlsx, h5)
  xlsxNotToTerminal: {
    en: 'an xlsx workbook is binary: it is not written to a terminal',
    zh: 'xlsx 工作簿是二进制文件，不能写到终端',
  },
  xlsxGiveOutput: {
    en: 'add --output FILE.xlsx (or redirect standard output to a file)',
    zh: '请加 --output 文件.xlsx（或把标准输出重定向到文件）',
  },
  xlsxOnlyExports: {
    en: '--format xlsx writes a workbook file: only exports take it',
    zh: '--format xlsx 写的是工作簿文件，只有导出命令接受',
  },
  xlsxExports: {
    en: 'use crm customer export, crm contact export or crm classify show RUN --output FILE.xlsx',
    zh: '请用 crm customer export、crm contact export 或 crm classify show RUN --output 文件.xlsx',
  },
  xlsxNoEncoding: {
    en: '--encoding gbk is for csv and tsv: an xlsx workbook holds any text as it is',
    zh: '--encoding gbk 只用于 csv 和 tsv：xlsx 工作簿原样保存任何文字',
  },
  leaveOutEncoding: {en: 'leave out --encoding', zh: '请去掉 --encoding'},
  // h1: import history and undo
  theBatchNumber: {en: 'the batch number', zh: '批次编号'},
  batchNotFound: {en: 'no import batch {batch}', zh: '没有导入批次 {batch}'},
  seeImportList: {en: 'list the batches with: crm import list', zh: '可用 crm import list 列出导入批次'},
  batchUndoneAlready: {
    en: 'batch {batch} was undone already (at {at}); an undone batch cannot be undone again',
    zh: '批次 {batch} 已于 {at} 撤销；已撤销的批次不能再次撤销',
  },
  batchStillRunning: {
    en: 'batch {batch} is still being imported',
    zh: '批次 {batch} 仍在导入中',
  },
  waitForImport: {
    en: 'wait for the import to end (or stop it), then undo it',
    zh: '请等导入结束（或停止导入）后再撤销',
  },
  batchNotJournalled: {
    en: 'batch {batch} updated {updated} customers before crm kept their old values: its updates cannot be undone',
    zh: '批次 {batch} 更新了 {updated} 位客户，当时 crm 尚未保存旧值：这些更新无法撤销',
  },
  batchChangedLater: {
    en: 'batch {batch} was not undone: {count} of its customers changed after it: {customers}',
    zh: '批次 {batch} 未撤销：其中 {count} 位客户在此之后又有改动：{customers}',
  },
  undoAndMore: {en: ' and {count} more', zh: ' 等另外 {count} 位'},
  undoForceHint: {
    en:
      'undo the later batches first (crm import list), or add --force to undo it anyway (later changes to these ' +
      'customers are overwritten; customers it added that others refer to are kept as deleted)',
    zh:
      '请先撤销之后的批次（crm import list），或加 --force 强制撤销（这些客户之后的改动会被覆盖；' +
      '被其他记录引用的新增客户将保留为已删除）',
  },
  identityChanges: {
    en:
      'the import stopped before writing anything: {count} of the {matched} existing customers in the first ' +
      '{rows} rows would change {field} (column {column}), {share}; customer ids were read from column {idColumn}, ' +
      'which is usually the wrong one when this happens',
    zh:
      '导入已在写入前停止：前 {rows} 行的 {matched} 位已有客户中有 {count} 位的 {field}（列 {column}）会被改动，' +
      '占 {share}；客户号取自列 {idColumn}，出现这种情况通常是这一列选错了',
  },
  identityChangesHint: {
    en:
      'check which column holds customer_id (--dry-run lists the changes); if the changes are right, add ' +
      '--allow-identity-changes',
    zh: '请检查哪一列是客户号（--dry-run 会列出改动）；如确认改动无误，请加 --allow-identity-changes',
  },
  // f4: review fixes (date ranges, db restore's backup, ids typed loosely, --set twice)
  sinceAfterUntil: {
    en: '--since {since} is after --until {until}: nothing can be in between',
    zh: '--since {since} 晚于 --until {until}：两者之间不可能有记录',
  },
  swapSinceUntil: {en: 'give the earlier day to --since', zh: '请把较早的日期给 --since'},
  backupNewer: {
    en: 'the backup {file} comes from a newer crm: its schema is v{version}, newer than this crm knows (v{latest})',
    zh: '备份 {file} 来自更新版本的 crm：其结构为 v{version}，比本 crm 所知的 v{latest} 更新',
  },
  backupNewerHint: {
    en: 'upgrade crm to restore this backup, or restore one made by this crm; the database was left as it was',
    zh: '请升级 crm 后再恢复此备份，或恢复由本 crm 生成的备份；数据库保持原样',
  },
  backupNotRegular: {
    en: '{file} is not a regular file (a pipe, a device or a socket): a backup is a file made by crm db backup',
    zh: '{file} 不是普通文件（而是管道、设备或套接字）：备份是由 crm db backup 生成的文件',
  },
  setTwice: {
    en: '--set gives {field} two values (as {first} and as {second}): give each field once',
    zh: '--set 给 {field} 指定了两个值（分别写作 {first} 和 {second}）：每个字段只能给一次',
  },
  // f4: end
} as const satisfies Record<string, Message>

export const MESSAGES: Readonly<Record<keyof typeof SHOWN | keyof typeof MADE_IN_ENGLISH, Message>> = {
  ...SHOWN,
  ...MADE_IN_ENGLISH,
}

export type MessageKey = keyof typeof MESSAGES
type EnglishKey = keyof typeof MADE_IN_ENGLISH
/** The messages made in English and put into the reader's language by localize. */
export const ENGLISH_KEYS = Object.keys(MADE_IN_ENGLISH) as readonly EnglishKey[]
export type Params = Readonly<Record<string, string | number>>

const PLACEHOLDER = /\{(\w+)\}/g

/**
 * Templates that begin with a value and say little else ("{file}: {problem}"): taken only when no other makes the text.
 */
const LOOSE: ReadonlySet<EnglishKey> = new Set(['systemProblemAt', 'systemProblem', 'ruleInFlag', 'fileProblem'])

/** A message in the given language, its {names} filled from params. */
export function say(lang: Lang, key: MessageKey, params: Params = {}): string {
  return fill(MESSAGES[key][lang], params)
}

/** A message about a count: its `One` form for exactly one (English says "1 customer", "2 customers"). */
export function sayCount(lang: Lang, key: MessageKey, count: number, params: Params = {}): string {
  const one = `${key}One`
  return say(lang, count === 1 && Object.hasOwn(MESSAGES, one) ? (one as MessageKey) : key, {
    count: count.toLocaleString('en-US'),
    ...params,
  })
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
export function localize(text: string, lang: Lang, nested = false): string {
  if (lang === 'en' || text === '') return text
  // Below its first line a message quotes the input (a scheme's line with a caret under the place): kept as it is.
  const lineEnd = text.indexOf('\n')
  if (lineEnd >= 0) return `${localize(text.slice(0, lineEnd), lang, nested)}${text.slice(lineEnd)}`
  // Of the templates that make the text, the one that says most of it in its own words: "{text} is not a date" makes
  // "the rule is empty" only by taking most of it for a value.
  let best: {key: EnglishKey; groups: Record<string, string>; words: number} | undefined
  for (const [key, message] of Object.entries(MADE_IN_ENGLISH) as [EnglishKey, Message][]) {
    // A value inside a message is not taken apart by a loose template: "private-banking (私人银行), diamond (钻石客户)" is
    // a list, not "{what} ({code})".
    if (nested && LOOSE.has(key)) continue
    const match = templatePattern(message.en).exec(text)
    if (match === null) continue
    let words = message.en.replace(PLACEHOLDER, '').length - (LOOSE.has(key) ? text.length : 0)
    // Of the loose templates, one whose values are made by templates themselves ("{file}: {problem}" around "line 2: a
    // quoted field is not closed") says more of the text than one that takes them as they are.
    if (LOOSE.has(key))
      for (const value of Object.values(match.groups ?? {})) if (madeByTemplate(value)) words += value.length
    if (best === undefined || words > best.words) best = {key, groups: match.groups ?? {}, words}
  }
  if (best !== undefined) {
    const params = Object.fromEntries(
      Object.entries(best.groups).map(([name, value]) => [name, localize(value, lang, true)]),
    )
    return say(lang, best.key, params)
  }
  // Several reasons for one row are joined with '; ' (the reject file, the report).
  return text.includes('; ')
    ? text
        .split('; ')
        .map((part) => localize(part, lang, nested))
        .join('；')
    : text
}

/** Whether a template that is not loose makes the whole text. */
function madeByTemplate(text: string): boolean {
  return Object.entries(MADE_IN_ENGLISH).some(
    ([key, message]) => !LOOSE.has(key as EnglishKey) && templatePattern(message.en).test(text),
  )
}

function templatePattern(template: string): RegExp {
  let source = ''
  let last = 0
  const named = new Set<string>()
  for (const m of template.matchAll(PLACEHOLDER)) {
    // A value never spans '; ', which joins the reasons of one row: each is matched on its own. A value named again
    // (a file, a tier) is the same text again.
    const value = named.has(m[1]) ? `\\k<${m[1]}>` : `(?<${m[1]}>(?:(?!; )[\\s\\S])*?)`
    named.add(m[1])
    source += `${escapeRegExp(template.slice(last, m.index))}${value}`
    last = m.index + m[0].length
  }
  return new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
