export default `name: loan-risk
version: 2
order: worst-first
title: {zh: 贷款五级分类（逾期天数下限）, en: Loan five-category risk (days-overdue floors)}
description: >-
  Customers with loans, in the five risk categories by days overdue, taking the worse of the
  overdue floor and the bank's own judgement when the import kept one in a column named
  risk_class (正常, 关注, 次级, 可疑, 损失, or normal, special-mention, substandard, doubtful, loss).
  If your export calls that column 五级分类, copy this scheme and rename risk_class under extras
  and in the rules. A floor never upgrades a loan: the first tier that holds is the worst. A loan
  whose days overdue are unknown is never normal: it takes the bank's judgement when that is worse
  than normal, and is otherwise unscored (数据不足), to be checked, since its floor could be any class.
source: >-
  《商业银行金融资产风险分类办法》 (国家金融监督管理总局 (原银保监会) 中国人民银行令〔2023〕第1号,
  in force 2023-07-01): any amount overdue is at least 关注; more than 90 days 次级; more than 270
  days 可疑; more than 360 days 损失. "More than" excludes the number itself (民法典 art. 1259), so
  90 days is 关注 and 91 is 次级. 不良 (non-performing) is 次级 + 可疑 + 损失 (standards.md §2).
applies_to: loans > 0 or overdue_days > 0 or risk_class is not null
extras:
  risk_class: text?            # optional: a book without the column is graded on overdue days
tiers:
  - id: loss
    label: {zh: 损失, en: Loss}
    rule: overdue_days > 360 or risk_class in ('损失', 'loss')
    cadence_days: 30
    description: more than 360 days overdue
  - id: doubtful
    label: {zh: 可疑, en: Doubtful}
    rule: overdue_days > 270 or risk_class in ('可疑', 'doubtful')
    cadence_days: 30
    description: more than 270 days overdue
  - id: substandard
    label: {zh: 次级, en: Substandard}
    rule: overdue_days > 90 or risk_class in ('次级', 'substandard')
    cadence_days: 30
    description: more than 90 days overdue (non-performing even with sufficient collateral)
  - id: special-mention
    label: {zh: 关注, en: Special mention}
    rule: overdue_days > 0 or risk_class in ('关注', 'special-mention', 'special mention')
    cadence_days: 90
    description: anything overdue
  - id: unscored
    label: {zh: 数据不足, en: Unscored}
    ranked: false
    rule: overdue_days is null
    cadence_days: 30
    description: days overdue unknown, and no judgement worse than normal
  - id: normal
    label: {zh: 正常, en: Normal}
    description: nothing overdue and no worse judgement
`
