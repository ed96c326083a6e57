export default `name: rfm
version: 2
order: best-first
title: {zh: RFM 客户细分, en: RFM segments}
description: >-
  Scores recency (R, the last transaction date: more recent scores higher) and frequency (F,
  transactions in the last 12 months) 1 to 5 by quintile of the portfolio classified, and names the
  segment by the R and F scores. A score is ceil(5 × the share of the portfolio's known values at
  or below the customer's), so identical values share a score (the published recipe breaks ties by
  row order, which would put identical customers in different segments). A customer whose last
  transaction date or 12-month count is unknown has no score and is unscored: a missing date is not
  the oldest one. Classify a branch or a manager's book with --branch or --rm and the quintiles are of that book.
source: >-
  The standard public RFM recipe (standards.md §4): equal-frequency quintiles, and segments by the
  two-character R+F score: 5[4-5] Champions; [3-4][4-5] Loyal; [4-5][2-3] Potential Loyalists;
  51 New Customers; 41 Promising; 33 Need Attention; 3[1-2] About to Sleep; [1-2]5 Can't Lose
  Them; [1-2][3-4] At Risk; [1-2][1-2] Hibernating. The ten patterns cover all 25 cells once.
applies_to: coalesce(status, 'active') != 'closed'
define:
  r: quintile(last_txn_on)
  f: quintile(txn_count_12m)
tiers:
  - id: unscored
    label: {zh: 数据不足, en: Unscored}
    ranked: false
    rule: r is null or f is null
    description: last transaction date or 12-month transaction count unknown
  - id: champions
    label: {zh: 冠军客户, en: Champions}
    rule: r = 5 and f >= 4
    cadence_days: 30
  - id: loyal
    label: {zh: 忠诚客户, en: Loyal}
    rule: r in (3, 4) and f >= 4
    cadence_days: 60
  - id: potential-loyalists
    label: {zh: 潜在忠诚客户, en: Potential loyalists}
    rule: r >= 4 and f in (2, 3)
    cadence_days: 60
  - id: new-customers
    label: {zh: 新客户, en: New customers}
    rule: r = 5 and f = 1
    cadence_days: 30
  - id: promising
    label: {zh: 有潜力客户, en: Promising}
    rule: r = 4 and f = 1
    cadence_days: 90
  - id: need-attention
    label: {zh: 需要关注, en: Need attention}
    rule: r = 3 and f = 3
    cadence_days: 60
  - id: about-to-sleep
    label: {zh: 即将沉睡, en: About to sleep}
    rule: r = 3 and f <= 2
    cadence_days: 60
  - id: cant-lose
    label: {zh: 不能失去, en: Can't lose them}
    rule: r <= 2 and f = 5
    cadence_days: 14
  - id: at-risk
    label: {zh: 流失风险, en: At risk}
    rule: r <= 2 and f in (3, 4)
    cadence_days: 30
  - id: hibernating
    label: {zh: 沉睡客户, en: Hibernating}
    rule: r <= 2 and f <= 2
`
