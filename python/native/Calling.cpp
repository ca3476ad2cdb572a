//===- Calling.cpp - from Python values into compiled code and back -------===//
//
// The compiled code of an entry function `f` is called through its packed
// wrapper `void _mlir_f(void **args)`: `args[i]` points to argument i and
// `args[n]` to storage for the results (one scalar, or a struct laid out like
// the C struct of the result types). Everything that depends only on the
// signature (kinds, result offsets) is computed once, when a PackedCall is
// made; a call converts the Python values into a stack buffer, calls, and
// builds the Python results.
//
// Kinds are one character each: 'd' float (f64), 'q' int (i64), '?' bool
// (i1, one byte), 'P' pointer (a !dp.tape).
//
// A Dispatcher is the base of dp.compile objects: its tp_call recognizes
// calls whose arguments are exact floats, ints and bools matching a
// registered specialization and calls the PackedCall directly, without any
// Python frame; every other call goes to the Python method `_call_slow`.
//
//===----------------------------------------------------------------------===//

#include "Native.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

/// dp.errors.TypeMismatchError, installed by dp.runtime.calling at import.
PyObject *typeMismatchError = nullptr;

PyObject *mismatchError() {
  return typeMismatchError ? typeMismatchError : PyExc_TypeError;
}

enum Kind : char { Float = 'd', Int = 'q', Bool = '?', Pointer = 'P' };

bool validKind(char kind) {
  return kind == Float || kind == Int || kind == Bool || kind == Pointer;
}

Py_ssize_t kindSize(char kind) { return kind == Bool ? 1 : 8; }

const char *kindName(char kind) {
  switch (kind) {
  case Float:
    return "a float";
  case Int:
    return "an int";
  case Bool:
    return "a bool";
  default:
    return "a pointer (int)";
  }
}

/// Arguments and result bytes that fit here need no allocation per call.
constexpr Py_ssize_t kSmallArgs = 32;
constexpr Py_ssize_t kSmallResultBytes = 256;

//===----------------------------------------------------------------------===//
// PackedCall
//===----------------------------------------------------------------------===//

struct PackedCallObject {
  PyObject_HEAD
  void (*function)(void **);
  Py_ssize_t numArgs;
  Py_ssize_t numResults;
  char *argKinds;
  char *resultKinds;
  Py_ssize_t *resultOffsets;
  Py_ssize_t resultSize;
  PyObject *owner;      // keeps the code alive
  PyObject *allResults; // the template of a plain call: tuple(range(numResults))
  int prints;           // flush Python's and C's stdout around the call
  PyObject *weakrefs;
};

PyObject *mismatch(Py_ssize_t index, char kind, PyObject *value) {
  PyErr_Format(mismatchError(), "argument leaf %zd: expected %s, not %.200s",
               index, kindName(kind), Py_TYPE(value)->tp_name);
  return nullptr;
}

