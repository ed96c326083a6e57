/**
 * The 2011 SME standard as a scheme. The thresholds are data (one row per industry, standards.md §1) and the
 * scheme's rules are written out from them, so a revision of the standard is a change to this table only.
 */

type Indicator = 'employees' | 'revenue' | 'total_assets'
interface Row {
  readonly industry: string
  readonly indicators: readonly Indicator[]
  /** Lower bounds per indicator for large, medium and small: persons, or 万元 for revenue and total assets. */
  readonly large: readonly number[]
  readonly medium: readonly number[]
  readonly small: readonly number[]
}

const X: Indicator = 'employees'
const Y: Indicator = 'revenue'
const Z: Indicator = 'total_assets'

export const SME_THRESHOLDS: readonly Row[] = [
  {industry: '农林牧渔业', indicators: [Y], large: [20000], medium: [500], small: [50]},
  {industry: '工业', indicators: [X, Y], large: [1000, 40000], medium: [300, 2000], small: [20, 300]},
  {industry: '建筑业', indicators: [Y, Z], large: [80000, 80000], medium: [6000, 5000], small: [300, 300]},
  {industry: '批发业', indicators: [X, Y], large: [200, 40000], medium: [20, 5000], small: [5, 1000]},
  {industry: '零售业', indicators: [X, Y], large: [300, 20000], medium: [50, 500], small: [10, 100]},
  {industry: '交通运输业', indicators: [X, Y], large: [1000, 30000], medium: [300, 3000], small: [20, 200]},
  {industry: '仓储业', indicators: [X, Y], large: [200, 30000], medium: [100, 1000], small: [20, 100]},
  {industry: '邮政业', indicators: [X, Y], large: [1000, 30000], medium: [300, 2000], small: [20, 100]},
  {industry: '住宿业', indicators: [X, Y], large: [300, 10000], medium: [100, 2000], small: [10, 100]},
  {industry: '餐饮业', indicators: [X, Y], large: [300, 10000], medium: [100, 2000], small: [10, 100]},
  {industry: '信息传输业', indicators: [X, Y], large: [2000, 100000], medium: [100, 1000], small: [10, 100]},
  {industry: '软件和信息技术服务业', indicators: [X, Y], large: [300, 10000], medium: [100, 1000], small: [10, 50]},
  {industry: '房地产开发经营', indicators: [Y, Z], large: [200000, 10000], medium: [1000, 5000], small: [100, 2000]},
  {industry: '物业管理', indicators: [X, Y], large: [1000, 5000], medium: [300, 1000], small: [100, 500]},
  {industry: '租赁和商务服务业', indicators: [X, Z], large: [300, 120000], medium: [100, 8000], small: [10, 100]},
  {industry: '其他未列明行业', indicators: [X], large: [300], medium: [100], small: [10]},
]

/** One indicator against a bound: persons as written, amounts in 万元. */
const condition = (indicator: Indicator, op: '>=' | '<', value: number) =>
  `${indicator} ${op} ${indicator === X ? value : `${value}万`}`

/**
 * Every industry's clause for a tier's floors, one line each: all floors met (large, medium, small), or for micro
 * any one known indicator below the small floor.
 */
function byIndustry(tier: 'large' | 'medium' | 'small' | 'micro'): string {
  return SME_THRESHOLDS.map((r) => {
    const parts = r.indicators.map((x, i) =>
      tier === 'micro' ? condition(x, '<', r.small[i]) : condition(x, '>=', r[tier][i]),
    )
    const all = tier === 'micro' && parts.length > 1 ? `(${parts.join(' or ')})` : parts.join(' and ')
    return `(sector = '${r.industry}' and ${all})`
  }).join('\n      or ')
}

export default `name: sme-size
version: 1
order: best-first
title: {zh: 企业规模（中小企业划型标准）, en: Enterprise size (2011 SME standard)}
description: >-
  Corporate customers sized large, medium, small or micro by the national SME standard. The
  industry may be a GB/T 4754 code (C3011, 52), a section letter (C) or a Chinese name (制造业,
  零售业); employees are persons; revenue and total assets are the customer's amounts in yuan,
  compared with the standard's thresholds written in 万元 (40000万 is 400,000,000 yuan). A
  customer's size is the first of large, medium and small whose every floor it meets; if none,
  it is micro as soon as one known indicator is below the small floor. Industries the standard
  does not size (finance, education, health, public administration, railways) are not sized;
  customers missing an indicator that would decide are incomplete (数据不全), never a size.
source: >-
  《中小企业划型标准规定》 (工信部联企业〔2011〕300号) with the bands and combining rule as written in
  《统计上大中小微型企业划分办法（2017）》 (国统字〔2017〕213号): each of 大型, 中型 and 小型 requires the
  lower bound of every listed indicator; otherwise the firm drops a tier. At a boundary the higher
  tier wins (≥), as in the NBS table: 1000 employees in industry is large (standards.md §1).
applies_to: type = 'corporate'
define:
  sector: sme_industry(industry)
tiers:
  - id: not-sized
    label: {zh: 不适用, en: Not sized}
    ranked: false
    rule: sector is null
    description: no industry, or one the standard does not size
  - id: large
    label: {zh: 大型企业, en: Large}
    rule: |
      ${byIndustry('large')}
    cadence_days: 30
  - id: medium
    label: {zh: 中型企业, en: Medium}
    rule: |
      ${byIndustry('medium')}
    cadence_days: 60
  - id: small
    label: {zh: 小型企业, en: Small}
    rule: |
      ${byIndustry('small')}
    cadence_days: 90
  - id: micro
    label: {zh: 微型企业, en: Micro}
    rule: |
      ${byIndustry('micro')}
    cadence_days: 180
  - id: incomplete
    label: {zh: 数据不全, en: Incomplete}
    ranked: false
    description: an indicator needed to decide the size is missing
`
