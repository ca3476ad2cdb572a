// A linalg.reduce whose body is not one op combining the two block
// arguments with addf, mulf or maximumf/minimumf/maxnumf/minnumf has no
// derivative rule: differentiating it is an error at the reduce.
// RUN: dp-opt %s --split-input-file --dp-autodiff --verify-diagnostics

// The derivative-rule cases of linalg.reduce are in rules-linalg.mlir; these
// are the bodies without a rule, one split per body and mode.

// A sum of squares: two ops (mulf, then addf), not one combining op.
func.func private @reduce_sum_squares(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{cannot differentiate 'linalg.reduce': no derivative rule}}
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %sq = arith.mulf %in, %in : f64
      %s = arith.addf %sq, %acc : f64
      linalg.yield %s : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_sum_squares_rev_a(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> tensor<2x3xf64> {
  // expected-remark @+1 {{while differentiating @reduce_sum_squares in reverse mode}}
  %r, %dt = dp.autodiff @reduce_sum_squares(%t, %init, %seed) args [active, const] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>)
  return %dt : tensor<2x3xf64>
}

// -----

func.func private @reduce_sum_squares(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{cannot differentiate 'linalg.reduce': no derivative rule}}
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %sq = arith.mulf %in, %in : f64
      %s = arith.addf %sq, %acc : f64
      linalg.yield %s : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_sum_squares_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-remark @+1 {{while differentiating @reduce_sum_squares in forward mode}}
  %r, %dr = dp.fwddiff @reduce_sum_squares(%t, %dt, %init) args [dup, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %dr : tensor<2xf64>
}

// -----

// One op combining the block arguments, but subf: not a known combiner.
func.func private @reduce_sub(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{cannot differentiate 'linalg.reduce': no derivative rule}}
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %d = arith.subf %in, %acc : f64
      linalg.yield %d : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_sub_rev_a(%t: tensor<2x3xf64>, %init: tensor<2xf64>, %seed: tensor<2xf64>) -> tensor<2x3xf64> {
  // expected-remark @+1 {{while differentiating @reduce_sub in reverse mode}}
  %r, %dt = dp.autodiff @reduce_sub(%t, %init, %seed) args [active, const] results [active] : (tensor<2x3xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2x3xf64>)
  return %dt : tensor<2x3xf64>
}

// -----

func.func private @reduce_sub(%t: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-error @+1 {{cannot differentiate 'linalg.reduce': no derivative rule}}
  %r = linalg.reduce ins(%t : tensor<2x3xf64>) outs(%init : tensor<2xf64>) dimensions = [1]
    (%in: f64, %acc: f64) {
      %d = arith.subf %in, %acc : f64
      linalg.yield %d : f64
    }
  return %r : tensor<2xf64>
}

func.func @reduce_sub_fwd_d(%t: tensor<2x3xf64>, %dt: tensor<2x3xf64>, %init: tensor<2xf64>) -> tensor<2xf64> {
  // expected-remark @+1 {{while differentiating @reduce_sub in forward mode}}
  %r, %dr = dp.fwddiff @reduce_sub(%t, %dt, %init) args [dup, const] results [dup] : (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2xf64>) -> (tensor<2xf64>, tensor<2xf64>)
  return %dr : tensor<2xf64>
}
