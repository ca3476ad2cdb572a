// RUN: not dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{chip=90})' 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{format=ptx})' 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{block-size=2048})' 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not dp-opt %s --pass-pipeline='builtin.module(dp-lower-to-nvvm{opt-level=7})' 2>&1 | FileCheck %s --check-prefix=OPT

// Options that cannot run are diagnostics, never an abort.
// CHIP: error: dp-lower-to-nvvm: chip must be sm_<version> (e.g. sm_90), got '90'
// FORMAT: error: dp-lower-to-nvvm: format must be isa, bin or fatbin, got 'ptx'
// BLOCK: error: dp-lower-to-nvvm: block-size must be 1 to 1024, got 2048
// OPT: error: dp-lower-to-nvvm: opt-level must be 0 to 3, got 7
func.func @f(%x: f64) -> f64 {
  return %x : f64
}
