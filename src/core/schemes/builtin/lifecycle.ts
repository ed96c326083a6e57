export default `name: lifecycle
version: 2
order: worst-first
title: {zh: 客户生命周期, en: Customer lifecycle}
description: >-
  The stage of each customer's relationship with the bank, from its dates, balances and
  activity on the as-of date. No standard gives numeric stage rules: the thresholds here (90
  days new, a year growing, 90 days quiet declining, 180 days quiet with nothing held churned)
  are this project's conventions. Change them in a copy. AUM or products not recorded count as
  none held (for churned and prospect). A customer with neither an opening nor a transaction date
  cannot be placed in time and is unscored (数据不足); with only one of them, the stages that read
  the other do not hold.
source: >-
  Classic CRM lifecycle theory: 考察期, 形成期, 稳定期, 退化期 (standards.md §4), with prospect, new,
  growing, mature, declining and churned mapped onto them: 潜在 → 考察期; 新 and 成长 → 形成期;
  成熟 → 稳定期; 衰退 and 流失 → 退化期 and its end.
tiers:
  - id: churned
    label: {zh: 流失客户, en: Churned}
    rule: status = 'closed' or (coalesce(aum, 0) = 0 and days_since(coalesce(last_txn_on, opened_on)) > 180)
    description: account closed, or nothing held and no activity for more than 180 days
  - id: prospect
    label: {zh: 潜在客户, en: Prospect}
    ranked: false
    rule: coalesce(products, 0) = 0 and coalesce(aum, 0) = 0
    cadence_days: 90
    description: no product and no assets yet
  - id: unscored
    label: {zh: 数据不足, en: Unscored}
    ranked: false
    rule: opened_on is null and last_txn_on is null
    description: neither an opening nor a transaction date
  - id: new
    label: {zh: 新客户, en: New}
    ranked: false
    rule: days_since(opened_on) <= 90
    cadence_days: 30
    description: opened within the last 90 days
  - id: declining
    label: {zh: 衰退客户, en: Declining}
    rule: status = 'dormant' or days_since(last_txn_on) > 90
    cadence_days: 30
    description: dormant, or no transaction for more than 90 days
  - id: growing
    label: {zh: 成长客户, en: Growing}
    rule: days_since(opened_on) <= 365 or coalesce(products, 0) <= 1
    cadence_days: 90
    description: in the first year, or holding one product
  - id: mature
    label: {zh: 成熟客户, en: Mature}
    cadence_days: 180
    description: established and active
`
