/**
 * A seeded generator of realistic customer books: Chinese names, valid resident IDs and unified social credit
 * codes, several branches and managers, AUM spread from mass to private banking. The same seed gives the same file.
 *
 *   npx tsx bench/generate.ts --rows 2000 --seed 7 --out data/customers.csv [--headers zh|en] [--encoding gbk]
 */
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'
import iconv from 'iconv-lite'
import {orgCodeCheckChar, residentIdCheckChar, usccCheckChar} from '../src/core/identifiers.js'

export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
]
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文华玉兰萍红娥玲飞鹏辉宇浩凯婷雪琳晨欣怡子涵梓轩思远建国志强海燕晓东春梅国庆丹',
]
const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '苏州', '宁波']
const BRANCHES = [
  '北京分行西城支行',
  '北京分行朝阳支行',
  '上海分行浦东支行',
  '上海分行徐汇支行',
  '广州分行天河支行',
  '深圳分行南山支行',
  '杭州分行西湖支行',
  '成都分行高新支行',
]
const AREA_CODES = ['110105', '110102', '310115', '310104', '440106', '440305', '330106', '510107', '420106', '320505']
const FIRM_WORDS = ['华信', '恒通', '瑞丰', '宏达', '鑫源', '远航', '天成', '嘉禾', '中科', '蓝海', '金桥', '新锐']
const INDUSTRIES: readonly [string, string][] = [
  ['C', '制造'],
  ['52', '零售'],
  ['51', '批发'],
  ['E', '建筑'],
  ['65', '软件'],
  ['L', '商务服务'],
  ['61', '住宿'],
  ['62', '餐饮'],
  ['59', '仓储'],
  ['A', '农业'],
]
const RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B']
const RISK = ['保守型', '稳健型', '平衡型', '成长型', '进取型']
const CHANNELS = ['网点', '手机银行', '代发工资', '转介绍', '线上活动']

export const ZH_HEADERS = [
  '客户号',
  '客户名称',
  '客户类型',
  '证件类型',
  '证件号码',
  '手机号码',
  '电子邮箱',
  '所属网点',
  '客户经理',
  '开户日期',
  '出生日期',
  '金融资产',
  '存款余额',
  '贷款余额',
  '逾期天数',
  '持有产品数',
  '综合贡献',
  '最近交易日期',
  '近12个月交易笔数',
  '行业',
  '从业人员',
  '营业收入',
  '资产总额',
  '信用等级',
  '客户状态',
  '风险偏好',
  '渠道来源',
]
export const EN_HEADERS = [
  'customer_id',
  'name',
  'type',
  'id_type',
  'id_number',
  'phone',
  'email',
  'branch',
  'rm',
  'opened_on',
  'birth_date',
  'aum',
  'deposits',
  'loans',
  'overdue_days',
  'products',
  'contribution',
  'last_txn_on',
  'txn_count_12m',
  'industry',
  'employees',
  'revenue',
  'total_assets',
  'credit_rating',
  'status',
  'risk_appetite',
  'source_channel',
]

const pad = (n: number, width: number) => String(n).padStart(width, '0')
const money = (fen: number) => `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}`

