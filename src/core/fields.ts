/** The canonical customer fields (design.md), their kinds and the header names that mean them. */
export type FieldKind = 'text' | 'enum' | 'id_number' | 'phone' | 'email' | 'date' | 'datetime' | 'money' | 'integer'

export interface FieldSpec {
  readonly name: string
  readonly kind: FieldKind
  readonly required?: boolean
  /** Money that may be negative (a loss-making customer's contribution). */
  readonly signed?: boolean
  readonly aliases: readonly string[]
  /** For enums: every accepted spelling (lower-cased) to the canonical value. */
  readonly values?: Readonly<Record<string, string>>
  readonly label: {readonly en: string; readonly zh: string}
  /** Kept exactly as written (no trimming): free text such as a contact's notes. */
  readonly verbatim?: boolean
  /** A key that rows are matched on: full-width letters and digits are read as ASCII (NFKC), so Ｃ００１ is C001. */
  readonly key?: boolean
}

const TYPE_VALUES = {
  individual: 'individual',
  personal: 'individual',
  retail: 'individual',
  person: 'individual',
  个人: 'individual',
  对私: 'individual',
  个人客户: 'individual',
  零售: 'individual',
  自然人: 'individual',
  corporate: 'corporate',
  company: 'corporate',
  business: 'corporate',
  enterprise: 'corporate',
  对公: 'corporate',
  企业: 'corporate',
  公司: 'corporate',
  对公客户: 'corporate',
  企业客户: 'corporate',
  单位: 'corporate',
}
const ID_TYPE_VALUES = {
  resident_id: 'resident_id',
  居民身份证: 'resident_id',
  身份证: 'resident_id',
  id_card: 'resident_id',
  uscc: 'uscc',
  统一社会信用代码: 'uscc',
  营业执照: 'uscc',
  passport: 'passport',
  护照: 'passport',
  other: 'other',
  其他: 'other',
  其它: 'other',
}
const STATUS_VALUES = {
  active: 'active',
  正常: 'active',
  活跃: 'active',
  有效: 'active',
  dormant: 'dormant',
  休眠: 'dormant',
  睡眠: 'dormant',
  久悬: 'dormant',
  不动户: 'dormant',
  closed: 'closed',
  销户: 'closed',
  已销户: 'closed',
  关闭: 'closed',
  注销: 'closed',
}