/// Converts `value` to `kind` into `slot`; returns -1 with an error set.
int convertArg(char kind, PyObject *value, Py_ssize_t index, uint64_t *slot) {
  switch (kind) {
  case Float: {
    double result;
    if (PyFloat_CheckExact(value)) {
      result = PyFloat_AS_DOUBLE(value);
    } else if (PyLong_Check(value)) {
      result = PyLong_AsDouble(value);
      if (result == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        PyErr_Format(mismatchError(),
                     "integer argument %S is too large to convert to a float",
                     value);
        return -1;
      }
    } else if (PyFloat_Check(value) ||
               (Py_TYPE(value)->tp_as_number &&
                Py_TYPE(value)->tp_as_number->nb_float)) {
      result = PyFloat_AsDouble(value);
      if (result == -1.0 && PyErr_Occurred())
        return -1;
    } else {
      mismatch(index, kind, value);
      return -1;
    }
    std::memcpy(slot, &result, sizeof(result));
    return 0;
  }
  case Int: {
    PyObject *integer;
    if (PyLong_Check(value)) {
      integer = value;
      Py_INCREF(integer);
    } else if (!PyFloat_Check(value) && PyIndex_Check(value)) {
      integer = PyNumber_Index(value);
      if (!integer)
        return -1;
    } else {
      mismatch(index, kind, value);
      return -1;
    }
    int overflow = 0;
    long long result = PyLong_AsLongLongAndOverflow(integer, &overflow);
    if (overflow) {
      PyErr_Format(mismatchError(),
                   "integer argument %S does not fit in 64 bits", integer);
      Py_DECREF(integer);
      return -1;
    }
    Py_DECREF(integer);
    if (result == -1 && PyErr_Occurred())
      return -1;
    int64_t fixed = result;
    std::memcpy(slot, &fixed, sizeof(fixed));
    return 0;
  }
  case Bool: {
    int truth;
    if (value == Py_True) {
      truth = 1;
    } else if (value == Py_False) {
      truth = 0;
    } else if (!PyFloat_Check(value) &&
               (PyLong_Check(value) || PyIndex_Check(value) ||
                std::strncmp(Py_TYPE(value)->tp_name, "numpy.bool", 10) == 0)) {
      truth = PyObject_IsTrue(value);
      if (truth < 0)
        return -1;
    } else {
      mismatch(index, kind, value);
      return -1;
    }
    *slot = 0;
    unsigned char byte = truth ? 1 : 0;
    std::memcpy(slot, &byte, 1);
    return 0;
  }
  case Pointer: {
    void *result = nullptr;
    if (value != Py_None) {
      if (!PyLong_Check(value)) {
        mismatch(index, kind, value);
        return -1;
      }
      result = PyLong_AsVoidPtr(value);
      if (!result && PyErr_Occurred())
        return -1;
    }
    std::memcpy(slot, &result, sizeof(result));
    return 0;
  }
  }
  PyErr_SetString(PyExc_SystemError, "dp: unknown argument kind");
  return -1;
}

PyObject *makeResult(PackedCallObject *self, Py_ssize_t index,
                     const unsigned char *results) {
  const unsigned char *at = results + self->resultOffsets[index];
  switch (self->resultKinds[index]) {
  case Float: {
    double value;
    std::memcpy(&value, at, sizeof(value));
    return PyFloat_FromDouble(value);
  }
  case Int: {
    int64_t value;
    std::memcpy(&value, at, sizeof(value));
    return PyLong_FromLongLong(value);
  }
  case Bool:
    return PyBool_FromLong(*at & 1);
  default: {
    void *value;
    std::memcpy(&value, at, sizeof(value));
    return PyLong_FromVoidPtr(value);
  }
  }
}

/// The Python value of a result template: an int is the result of that
/// index, a tuple is built from its items, None stays None.
PyObject *buildResults(PackedCallObject *self, PyObject *shape,
                       const unsigned char *results) {
  if (PyLong_CheckExact(shape))
    return makeResult(self, PyLong_AsSsize_t(shape), results);
  if (PyTuple_CheckExact(shape)) {
    Py_ssize_t size = PyTuple_GET_SIZE(shape);
    PyObject *tuple = PyTuple_New(size);
    if (!tuple)
      return nullptr;
    for (Py_ssize_t i = 0; i < size; ++i) {
      PyObject *item = buildResults(self, PyTuple_GET_ITEM(shape, i), results);
      if (!item) {
        Py_DECREF(tuple);
        return nullptr;
      }
      PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
  }
  Py_INCREF(shape);
  return shape;
}

/// Checks that a template only names results of a call with `numResults`.
int checkTemplate(PyObject *shape, Py_ssize_t numResults, int depth = 0) {
  if (depth > 32) {
    PyErr_SetString(PyExc_ValueError, "result template is nested too deeply");
    return -1;
  }
  if (PyLong_CheckExact(shape)) {
    Py_ssize_t index = PyLong_AsSsize_t(shape);
    if (index == -1 && PyErr_Occurred())
      return -1;
    if (index < 0 || index >= numResults) {
      PyErr_Format(PyExc_ValueError, "result template names result %zd of %zd",
                   index, numResults);
      return -1;
    }
    return 0;
  }
  if (PyTuple_CheckExact(shape)) {
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shape); ++i)
      if (checkTemplate(PyTuple_GET_ITEM(shape, i), numResults, depth + 1) < 0)
        return -1;
    return 0;
  }
  if (shape == Py_None)
    return 0;
  PyErr_SetString(PyExc_ValueError,
                  "a result template holds ints, tuples and None only");
  return -1;
}

