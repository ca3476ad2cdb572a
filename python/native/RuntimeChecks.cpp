//===- RuntimeChecks.cpp - failed checks of compiled code -----------------===//
//
// Compiled code calls dpRuntimeError(message) where Python would raise (an
// int overflowing 64 bits, ...); see dp-lower-runtime-checks. The first
// message of a call is kept, per thread, and the caller raises it as a typed
// dp error (dp.errors.runtime_error) once the call has returned and its
// results are safely owned. The message is a constant of the object file.
//
//===----------------------------------------------------------------------===//

#include "Native.h"

namespace {
thread_local const char *pending = nullptr;
} // namespace

void dpRuntimeError(const char *message) {
  if (!pending)
    pending = message;
}

bool dpRuntimeErrorPending() { return pending != nullptr; }

int dpRaiseRuntimeError() {
  const char *message = pending;
  pending = nullptr;
  static PyObject *build = nullptr;
  if (!build) {
    PyObject *errors = PyImport_ImportModule("dp.errors");
    if (!errors)
      return -1;
    build = PyObject_GetAttrString(errors, "runtime_error");
    Py_DECREF(errors);
    if (!build)
      return -1;
  }
  PyObject *error = PyObject_CallFunction(build, "s", message);
  if (!error)
    return -1;
  PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(error)), error);
  Py_DECREF(error);
  return -1;
}
