/**
 * The industry rows of the 2011 SME standard (工信部联企业〔2011〕300号, standards.md §1), from however a bank's
 * export writes a customer's industry: a GB/T 4754 code (C3011, 3011, 52), a section letter (C) or a Chinese
 * name (制造业, 零售业). Industries the standard does not cover (finance, education, health, public
 * administration, railways, 自有房地产经营) and ambiguous entries (the letter F is wholesale or retail) give null.
 */

export const SME_INDUSTRIES = [
  '农林牧渔业',
  '工业',
  '建筑业',
  '批发业',
  '零售业',
  '交通运输业',
  '仓储业',
  '邮政业',
  '住宿业',
  '餐饮业',
  '信息传输业',
  '软件和信息技术服务业',
  '房地产开发经营',
  '物业管理',
  '租赁和商务服务业',
  '其他未列明行业',
] as const
export type SmeIndustry = (typeof SME_INDUSTRIES)[number]

const OTHER: SmeIndustry = '其他未列明行业'

/** GB/T 4754-2017 divisions (two digits) to the standard's rows. Division 70 (real estate) needs its group. */
function byDivision(division: number): SmeIndustry | null {
  if (division >= 1 && division <= 5) return '农林牧渔业'
  if (division >= 6 && division <= 46) return '工业' // B mining, C manufacturing, D power, heat, gas and water
  if (division >= 47 && division <= 50) return '建筑业'
  if (division === 51) return '批发业'
  if (division === 52) return '零售业'
  if (division >= 54 && division <= 58) return '交通运输业' // 53 railways are excluded by the standard
  if (division === 59) return '仓储业'
  if (division === 60) return '邮政业'
  if (division === 61) return '住宿业'
  if (division === 62) return '餐饮业'
  if (division === 63 || division === 64) return '信息传输业'
  if (division === 65) return '软件和信息技术服务业'
  if (division === 71 || division === 72) return '租赁和商务服务业'
  // M, N, O, Q 社会工作, R
  if ((division >= 73 && division <= 82) || division === 85 || (division >= 86 && division <= 90)) return OTHER
  return null
}

/** Groups of division 70: 701 development, 702 property management, 703 agencies and 709 other real estate. */
function realEstate(group: string): SmeIndustry | null {
  if (group.startsWith('701')) return '房地产开发经营'
  if (group.startsWith('702')) return '物业管理'
  if (group.startsWith('703') || group.startsWith('709')) return OTHER
  return null
}

const SECTIONS: Readonly<Record<string, SmeIndustry>> = {
  A: '农林牧渔业',
  B: '工业',
  C: '工业',
  D: '工业',
  E: '建筑业',
  L: '租赁和商务服务业',
  M: OTHER,
  N: OTHER,
  O: OTHER,
  R: OTHER,
}

const NAMES: Readonly<Record<string, SmeIndustry>> = Object.fromEntries([
  ...SME_INDUSTRIES.map((name) => [name, name]),
  ...['农业', '林业', '畜牧业', '渔业', '农林牧渔', '农林牧渔专业及辅助性活动'].map((n) => [n, '农林牧渔业']),
  ...[
    '采矿业',
    '制造业',
    '电力热力燃气及水生产和供应业',
    '电力热力生产和供应业',
    '燃气生产和供应业',
    '水的生产和供应业',
  ].map((n) => [n, '工业']),
  ...['房屋建筑业', '土木工程建筑业', '建筑安装业', '建筑装饰装修和其他建筑业'].map((n) => [n, '建筑业']),
  ...['道路运输业', '水上运输业', '航空运输业', '管道运输业', '多式联运和运输代理业', '装卸搬运和运输代理业'].map(
    (n) => [n, '交通运输业'],
  ),
  ...['装卸搬运和仓储业'].map((n) => [n, '仓储业']),
  ...['电信广播电视和卫星传输服务', '互联网和相关服务'].map((n) => [n, '信息传输业']),
  ...['房地产开发'].map((n) => [n, '房地产开发经营']),
  ...['物业管理业', '物业服务'].map((n) => [n, '物业管理']),
  ...['租赁业', '商务服务业'].map((n) => [n, '租赁和商务服务业']),
  ...[
    '其他行业',
    '科学研究和技术服务业',
    '水利环境和公共设施管理业',
    '居民服务修理和其他服务业',
    '社会工作',
    '文化体育和娱乐业',
    '房地产中介服务',
    '其他房地产业',
  ].map((n) => [n, OTHER]),
] as [string, SmeIndustry][])

const CODE = /^([A-T])?(\d{2,4})$/

/** The SME standard's industry row for an industry as written, or null when the standard does not size it. */
export function smeIndustry(written: string): SmeIndustry | null {
  const text = written.replace(/[\s、，,．·]/g, '').toUpperCase()
  if (text === '') return null
  const named = NAMES[text.replace(/、/g, '')]
  if (named !== undefined) return named
  if (text.length === 1) return SECTIONS[text] ?? null
  const code = CODE.exec(text)
  if (code === null) return null
  const digits = code[2]
  const division = Number(digits.slice(0, 2))
  if (division === 70) return realEstate(digits)
  const industry = byDivision(division)
  // A section letter must agree with the division (C30 yes, A30 no): a mismatch is a typo we do not guess at.
  if (industry !== null && code[1] !== undefined && sectionOf(division) !== code[1]) return null
  return industry
}

const SECTION_STARTS: readonly [string, number][] = [
  ['A', 1],
  ['B', 6],
  ['C', 13],
  ['D', 44],
  ['E', 47],
  ['F', 51],
  ['G', 53],
  ['H', 61],
  ['I', 63],
  ['J', 66],
  ['K', 70],
  ['L', 71],
  ['M', 73],
  ['N', 76],
  ['O', 80],
  ['P', 83],
  ['Q', 84],
  ['R', 86],
  ['S', 91],
  ['T', 97],
]

function sectionOf(division: number): string {
  let section = 'A'
  for (const [letter, start] of SECTION_STARTS) if (division >= start) section = letter
  return section
}