export const CUSTOMER_FIELDS: readonly FieldSpec[] = [
  {
    name: 'customer_id',
    kind: 'text',
    required: true,
    key: true,
    aliases: ['客户号', '客户编号', '客户代码', '客户ID', 'cust_id', 'customer_no', 'customer_number', 'id'],
    label: {en: 'Customer ID', zh: '客户号'},
  },
  {
    name: 'name',
    kind: 'text',
    required: true,
    aliases: ['客户名称', '姓名', '客户姓名', '名称', '企业名称', 'customer_name'],
    label: {en: 'Name', zh: '客户名称'},
  },
  {
    name: 'type',
    kind: 'enum',
    required: true,
    aliases: ['客户类型', '客户性质', 'customer_type'],
    values: TYPE_VALUES,
    label: {en: 'Type', zh: '客户类型'},
  },
  {
    name: 'id_type',
    kind: 'enum',
    aliases: ['证件类型'],
    values: ID_TYPE_VALUES,
    label: {en: 'ID type', zh: '证件类型'},
  },
  {
    name: 'id_number',
    kind: 'id_number',
    aliases: ['证件号码', '证件号', '身份证号', '身份证号码', '统一社会信用代码'],
    label: {en: 'ID number', zh: '证件号码'},
  },
  {
    name: 'phone',
    kind: 'phone',
    aliases: ['手机号码', '手机号', '联系电话', '电话', 'mobile', 'tel'],
    label: {en: 'Phone', zh: '手机'},
  },
  {name: 'email', kind: 'email', aliases: ['电子邮箱', '邮箱', 'e-mail', 'mail'], label: {en: 'Email', zh: '电子邮箱'}},
  {
    name: 'branch',
    kind: 'text',
    aliases: ['所属网点', '所属机构', '网点', '开户网点', '所属支行', '机构'],
    label: {en: 'Branch', zh: '所属网点'},
  },
  {
    name: 'rm',
    kind: 'text',
    aliases: ['客户经理', '客户经理编号', '管户经理', 'relationship_manager'],
    label: {en: 'RM', zh: '客户经理'},
  },
  {name: 'opened_on', kind: 'date', aliases: ['开户日期', '开户时间'], label: {en: 'Opened', zh: '开户日期'}},
  {
    name: 'birth_date',
    kind: 'date',
    aliases: ['出生日期', '生日', 'birthday', 'date_of_birth'],
    label: {en: 'Born', zh: '出生日期'},
  },
  {
    name: 'aum',
    kind: 'money',
    aliases: ['金融资产', '资产余额', '金融资产余额', '管理资产'],
    label: {en: 'AUM', zh: '金融资产'},
  },
  {name: 'deposits', kind: 'money', aliases: ['存款余额', '存款'], label: {en: 'Deposits', zh: '存款'}},
  {name: 'loans', kind: 'money', aliases: ['贷款余额', '贷款'], label: {en: 'Loans', zh: '贷款'}},
  {name: 'overdue_days', kind: 'integer', aliases: ['逾期天数'], label: {en: 'Days overdue', zh: '逾期天数'}},
  {name: 'products', kind: 'integer', aliases: ['持有产品数', '产品数'], label: {en: 'Products', zh: '持有产品数'}},
  {
    name: 'contribution',
    kind: 'money',
    signed: true,
    aliases: ['综合贡献', '贡献度'],
    label: {en: 'Contribution', zh: '综合贡献'},
  },
  {
    name: 'last_txn_on',
    kind: 'date',
    aliases: ['最近交易日期', '最后交易日期'],
    label: {en: 'Last transaction', zh: '最近交易日期'},
  },
  {
    name: 'txn_count_12m',
    kind: 'integer',
    aliases: ['近12个月交易笔数', '交易笔数'],
    label: {en: 'Transactions (12m)', zh: '近12个月交易笔数'},
  },
  {
    name: 'industry',
    kind: 'text',
    aliases: ['行业', '所属行业', '行业代码', '行业分类'],
    label: {en: 'Industry', zh: '行业'},
  },
  {
    name: 'employees',
    kind: 'integer',
    aliases: ['从业人员', '从业人数', '员工人数'],
    label: {en: 'Employees', zh: '从业人员'},
  },
  {name: 'revenue', kind: 'money', aliases: ['营业收入'], label: {en: 'Revenue', zh: '营业收入'}},
  {name: 'total_assets', kind: 'money', aliases: ['资产总额', '总资产'], label: {en: 'Total assets', zh: '资产总额'}},
  {
    name: 'credit_rating',
    kind: 'text',
    aliases: ['信用等级', '信用评级'],
    label: {en: 'Credit rating', zh: '信用等级'},
  },
  {
    name: 'status',
    kind: 'enum',
    aliases: ['客户状态', '状态'],
    values: STATUS_VALUES,
    label: {en: 'Status', zh: '客户状态'},
  },
]

export const CHANNEL_VALUES = {
  branch: 'branch',
  网点: 'branch',
  柜面: 'branch',
  营业厅: 'branch',
  到店: 'branch',
  phone: 'phone',
  电话: 'phone',
  call: 'phone',
  电话联系: 'phone',
  wechat: 'wechat',
  微信: 'wechat',
  企业微信: 'wechat',
  sms: 'sms',
  短信: 'sms',
  email: 'email',
  'e-mail': 'email',
  邮件: 'email',
  电子邮件: 'email',
  video: 'video',
  视频: 'video',
  视频通话: 'video',
  visit: 'visit',
  上门: 'visit',
  拜访: 'visit',
  走访: 'visit',
  上门拜访: 'visit',
  online: 'online',
  网银: 'online',
  手机银行: 'online',
  线上: 'online',
  app: 'online',
  event: 'event',
  活动: 'event',
  沙龙: 'event',
  客户活动: 'event',
}
export const DIRECTION_VALUES = {
  in: 'in',
  inbound: 'in',
  呼入: 'in',
  来访: 'in',
  客户来电: 'in',
  out: 'out',
  outbound: 'out',
  呼出: 'out',
  外呼: 'out',
  主动联系: 'out',
}
export const PURPOSE_VALUES = {
  service: 'service',
  服务: 'service',
  咨询: 'service',
  marketing: 'marketing',
  营销: 'marketing',
  推荐: 'marketing',
  review: 'review',
  回访: 'review',
  复核: 'review',
  检视: 'review',
  complaint: 'complaint',
  投诉: 'complaint',
  collection: 'collection',
  催收: 'collection',
  onboarding: 'onboarding',
  开户: 'onboarding',
  新客: 'onboarding',
  other: 'other',
  其他: 'other',
  其它: 'other',
}

