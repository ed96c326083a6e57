export default `name: retail-aum
version: 2
order: best-first
title: {zh: 零售客户分层（金融资产）, en: Retail tiers by AUM}
description: >-
  Individual customers by the financial assets (AUM) they hold at the bank. The first tier whose
  rule holds wins. A customer with no AUM recorded is in the mass tier: the tiers are service levels
  earned by assets the bank holds, and none are recorded (crm classify warns when that is a large share
  of the portfolio). Closed customers are left out. These bands are defaults:
  copy this file (crm scheme show retail-aum > my-tiers.yaml), change the figures to your bank's
  own, and classify with --scheme my-tiers.yaml.
source: >-
  Private banking at 600万: 《商业银行理财产品销售管理办法》 (CBRC 2011, art. 30), financial net assets
  of at least 600万元 (inclusive). Wealth at 50万: the CMB 金葵花 line (月日均总资产 ≥ 50万元, CMB 2023
  interim report). Gold at 5万: the 2011 minimum sale per client for products of risk grades 1-2.
  Diamond at 200万 is our own choice: no published figure exists (standards.md §3).
applies_to: type = 'individual' and coalesce(status, 'active') != 'closed'
tiers:
  - id: private-banking
    label: {zh: 私人银行, en: Private banking}
    rule: aum >= 600万
    cadence_days: 30
    description: financial assets of 6,000,000 yuan or more, the regulatory private-banking line
  - id: diamond
    label: {zh: 钻石客户, en: Diamond}
    rule: aum >= 200万
    cadence_days: 60
    description: 2,000,000 yuan or more (our choice; no published line)
  - id: wealth
    label: {zh: 财富客户, en: Wealth}
    rule: aum >= 50万
    cadence_days: 90
    description: 500,000 yuan or more (the CMB 金葵花 line)
  - id: gold
    label: {zh: 金卡客户, en: Gold}
    rule: aum >= 5万
    cadence_days: 180
    description: 50,000 yuan or more (the 2011 minimum product purchase)
  - id: mass
    label: {zh: 大众客户, en: Mass}
    description: everyone else
`
