export default `name: value-matrix
version: 2
order: best-first
title: {zh: 客户价值矩阵（当前价值 × 潜在价值）, en: Value matrix (current × potential value)}
description: >-
  Splits customers on two axes at the portfolio's mean: current value (a kept column
  current_value if the import had one, else the customer's yearly contribution) and potential
  value (a kept column potential_value, which the bank's own model supplies). A value equal to the
  mean counts as high. Customers without both values are unscored, and the means are of the known
  values only.
source: >-
  The customer value matrix of 客户经理 training (standards.md §4): high current and high potential
  value 价值客户; high current, low potential 次价值客户; low current, high potential 潜在价值客户;
  low and low 低价值客户. Worked example: current A 78, B 87, C 69, D 74 (mean 77), potential
  A 80, B 55, C 62, D 75 (mean 68) give A 价值, B 次价值, C 低价值, D 潜在价值.
applies_to: coalesce(status, 'active') != 'closed'
extras:
  current_value: money?        # optional (?): a book may lack these columns
  potential_value: money?
define:
  current: coalesce(current_value, contribution)
  potential: potential_value
tiers:
  - id: unscored
    label: {zh: 未评分, en: Unscored}
    ranked: false
    rule: current is null or potential is null
  - id: value
    label: {zh: 价值客户, en: High value}
    rule: current >= mean(current) and potential >= mean(potential)
    cadence_days: 30
  - id: current-value
    label: {zh: 次价值客户, en: Current value}
    rule: current >= mean(current)
    cadence_days: 60
  - id: potential-value
    label: {zh: 潜在价值客户, en: Potential value}
    rule: potential >= mean(potential)
    cadence_days: 60
  - id: low-value
    label: {zh: 低价值客户, en: Low value}
`