/** The fields of a contact with a customer (design.md). */
export const CONTACT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'customer_id',
    kind: 'text',
    required: true,
    key: true,
    aliases: CUSTOMER_FIELDS[0].aliases,
    label: {en: 'Customer ID', zh: '客户号'},
  },
  {
    name: 'at',
    kind: 'datetime',
    required: true,
    aliases: ['联系时间', '时间', '联系日期', '日期', 'date', 'time', 'contacted_at'],
    label: {en: 'When', zh: '联系时间'},
  },
  {
    name: 'channel',
    kind: 'enum',
    required: true,
    aliases: ['渠道', '联系渠道', '联系方式', '方式'],
    values: CHANNEL_VALUES,
    label: {en: 'Channel', zh: '渠道'},
  },
  {
    name: 'direction',
    kind: 'enum',
    aliases: ['方向', '呼叫方向'],
    values: DIRECTION_VALUES,
    label: {en: 'Direction', zh: '方向'},
  },
  {
    name: 'purpose',
    kind: 'enum',
    required: true,
    aliases: ['目的', '联系目的', '事由'],
    values: PURPOSE_VALUES,
    label: {en: 'Purpose', zh: '目的'},
  },
  {name: 'outcome', kind: 'text', verbatim: true, aliases: ['结果', '联系结果'], label: {en: 'Outcome', zh: '结果'}},
  {name: 'rm', kind: 'text', aliases: ['客户经理', '经办人', '坐席'], label: {en: 'RM', zh: '客户经理'}},
  {
    name: 'notes',
    kind: 'text',
    verbatim: true,
    aliases: ['备注', '内容', '联系内容', '沟通内容', 'note'],
    label: {en: 'Notes', zh: '备注'},
  },
  {
    name: 'follow_up_on',
    kind: 'date',
    aliases: ['下次跟进日期', '跟进日期', '跟进', 'follow_up'],
    label: {en: 'Follow up', zh: '下次跟进'},
  },
  // The contact's offset from UTC (contact export writes it): from this column, or from a time written with one
  // (…+08:00).
  {
    name: 'utc_offset',
    kind: 'text',
    aliases: ['offset', 'utc', '时区', 'UTC偏移', '时差'],
    label: {en: 'UTC offset', zh: 'UTC偏移'},
  },
]

/** The customer fields with none required: rows to classify (`classify check`) need only what the scheme reads. */
export const OPTIONAL_CUSTOMER_FIELDS: readonly FieldSpec[] = CUSTOMER_FIELDS.map((f) => ({...f, required: false}))

export const FIELD_NAMES: readonly string[] = CUSTOMER_FIELDS.map((f) => f.name)
export const MONEY_FIELDS: readonly string[] = CUSTOMER_FIELDS.filter((f) => f.kind === 'money').map((f) => f.name)

export function fieldSpec(name: string, fields: readonly FieldSpec[] = CUSTOMER_FIELDS): FieldSpec | undefined {
  return fields.find((f) => f.name === name)
}

/** 'Customer ID', 'customer_id' and 'CUSTOMER-ID' all compare equal. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '')
}

/** What each header means, by name or alias (normalized): build it once for a file's header and look each column up. */
export function headerIndex(fields: readonly FieldSpec[] = CUSTOMER_FIELDS): ReadonlyMap<string, string> {
  return new Map(fields.flatMap((f) => [f.name, ...f.aliases].map((h) => [normalizeHeader(h), f.name] as const)))
}