void flushPythonStdout() {
  PyObject *out = PySys_GetObject("stdout"); // borrowed
  if (out && out != Py_None) {
    PyObject *result = PyObject_CallMethod(out, "flush", nullptr);
    if (result)
      Py_DECREF(result);
    else
      PyErr_Clear();
  }
}

/// Converts the arguments (`items`, then the doubles `extra`), calls the
/// compiled code and builds the results after `shape`.
PyObject *invoke(PackedCallObject *self, PyObject *const *items,
                 Py_ssize_t numItems, const double *extra, Py_ssize_t numExtra,
                 PyObject *shape) {
  Py_ssize_t numArgs = self->numArgs;
  if (numItems + numExtra != numArgs) {
    PyErr_Format(mismatchError(),
                 "the compiled function takes %zd argument leaves, got %zd",
                 numArgs, numItems + numExtra);
    return nullptr;
  }
  uint64_t smallSlots[kSmallArgs];
  void *smallPointers[kSmallArgs + 1];
  alignas(16) unsigned char smallResults[kSmallResultBytes];
  uint64_t *slots = smallSlots;
  void **pointers = smallPointers;
  unsigned char *results = smallResults;
  void *heap = nullptr;
  if (numArgs > kSmallArgs || self->resultSize > kSmallResultBytes) {
    size_t bytes = numArgs * sizeof(uint64_t) +
                   (numArgs + 1) * sizeof(void *) + self->resultSize + 16;
    heap = PyMem_Malloc(bytes);
    if (!heap)
      return PyErr_NoMemory();
    slots = static_cast<uint64_t *>(heap);
    pointers = reinterpret_cast<void **>(slots + numArgs);
    uintptr_t end = reinterpret_cast<uintptr_t>(pointers + numArgs + 1);
    results = reinterpret_cast<unsigned char *>((end + 15) & ~uintptr_t(15));
  }
  for (Py_ssize_t i = 0; i < numItems; ++i) {
    if (convertArg(self->argKinds[i], items[i], i, &slots[i]) < 0) {
      PyMem_Free(heap);
      return nullptr;
    }
  }
  for (Py_ssize_t i = 0; i < numExtra; ++i)
    std::memcpy(&slots[numItems + i], &extra[i], sizeof(double));
  for (Py_ssize_t i = 0; i < numArgs; ++i)
    pointers[i] = &slots[i];
  pointers[numArgs] = results;
  if (self->prints)
    flushPythonStdout();
  self->function(pointers);
  if (self->prints)
    std::fflush(nullptr);
  PyObject *out = buildResults(self, shape, results);
  PyMem_Free(heap);
  if (dpRuntimeErrorPending()) {
    // The results own the arrays the call returned: freed, then the error.
    Py_XDECREF(out);
    dpRaiseRuntimeError();
    return nullptr;
  }
  return out;
}

int parseKinds(PyObject *codes, char **kinds, Py_ssize_t *count,
               const char *what) {
  Py_ssize_t size;
  const char *text = PyUnicode_AsUTF8AndSize(codes, &size);
  if (!text)
    return -1;
  for (Py_ssize_t i = 0; i < size; ++i) {
    if (!validKind(text[i])) {
      PyErr_Format(PyExc_ValueError, "unknown %s kind %c", what, text[i]);
      return -1;
    }
  }
  *kinds = static_cast<char *>(PyMem_Malloc(size + 1));
  if (!*kinds) {
    PyErr_NoMemory();
    return -1;
  }
  std::memcpy(*kinds, text, size + 1);
  *count = size;
  return 0;
}

