export default `name: abc
version: 2
order: best-first
title: {zh: ABC 价值分类（帕累托）, en: ABC value classes (Pareto)}
description: >-
  Customers sorted by AUM, largest first, and classed by the cumulative share of the portfolio's
  total AUM held by the customer and everyone above it: A up to 80%, B up to 95%, C the rest.
  The boundary customer (the one whose AUM carries the running share past 80%) joins B, and past
  95% joins C: A holds at most 80% of the AUM. Ties are ordered by customer_id. A customer with no
  AUM recorded is unscored, and left out of the total: an unknown balance is not a small one.
  Change the bounds in a copy, or rank by contribution instead of aum.
source: >-
  ABC/Pareto analysis with the default bounds of 80% and 95% of cumulative value (Megaladata
  starter kit, abc-analysis; standards.md §4).
applies_to: coalesce(status, 'active') != 'closed'
define:
  share: cume_share(aum)
tiers:
  - id: unscored
    label: {zh: 数据不足, en: Unscored}
    ranked: false
    rule: share is null
    description: no AUM recorded (or none in the whole portfolio)
  - id: A
    label: {zh: A 类, en: A}
    rule: share <= 0.80
    cadence_days: 30
    description: the largest customers, together up to 80% of the AUM
  - id: B
    label: {zh: B 类, en: B}
    rule: share <= 0.95
    cadence_days: 90
    description: the next, up to 95%
  - id: C
    label: {zh: C 类, en: C}
    description: the rest
`
