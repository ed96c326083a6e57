import abc from './abc.js'
import churnRisk from './churn-risk.js'
import lifecycle from './lifecycle.js'
import loanRisk from './loan-risk.js'
import retailAum from './retail-aum.js'
import rfm from './rfm.js'
import smeSize from './sme-size.js'
import valueMatrix from './value-matrix.js'

/** The built-in schemes' files, by name, in the order `crm scheme list` shows them. */
export const BUILTIN_SCHEMES: Readonly<Record<string, string>> = {
  'retail-aum': retailAum,
  'sme-size': smeSize,
  'loan-risk': loanRisk,
  rfm,
  abc,
  'value-matrix': valueMatrix,
  lifecycle,
  'churn-risk': churnRisk,
}