PyObject *packedCallNew(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
  static const char *keywords[] = {"address", "arg_kinds", "result_kinds",
                                   "owner",   "prints",    nullptr};
  unsigned long long address;
  PyObject *argCodes, *resultCodes, *owner;
  int prints = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "KUUO|p",
                                   const_cast<char **>(keywords), &address,
                                   &argCodes, &resultCodes, &owner, &prints))
    return nullptr;
  if (!address) {
    PyErr_SetString(PyExc_ValueError, "PackedCall needs a non-null address");
    return nullptr;
  }
  auto *self = reinterpret_cast<PackedCallObject *>(type->tp_alloc(type, 0));
  if (!self)
    return nullptr;
  self->function = reinterpret_cast<void (*)(void **)>(address);
  self->prints = prints;
  Py_INCREF(owner);
  self->owner = owner;
  if (parseKinds(argCodes, &self->argKinds, &self->numArgs, "argument") < 0 ||
      parseKinds(resultCodes, &self->resultKinds, &self->numResults,
                 "result") < 0) {
    Py_DECREF(self);
    return nullptr;
  }
  self->resultOffsets = static_cast<Py_ssize_t *>(
      PyMem_Malloc(sizeof(Py_ssize_t) * (self->numResults + 1)));
  self->allResults = PyTuple_New(self->numResults);
  if (!self->resultOffsets || !self->allResults) {
    Py_DECREF(self);
    return PyErr_NoMemory();
  }
  // The C layout of a struct of the result types (one result: itself).
  Py_ssize_t offset = 0;
  for (Py_ssize_t i = 0; i < self->numResults; ++i) {
    Py_ssize_t size = kindSize(self->resultKinds[i]);
    offset = (offset + size - 1) / size * size;
    self->resultOffsets[i] = offset;
    offset += size;
    PyObject *index = PyLong_FromSsize_t(i);
    if (!index) {
      Py_DECREF(self);
      return nullptr;
    }
    PyTuple_SET_ITEM(self->allResults, i, index);
  }
  self->resultSize = (offset + 7) / 8 * 8;
  if (self->resultSize == 0)
    self->resultSize = 8;
  return reinterpret_cast<PyObject *>(self);
}

PyObject *packedCallCall(PyObject *object, PyObject *args, PyObject *kwargs) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  if ((kwargs && PyDict_GET_SIZE(kwargs)) || PyTuple_GET_SIZE(args) != 1) {
    PyErr_SetString(PyExc_TypeError,
                    "a PackedCall takes one sequence of argument leaves");
    return nullptr;
  }
  PyObject *leaves = PyTuple_GET_ITEM(args, 0);
  PyObject *fast = PySequence_Fast(leaves, "argument leaves must be a sequence");
  if (!fast)
    return nullptr;
  PyObject *out =
      invoke(self, PySequence_Fast_ITEMS(fast), PySequence_Fast_GET_SIZE(fast),
             nullptr, 0, self->allResults);
  Py_DECREF(fast);
  return out;
}

int packedCallTraverse(PyObject *object, visitproc visit, void *arg) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  Py_VISIT(self->owner);
  return 0;
}

int packedCallClear(PyObject *object) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  Py_CLEAR(self->owner);
  return 0;
}

void packedCallDealloc(PyObject *object) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  PyTypeObject *type = Py_TYPE(object);
  PyObject_GC_UnTrack(object);
  if (self->weakrefs)
    PyObject_ClearWeakRefs(object);
  packedCallClear(object);
  Py_CLEAR(self->allResults);
  PyMem_Free(self->argKinds);
  PyMem_Free(self->resultKinds);
  PyMem_Free(self->resultOffsets);
  // A Python subclass's dealloc (subtype_dealloc) releases its type.
  type->tp_free(object);
}

