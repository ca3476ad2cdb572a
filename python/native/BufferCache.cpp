//===- BufferCache.cpp - reuse of large buffers between calls ------------===//
//
// Compiled array code allocates its intermediate arrays on every call and
// frees them before it returns. glibc serves large blocks with fresh pages
// (mmap, or heap it trims back), so every call page-faults them in again:
// for bundle adjustment's gradient that was half the time. Compiled code
// allocates through `_mlir_memref_to_llvm_alloc`/`_free` (finalize-memref-
// to-llvm's generic functions), defined here: blocks of at least 64 KiB are
// kept on free and handed out again for requests up to 1/8 smaller, up to
// 512 MiB in all. Every block is a plain malloc block, so a result array
// that Python frees with free() is fine.
//
//===----------------------------------------------------------------------===//

#include "Native.h"

#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <map>
#include <mutex>

namespace {

constexpr size_t kSmallest = 64 * 1024;
constexpr size_t kLimit = 512ull * 1024 * 1024;

std::mutex lock;
std::multimap<size_t, void *> cached; // usable size -> block
size_t cachedBytes = 0;

void *allocate(uint64_t bytes) {
  if (bytes >= kSmallest) {
    std::lock_guard<std::mutex> guard(lock);
    auto found = cached.lower_bound(bytes);
    if (found != cached.end() && found->first - bytes <= bytes / 8) {
      void *block = found->second;
      cachedBytes -= found->first;
      cached.erase(found);
      return block;
    }
  }
  return std::malloc(bytes);
}

void release(void *block) {
  if (!block)
    return;
  size_t usable = malloc_usable_size(block);
  if (usable >= kSmallest) {
    std::lock_guard<std::mutex> guard(lock);
    if (cachedBytes + usable <= kLimit) {
      cached.emplace(usable, block);
      cachedBytes += usable;
      return;
    }
  }
  std::free(block);
}

/// free_buffers() -> int: frees the cached blocks; returns their bytes.
PyObject *freeBuffers(PyObject *, PyObject *) {
  std::lock_guard<std::mutex> guard(lock);
  size_t freed = cachedBytes;
  for (auto &[size, block] : cached)
    std::free(block);
  cached.clear();
  cachedBytes = 0;
  return PyLong_FromSize_t(freed);
}

/// cached_buffer_bytes() -> int
PyObject *cachedBufferBytes(PyObject *, PyObject *) {
  std::lock_guard<std::mutex> guard(lock);
  return PyLong_FromSize_t(cachedBytes);
}

PyMethodDef bufferCacheFunctions[] = {
    {"free_buffers", freeBuffers, METH_NOARGS,
     "free_buffers() -> int: frees the large buffers compiled code keeps for "
     "reuse; returns their bytes."},
    {"cached_buffer_bytes", cachedBufferBytes, METH_NOARGS,
     "cached_buffer_bytes() -> int: bytes of the buffers kept for reuse."},
    {nullptr, nullptr, 0, nullptr}};

} // namespace

void *dpBufferAllocate(uint64_t bytes) { return allocate(bytes); }
void dpBufferRelease(void *block) { release(block); }

int dpAddBufferCache(PyObject *module) {
  return PyModule_AddFunctions(module, bufferCacheFunctions);
}
