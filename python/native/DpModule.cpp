//===- DpModule.cpp - dp._native: the dialect in the mlir Python bindings --===//
//
// Links libMLIRPythonCAPI.so, the one MLIR in a Python process that uses the
// upstream `mlir` package, so registering here is seen by mlir.ir objects.
//
//===----------------------------------------------------------------------===//

#include "Native.h"

#include "dialect/capi/Dp.h"

#include "mlir-c/Bindings/Python/Interop.h"

/// register_dialects(registry: mlir.ir.DialectRegistry) -> None
static PyObject *registerDialects(PyObject *, PyObject *registry) {
  PyObject *capsule =
      PyObject_GetAttrString(registry, MLIR_PYTHON_CAPI_PTR_ATTR);
  if (!capsule)
    return nullptr;
  MlirDialectRegistry handle = mlirPythonCapsuleToDialectRegistry(capsule);
  Py_DECREF(capsule);
  if (!handle.ptr)
    return nullptr;
  dpRegisterDialects(handle);
  Py_RETURN_NONE;
}

/// register_passes() -> None
static PyObject *registerPasses(PyObject *, PyObject *) {
  dpRegisterPasses();
  Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"register_dialects", registerDialects, METH_O,
     "Adds the dp dialect to an mlir.ir.DialectRegistry."},
    {"register_passes", registerPasses, METH_NOARGS,
     "Registers dp passes and pipelines with MLIR's global pass registry."},
    {nullptr, nullptr, 0, nullptr}};

static PyModuleDef moduleDef = {PyModuleDef_HEAD_INIT, "_native",
                                "Native part of dp: the MLIR dialect and "
                                "passes, the calling convention and the "
                                "object-file JIT.",
                                -1, methods};

PyMODINIT_FUNC PyInit__native(void) {
  PyObject *module = PyModule_Create(&moduleDef);
  if (!module)
    return nullptr;
  if (dpAddCallingTypes(module) < 0 || dpAddObjectJit(module) < 0 ||
      dpAddBufferCache(module) < 0) {
    Py_DECREF(module);
    return nullptr;
  }
  return module;
}