PyObject *packedCallAddress(PyObject *object, void *) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  return PyLong_FromVoidPtr(reinterpret_cast<void *>(self->function));
}

PyObject *packedCallOwner(PyObject *object, void *) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  PyObject *owner = self->owner ? self->owner : Py_None;
  Py_INCREF(owner);
  return owner;
}

PyObject *packedCallKinds(PyObject *object, void *) {
  auto *self = reinterpret_cast<PackedCallObject *>(object);
  return Py_BuildValue("(s#s#)", self->argKinds, self->numArgs,
                       self->resultKinds, self->numResults);
}

PyGetSetDef packedCallGetSet[] = {
    {"address", packedCallAddress, nullptr, "Address of the packed wrapper.",
     nullptr},
    {"owner", packedCallOwner, nullptr, "The object that owns the code.",
     nullptr},
    {"kinds", packedCallKinds, nullptr,
     "(argument kinds, result kinds) as strings of 'd', 'q', '?', 'P'.",
     nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

PyTypeObject packedCallType = {
    PyVarObject_HEAD_INIT(nullptr, 0) "dp._native.PackedCall", /* tp_name */
    sizeof(PackedCallObject), /* tp_basicsize */
};

//===----------------------------------------------------------------------===//
// Dispatcher
//===----------------------------------------------------------------------===//

constexpr int kMaxFastEntries = 8;

struct FastEntry {
  PyObject *types;        // tuple of exact argument types (float, int, bool)
  PackedCallObject *call; // strong reference
  double *extra;          // trailing constant float arguments
  Py_ssize_t numExtra;
  PyObject *shape;        // result template
};

struct DispatcherObject {
  PyObject_HEAD
  int numEntries;
  FastEntry entries[kMaxFastEntries];
};

PyObject *slowMethodName = nullptr;

void clearEntry(FastEntry &entry) {
  Py_CLEAR(entry.types);
  PyObject *call = reinterpret_cast<PyObject *>(entry.call);
  entry.call = nullptr;
  Py_XDECREF(call);
  Py_CLEAR(entry.shape);
  PyMem_Free(entry.extra);
  entry.extra = nullptr;
  entry.numExtra = 0;
}

PyObject *dispatcherCall(PyObject *object, PyObject *args, PyObject *kwargs) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  if (!kwargs || PyDict_GET_SIZE(kwargs) == 0) {
    Py_ssize_t numArgs = PyTuple_GET_SIZE(args);
    PyObject *const *items = &PyTuple_GET_ITEM(args, 0);
    for (int e = 0; e < self->numEntries; ++e) {
      FastEntry &entry = self->entries[e];
      if (PyTuple_GET_SIZE(entry.types) != numArgs)
        continue;
      bool match = true;
      for (Py_ssize_t i = 0; i < numArgs; ++i) {
        if (reinterpret_cast<PyObject *>(Py_TYPE(items[i])) !=
            PyTuple_GET_ITEM(entry.types, i)) {
          match = false;
          break;
        }
      }
      if (!match)
        continue;
      // Hold the entry's objects: nothing here runs Python code, but be safe.
      PackedCallObject *call = entry.call;
      PyObject *shape = entry.shape;
      Py_INCREF(call);
      Py_INCREF(shape);
      PyObject *out = invoke(call, items, numArgs, entry.extra, entry.numExtra,
                             shape);
      Py_DECREF(shape);
      Py_DECREF(call);
      if (out)
        return out;
      // An argument that does not convert (an int beyond 64 bits): the slow
      // path raises the same error, located at the function's definition.
      if (!PyErr_ExceptionMatches(mismatchError()))
        return nullptr;
      PyErr_Clear();
      break;
    }
  }
  PyObject *slow = PyObject_GetAttr(object, slowMethodName);
  if (!slow)
    return nullptr;
  PyObject *out = PyObject_Call(slow, args, kwargs);
  Py_DECREF(slow);
  return out;
}

/// _add_fast(types, call, extra, template) -> bool
PyObject *dispatcherAddFast(PyObject *object, PyObject *args) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  PyObject *types, *call, *extra, *shape;
  if (!PyArg_ParseTuple(args, "O!O!O!O", &PyTuple_Type, &types,
                        &packedCallType, &call, &PyTuple_Type, &extra, &shape))
    return nullptr;
  auto *packed = reinterpret_cast<PackedCallObject *>(call);
  Py_ssize_t numTypes = PyTuple_GET_SIZE(types);
  Py_ssize_t numExtra = PyTuple_GET_SIZE(extra);
  if (numTypes + numExtra != packed->numArgs) {
    PyErr_SetString(PyExc_ValueError,
                    "the fast path's arguments do not match the call");
    return nullptr;
  }
  for (Py_ssize_t i = 0; i < numTypes; ++i) {
    PyObject *type = PyTuple_GET_ITEM(types, i);
    char kind = packed->argKinds[i];
    bool ok = (type == reinterpret_cast<PyObject *>(&PyFloat_Type) &&
               kind == Float) ||
              (type == reinterpret_cast<PyObject *>(&PyLong_Type) &&
               kind == Int) ||
              (type == reinterpret_cast<PyObject *>(&PyBool_Type) &&
               kind == Bool);
    if (!ok) {
      PyErr_Format(PyExc_ValueError,
                   "fast-path argument %zd: type and kind %c do not match", i,
                   kind);
      return nullptr;
    }
  }
  for (Py_ssize_t i = 0; i < numExtra; ++i) {
    if (!PyFloat_CheckExact(PyTuple_GET_ITEM(extra, i)) ||
        packed->argKinds[numTypes + i] != Float) {
      PyErr_SetString(PyExc_ValueError,
                      "trailing fast-path arguments must be floats");
      return nullptr;
    }
  }
  if (checkTemplate(shape, packed->numResults) < 0)
    return nullptr;
  if (self->numEntries >= kMaxFastEntries)
    Py_RETURN_FALSE;
  FastEntry &entry = self->entries[self->numEntries];
  entry.extra = static_cast<double *>(
      PyMem_Malloc(sizeof(double) * (numExtra ? numExtra : 1)));
  if (!entry.extra)
    return PyErr_NoMemory();
  for (Py_ssize_t i = 0; i < numExtra; ++i)
    entry.extra[i] = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(extra, i));
  entry.numExtra = numExtra;
  Py_INCREF(types);
  entry.types = types;
  Py_INCREF(call);
  entry.call = packed;
  Py_INCREF(shape);
  entry.shape = shape;
  ++self->numEntries;
  Py_RETURN_TRUE;
}

