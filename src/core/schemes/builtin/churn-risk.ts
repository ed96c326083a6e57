export default `name: churn-risk
version: 3
order: worst-first
title: {zh: 高价值客户流失风险, en: Churn risk of valuable customers}
description: >-
  Valuable customers (AUM of 500,000 yuan or more, or in the top fifth of the portfolio by AUM)
  who have gone quiet: high risk when dormant or without a transaction for more than 180 days,
  medium when quiet for more than 90 days or not contacted in the last 12 months. Contacts are
  those logged in crm (in classify check, columns last_contact_on and contacts_12m if the rows
  have them; unknown contacts are no sign of neglect, so the dates decide). A customer whose AUM is
  unknown, or who is valuable and not dormant but has neither a transaction nor an opening date, is
  unscored (whatever the contacts): an unknown balance is not a small one, and an unknown date is
  not a recent one. The thresholds are
  this project's conventions; change them in a copy.
source: >-
  Valuable: the 50万 金葵花 line of retail-aum, or percent_rank(aum) >= 0.8 (the top 20% of a
  Pareto split, standards.md §4). Quiet periods follow the lifecycle scheme's conventions.
applies_to: coalesce(status, 'active') != 'closed'
define:
  valuable: aum >= 50万 or percent_rank(aum) >= 0.8
  quiet_days: days_since(coalesce(last_txn_on, opened_on))
tiers:
  - id: high
    label: {zh: 高风险, en: High}
    rule: valuable and (status = 'dormant' or quiet_days > 180)
    cadence_days: 7
    description: valuable, and dormant or without a transaction for more than 180 days
  - id: medium
    label: {zh: 中风险, en: Medium}
    rule: valuable and quiet_days is not null and (quiet_days > 90 or contacts_12m = 0)
    cadence_days: 30
    description: valuable, and quiet for more than 90 days or not contacted in 12 months
  - id: low
    label: {zh: 低风险, en: Low}
    rule: valuable and quiet_days <= 90
    cadence_days: 90
    description: valuable and active
  - id: unscored
    label: {zh: 数据不足, en: Unscored}
    ranked: false
    rule: valuable is null or (valuable and quiet_days is null)
    description: AUM unknown, or valuable with no transaction or opening date
  - id: not-valuable
    label: {zh: 非重点客户, en: Not in scope}
    ranked: false
    description: below the valuable line
`