/** One customer row as text cells, in EN_HEADERS order. */
export function customerRow(i: number, random: () => number, asOfYear = 2026): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const corporate = random() < 0.15
  const id = `C${pad(100_000_000 + i, 9)}`
  const branch = pick(BRANCHES)
  const rm = `RM${pad(1 + Math.floor(random() * 40), 4)}`
  const openedYear = 2000 + Math.floor(random() * 26)
  const opened = `${openedYear}-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}`
  // Log-normal AUM: most customers hold little, a few hold millions.
  const aumYuan = Math.exp(9 + random() * 4.5 + (random() < 0.02 ? 3 : 0))
  const aum = Math.floor(aumYuan * 100)
  const deposits = Math.floor(aum * (0.3 + random() * 0.6))
  const loans = random() < 0.3 ? Math.floor(random() * 200_000_000) : 0
  const overdue = loans > 0 && random() < 0.12 ? Math.floor(random() * 420) : 0
  const contribution = Math.floor((random() - 0.1) * aum * 0.02)
  const lastTxn = `${asOfYear - (random() < 0.2 ? 1 : 0)}-${pad(1 + Math.floor(random() * 11), 2)}-${pad(1 + Math.floor(random() * 28), 2)}`
  const status = random() < 0.9 ? '正常' : random() < 0.7 ? '休眠' : '销户'
  if (corporate) {
    const [industry, word] = pick(INDUSTRIES)
    const name = `${pick(CITIES)}${pick(FIRM_WORDS)}${word}有限公司`
    const org8 = `${random() < 0.3 ? 'MA' : pad(Math.floor(random() * 100), 2)}${pad(Math.floor(random() * 1e6), 6)}`
    const first17 = `91${pick(AREA_CODES)}${org8}${orgCodeCheckChar(org8)}`
    const uscc = first17 + usccCheckChar(first17)
    const employees = Math.floor(Math.exp(random() * 8))
    const revenue = Math.floor(Math.exp(13 + random() * 8)) * 100
    const assets = Math.floor(Math.exp(13 + random() * 8)) * 100
    return [
      id,
      name,
      '对公',
      '统一社会信用代码',
      uscc,
      `0${pick(['10', '21', '20', '755', '571', '28'])}-${pad(Math.floor(random() * 1e8), 8)}`,
      `finance${i}@example.com.cn`,
      branch,
      rm,
      opened,
      '',
      money(aum),
      money(deposits),
      money(loans),
      String(overdue),
      String(1 + Math.floor(random() * 6)),
      money(Math.abs(contribution)),
      lastTxn,
      String(Math.floor(random() * 2400)),
      industry,
      String(employees),
      money(revenue),
      money(assets),
      pick(RATINGS),
      status,
      '',
      pick(CHANNELS),
    ]
  }
  const name = pick(SURNAMES) + pick(GIVEN) + (random() < 0.6 ? pick(GIVEN) : '')
  const birthYear = 1940 + Math.floor(random() * 65)
  const birth = `${birthYear}${pad(1 + Math.floor(random() * 12), 2)}${pad(1 + Math.floor(random() * 28), 2)}`
  const first17 = `${pick(AREA_CODES)}${birth}${pad(Math.floor(random() * 1000), 3)}`
  const residentId = first17 + residentIdCheckChar(first17)
  const phone = `1${pick(['3', '5', '7', '8', '9'])}${pad(Math.floor(random() * 1e9), 9)}`
  const email = random() < 0.3 ? `user${i}@example.cn` : ''
  return [
    id,
    name,
    '个人',
    '身份证',
    residentId,
    phone,
    email,
    branch,
    rm,
    opened,
    `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
    money(aum),
    money(deposits),
    money(loans),
    String(overdue),
    String(1 + Math.floor(random() * 8)),
    money(Math.max(contribution, 0)),
    lastTxn,
    String(Math.floor(random() * 600)),
    '',
    '',
    '',
    '',
    '',
    status,
    pick(RISK),
    pick(CHANNELS),
  ]
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export interface GenerateOptions {
  readonly rows: number
  readonly seed: number
  readonly out: string
  readonly headers?: 'zh' | 'en'
  readonly encoding?: 'utf-8' | 'gbk'
  readonly start?: number
}

/** Writes a customer CSV; memory stays flat however many rows. */
export async function generateCustomers(options: GenerateOptions): Promise<void> {
  const random = rng(options.seed)
  const out = createWriteStream(options.out)
  const encode = (text: string) => (options.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text))
  let chunk = `${(options.headers === 'en' ? EN_HEADERS : ZH_HEADERS).join(',')}\r\n`
  const start = options.start ?? 0
  for (let i = start; i < start + options.rows; i++) {
    chunk += `${customerRow(i, random).map(csvCell).join(',')}\r\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(encode(chunk))) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(encode(chunk))
  await once(out, 'finish')
}

function argument(name: string, fallback?: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 ? process.argv[at + 1] : fallback
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await generateCustomers({
    rows: Number(argument('rows', '2000')),
    seed: Number(argument('seed', '7')),
    out: argument('out', 'customers.csv')!,
    headers: argument('headers', 'zh') as 'zh' | 'en',
    encoding: argument('encoding', 'utf-8') as 'utf-8' | 'gbk',
    start: Number(argument('start', '0')),
  })
}

const CHANNEL_NAMES = [
  'phone',
  'wechat',
  'branch',
  'sms',
  'email',
  'visit',
  'online',
  'video',
  'event',
  '电话',
  '微信',
  '网点',
]
const PURPOSE_NAMES = ['service', 'marketing', 'review', 'complaint', 'collection', 'onboarding', '回访', '营销']
const OUTCOMES = ['reached', 'no answer', 'interested', 'declined', 'call back', '已接通', '未接通']
const NOTES = [
  '',
  '',
  'Asked about the fixed deposit rate',
  '客户询问理财产品到期安排',
  'Follow up on the mortgage application',
  '投诉网点排队时间长',
  'Left a message',
]

/** Writes a contact log for customers C100000000 … (as customerRow numbers them); memory stays flat. */
export async function generateContacts(options: {
  rows: number
  customers: number
  seed: number
  out: string
}): Promise<void> {
  const random = rng(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const out = createWriteStream(options.out)
  let chunk = 'customer_id,at,channel,direction,purpose,outcome,rm,notes,follow_up_on\r\n'
  for (let i = 0; i < options.rows; i++) {
    const customer = `C${pad(100_000_000 + Math.floor(random() * options.customers), 9)}`
    // Contact logs come in time order: spread the rows evenly over 2026-01-01 … 2026-10-31.
    const when = new Date(
      Date.UTC(2026, 0, 1) + Math.floor((i / options.rows) * 303 * 86_400_000) + Math.floor(random() * 1000),
    )
    const at = when.toISOString().slice(0, 19).replace('T', ' ')
    const followUp =
      random() < 0.1 ? `2027-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}` : ''
    chunk += `${[customer, at, pick(CHANNEL_NAMES), random() < 0.7 ? 'out' : 'in', pick(PURPOSE_NAMES), pick(OUTCOMES), `RM${pad(1 + Math.floor(random() * 40), 4)}`, pick(NOTES), followUp].map(csvCell).join(',')}\r\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}