int dispatcherClear(PyObject *object) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  int count = self->numEntries;
  self->numEntries = 0;
  for (int e = 0; e < count; ++e)
    clearEntry(self->entries[e]);
  return 0;
}

PyObject *dispatcherClearFast(PyObject *object, PyObject *) {
  dispatcherClear(object);
  Py_RETURN_NONE;
}

PyObject *dispatcherNumFast(PyObject *object, PyObject *) {
  return PyLong_FromLong(reinterpret_cast<DispatcherObject *>(object)->numEntries);
}

int dispatcherTraverse(PyObject *object, visitproc visit, void *arg) {
  auto *self = reinterpret_cast<DispatcherObject *>(object);
  for (int e = 0; e < self->numEntries; ++e) {
    Py_VISIT(self->entries[e].types);
    Py_VISIT(reinterpret_cast<PyObject *>(self->entries[e].call));
    Py_VISIT(self->entries[e].shape);
  }
  return 0;
}

void dispatcherDealloc(PyObject *object) {
  PyTypeObject *type = Py_TYPE(object);
  PyObject_GC_UnTrack(object);
  dispatcherClear(object);
  // A Python subclass's dealloc (subtype_dealloc) releases its type.
  type->tp_free(object);
}

PyMethodDef dispatcherMethods[] = {
    {"_add_fast", dispatcherAddFast, METH_VARARGS,
     "_add_fast(types, call, extra, template) -> bool: calls whose arguments "
     "have exactly these types go to `call` with the float arguments `extra` "
     "appended, and return `template` filled with its results. False when "
     "the table is full."},
    {"_clear_fast", dispatcherClearFast, METH_NOARGS,
     "Forgets every fast-path entry."},
    {"_num_fast", dispatcherNumFast, METH_NOARGS,
     "Number of fast-path entries."},
    {nullptr, nullptr, 0, nullptr}};

