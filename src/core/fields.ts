/** The canonical customer fields (design.md), their kinds and the header names that mean them. */
export type FieldKind = 'text' | 'enum' | 'id_number' | 'phone' | 'email' | 'date' | 'money' | 'integer'

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
}

const TYPE_VALUES = {
  individual: 'individual', personal: 'individual', retail: 'individual', person: 'individual',
  '个人': 'individual', '对私': 'individual', '个人客户': 'individual', '零售': 'individual', '自然人': 'individual',
  corporate: 'corporate', company: 'corporate', business: 'corporate', enterprise: 'corporate',
  '对公': 'corporate', '企业': 'corporate', '公司': 'corporate', '对公客户': 'corporate', '企业客户': 'corporate', '单位': 'corporate',
}
const ID_TYPE_VALUES = {
  resident_id: 'resident_id', '居民身份证': 'resident_id', '身份证': 'resident_id', id_card: 'resident_id',
  uscc: 'uscc', '统一社会信用代码': 'uscc', '营业执照': 'uscc',
  passport: 'passport', '护照': 'passport',
  other: 'other', '其他': 'other', '其它': 'other',
}
const STATUS_VALUES = {
  active: 'active', '正常': 'active', '活跃': 'active', '有效': 'active',
  dormant: 'dormant', '休眠': 'dormant', '睡眠': 'dormant', '久悬': 'dormant', '不动户': 'dormant',
  closed: 'closed', '销户': 'closed', '已销户': 'closed', '关闭': 'closed', '注销': 'closed',
}

export const CUSTOMER_FIELDS: readonly FieldSpec[] = [
  {name: 'customer_id', kind: 'text', required: true, aliases: ['客户号', '客户编号', '客户代码', '客户ID', 'cust_id', 'customer_no', 'customer_number', 'id'], label: {en: 'Customer ID', zh: '客户号'}},
  {name: 'name', kind: 'text', required: true, aliases: ['客户名称', '姓名', '客户姓名', '名称', '企业名称', 'customer_name'], label: {en: 'Name', zh: '客户名称'}},
  {name: 'type', kind: 'enum', required: true, aliases: ['客户类型', '客户性质', 'customer_type'], values: TYPE_VALUES, label: {en: 'Type', zh: '客户类型'}},
  {name: 'id_type', kind: 'enum', aliases: ['证件类型'], values: ID_TYPE_VALUES, label: {en: 'ID type', zh: '证件类型'}},
  {name: 'id_number', kind: 'id_number', aliases: ['证件号码', '证件号', '身份证号', '身份证号码', '统一社会信用代码'], label: {en: 'ID number', zh: '证件号码'}},
  {name: 'phone', kind: 'phone', aliases: ['手机号码', '手机号', '联系电话', '电话', 'mobile', 'tel'], label: {en: 'Phone', zh: '手机'}},
  {name: 'email', kind: 'email', aliases: ['电子邮箱', '邮箱', 'e-mail', 'mail'], label: {en: 'Email', zh: '电子邮箱'}},
  {name: 'branch', kind: 'text', aliases: ['所属网点', '所属机构', '网点', '开户网点', '所属支行', '机构'], label: {en: 'Branch', zh: '所属网点'}},
  {name: 'rm', kind: 'text', aliases: ['客户经理', '客户经理编号', '管户经理', 'relationship_manager'], label: {en: 'RM', zh: '客户经理'}},
  {name: 'opened_on', kind: 'date', aliases: ['开户日期', '开户时间'], label: {en: 'Opened', zh: '开户日期'}},
  {name: 'birth_date', kind: 'date', aliases: ['出生日期', '生日', 'birthday', 'date_of_birth'], label: {en: 'Born', zh: '出生日期'}},
  {name: 'aum', kind: 'money', aliases: ['金融资产', '资产余额', '金融资产余额', '管理资产'], label: {en: 'AUM', zh: '金融资产'}},
  {name: 'deposits', kind: 'money', aliases: ['存款余额', '存款'], label: {en: 'Deposits', zh: '存款'}},
  {name: 'loans', kind: 'money', aliases: ['贷款余额', '贷款'], label: {en: 'Loans', zh: '贷款'}},
  {name: 'overdue_days', kind: 'integer', aliases: ['逾期天数'], label: {en: 'Days overdue', zh: '逾期天数'}},
  {name: 'products', kind: 'integer', aliases: ['持有产品数', '产品数'], label: {en: 'Products', zh: '持有产品数'}},
  {name: 'contribution', kind: 'money', signed: true, aliases: ['综合贡献', '贡献度'], label: {en: 'Contribution', zh: '综合贡献'}},
  {name: 'last_txn_on', kind: 'date', aliases: ['最近交易日期', '最后交易日期'], label: {en: 'Last transaction', zh: '最近交易日期'}},
  {name: 'txn_count_12m', kind: 'integer', aliases: ['近12个月交易笔数', '交易笔数'], label: {en: 'Transactions (12m)', zh: '近12个月交易笔数'}},
  {name: 'industry', kind: 'text', aliases: ['行业', '所属行业', '行业代码', '行业分类'], label: {en: 'Industry', zh: '行业'}},
  {name: 'employees', kind: 'integer', aliases: ['从业人员', '从业人数', '员工人数'], label: {en: 'Employees', zh: '从业人员'}},
  {name: 'revenue', kind: 'money', aliases: ['营业收入'], label: {en: 'Revenue', zh: '营业收入'}},
  {name: 'total_assets', kind: 'money', aliases: ['资产总额', '总资产'], label: {en: 'Total assets', zh: '资产总额'}},
  {name: 'credit_rating', kind: 'text', aliases: ['信用等级', '信用评级'], label: {en: 'Credit rating', zh: '信用等级'}},
  {name: 'status', kind: 'enum', aliases: ['客户状态', '状态'], values: STATUS_VALUES, label: {en: 'Status', zh: '客户状态'}},
]

export const FIELD_NAMES: readonly string[] = CUSTOMER_FIELDS.map((f) => f.name)
export const MONEY_FIELDS: readonly string[] = CUSTOMER_FIELDS.filter((f) => f.kind === 'money').map((f) => f.name)

export function fieldSpec(name: string): FieldSpec | undefined {
  return CUSTOMER_FIELDS.find((f) => f.name === name)
}

/** 'Customer ID', 'customer_id' and 'CUSTOMER-ID' all compare equal. */
export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_\-.]+/g, '')
}

const HEADER_INDEX: ReadonlyMap<string, string> = new Map(
  CUSTOMER_FIELDS.flatMap((f) => [f.name, ...f.aliases].map((h) => [normalizeHeader(h), f.name] as const)),
)

/** The canonical field a header means, by name or alias, if any. */
export function fieldForHeader(header: string): string | undefined {
  return HEADER_INDEX.get(normalizeHeader(header))
}
