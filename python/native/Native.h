//===- Native.h - pieces of dp._native defined in separate files -*- C++ -*-===//
//
// DpModule.cpp creates the module; each part adds its types and functions.
//
//===----------------------------------------------------------------------===//

#ifndef DP_PYTHON_NATIVE_NATIVE_H
#define DP_PYTHON_NATIVE_NATIVE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <cstdint>

/// Adds PackedCall and Dispatcher (Calling.cpp). Returns -1 with an error set.
int dpAddCallingTypes(PyObject *module);

/// Adds compile_object, JitLibrary and host_target (ObjectJit.cpp).
int dpAddObjectJit(PyObject *module);

/// Adds free_buffers and cached_buffer_bytes (BufferCache.cpp).
int dpAddBufferCache(PyObject *module);

/// What compiled code's memref.alloc/dealloc call (BufferCache.cpp).
void *dpBufferAllocate(uint64_t bytes);
void dpBufferRelease(void *block);

/// What compiled code calls when a check fails (RuntimeChecks.cpp); the
/// caller of compiled code raises the pending error after the call.
void dpRuntimeError(const char *message);
bool dpRuntimeErrorPending();
/// Raises the pending error as a typed dp error; returns -1.
int dpRaiseRuntimeError();

#endif // DP_PYTHON_NATIVE_NATIVE_H