PyTypeObject dispatcherType = {
    PyVarObject_HEAD_INIT(nullptr, 0) "dp._native.Dispatcher", /* tp_name */
    sizeof(DispatcherObject), /* tp_basicsize */
};

PyObject *setTypeMismatchError(PyObject *, PyObject *cls) {
  if (!PyType_Check(cls) ||
      !PyType_IsSubtype(reinterpret_cast<PyTypeObject *>(cls),
                        reinterpret_cast<PyTypeObject *>(PyExc_Exception))) {
    PyErr_SetString(PyExc_TypeError, "expected an exception class");
    return nullptr;
  }
  Py_INCREF(cls);
  Py_XSETREF(typeMismatchError, cls);
  Py_RETURN_NONE;
}

PyMethodDef callingFunctions[] = {
    {"set_type_mismatch_error", setTypeMismatchError, METH_O,
     "Sets the exception class raised for arguments that do not convert."},
    {nullptr, nullptr, 0, nullptr}};

} // namespace

int dpAddCallingTypes(PyObject *module) {
  packedCallType.tp_flags =
      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
  packedCallType.tp_doc =
      "PackedCall(address, arg_kinds, result_kinds, owner, prints=False): "
      "calls a packed wrapper `void (*)(void **)` with a sequence of "
      "argument leaves and returns the tuple of results.";
  packedCallType.tp_new = packedCallNew;
  packedCallType.tp_free = PyObject_GC_Del;
  packedCallType.tp_call = packedCallCall;
  packedCallType.tp_traverse = packedCallTraverse;
  packedCallType.tp_clear = packedCallClear;
  packedCallType.tp_dealloc = packedCallDealloc;
  packedCallType.tp_getset = packedCallGetSet;
  packedCallType.tp_weaklistoffset = offsetof(PackedCallObject, weakrefs);
  if (PyType_Ready(&packedCallType) < 0)
    return -1;

  dispatcherType.tp_flags =
      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
  dispatcherType.tp_doc =
      "Base of compiled Python functions: calls with exact float, int and "
      "bool arguments that match a registered specialization run without a "
      "Python frame; other calls go to self._call_slow(*args, **kwargs).";
  dispatcherType.tp_new = PyType_GenericNew;
  dispatcherType.tp_free = PyObject_GC_Del;
  dispatcherType.tp_call = dispatcherCall;
  dispatcherType.tp_traverse = dispatcherTraverse;
  dispatcherType.tp_clear = dispatcherClear;
  dispatcherType.tp_dealloc = dispatcherDealloc;
  dispatcherType.tp_methods = dispatcherMethods;
  if (PyType_Ready(&dispatcherType) < 0)
    return -1;

  slowMethodName = PyUnicode_InternFromString("_call_slow");
  if (!slowMethodName)
    return -1;
  Py_INCREF(&packedCallType);
  if (PyModule_AddObject(module, "PackedCall",
                         reinterpret_cast<PyObject *>(&packedCallType)) < 0)
    return -1;
  Py_INCREF(&dispatcherType);
  if (PyModule_AddObject(module, "Dispatcher",
                         reinterpret_cast<PyObject *>(&dispatcherType)) < 0)
    return -1;
  return PyModule_AddFunctions(module, callingFunctions);
}
