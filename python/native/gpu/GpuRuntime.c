/*===- GpuRuntime.c - what dp's GPU host code calls, over the CUDA driver -===*
 *
 * Host code lowered by dp-lower-to-nvvm calls the mgpu* functions (module
 * load, kernel launch, allocation, copies, streams) and dp's own dpGpu*
 * functions (free, cuBLAS products). This library implements them over the
 * CUDA driver API, which it dlopens at first use: nothing is linked against
 * CUDA, MLIR or LLVM, so a program built ahead of time runs where only the
 * driver is installed, and loading this library never fails on a machine
 * without one (dpGpuAvailable says why not).
 *
 * Errors inside compiled code cannot unwind; the first one is kept and
 * handed to the caller by dpGpuTakeError, which dp's Python runtime (and
 * the exported loader) checks after every call. Kernel launches and
 * products are synchronous, so an error belongs to the call that made it.
 *
 *===----------------------------------------------------------------------===*/

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DP_EXPORT __attribute__((visibility("default")))

typedef int CUresult;
typedef int CUdevice;
typedef void *CUcontext;
typedef void *CUmodule;
typedef void *CUfunction;
typedef void *CUstream;
typedef void *CUevent;
typedef unsigned long long CUdeviceptr;

enum {
  CU_POINTER_ATTRIBUTE_MEMORY_TYPE = 2,
  CU_POINTER_ATTRIBUTE_IS_MANAGED = 8,
  CU_MEMORYTYPE_DEVICE = 2,
  CU_MEM_ATTACH_GLOBAL = 1,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
  CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
};

/* The driver functions used, resolved by name (the _v2 names are the ones
 * cuda.h maps the plain names to). */
static struct {
  CUresult (*init)(unsigned);
  CUresult (*driverGetVersion)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGetName)(char *, int, CUdevice);
  CUresult (*deviceGetAttribute)(int *, int, CUdevice);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*ctxSynchronize)(void);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*streamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventDestroy)(CUevent);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpy)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*memsetD32)(CUdeviceptr, unsigned, size_t);
  CUresult (*memsetD16)(CUdeviceptr, unsigned short, size_t);
  CUresult (*pointerGetAttribute)(void *, int, CUdeviceptr);
  CUresult (*getErrorString)(CUresult, const char **);
} cu;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int available;          /* 1 once the driver and a device are up */
static char unavailable[512];  /* why not */
static CUcontext context;
static CUstream stream;        /* every launch and copy goes here */
static char firstError[1024];  /* the first error since the last take */
static int deviceOrdinal;
static char libraryPaths[2][1024]; /* [0] libcuda, [1] libcublas */

static void recordError(const char *format, ...) {
  pthread_mutex_lock(&lock);
  if (!firstError[0]) {
    va_list args;
    va_start(args, format);
    vsnprintf(firstError, sizeof firstError, format, args);
    va_end(args);
  }
  pthread_mutex_unlock(&lock);
}

static const char *describe(CUresult result) {
  const char *text = NULL;
  if (cu.getErrorString && cu.getErrorString(result, &text) == 0 && text)
    return text;
  return "unknown CUDA error";
}

/* True if `result` is success; otherwise records `what` failed. */
static int check(CUresult result, const char *what) {
  if (result == 0)
    return 1;
  recordError("%s failed: %s (CUDA error %d)", what, describe(result), result);
  return 0;
}

static void *symbol(void *library, const char *name) {
  void *found = dlsym(library, name);
  if (!found)
    snprintf(unavailable, sizeof unavailable,
             "the CUDA driver has no %s (too old a driver?)", name);
  return found;
}

static void start(void) {
  const char *path = libraryPaths[0][0] ? libraryPaths[0] : "libcuda.so.1";
  void *library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    snprintf(unavailable, sizeof unavailable,
             "no NVIDIA driver: cannot load %s (%s)", path, dlerror());
    return;
  }
#define LOAD(field, name)                                                     \
  if (!(*(void **)&cu.field = symbol(library, name)))                         \
    return;
  LOAD(init, "cuInit")
  LOAD(driverGetVersion, "cuDriverGetVersion")
  LOAD(deviceGet, "cuDeviceGet")
  LOAD(deviceGetCount, "cuDeviceGetCount")
  LOAD(deviceGetName, "cuDeviceGetName")
  LOAD(deviceGetAttribute, "cuDeviceGetAttribute")
  LOAD(primaryCtxRetain, "cuDevicePrimaryCtxRetain")
  LOAD(ctxSetCurrent, "cuCtxSetCurrent")
  LOAD(ctxSynchronize, "cuCtxSynchronize")
  LOAD(moduleLoadData, "cuModuleLoadData")
  LOAD(moduleUnload, "cuModuleUnload")
  LOAD(moduleGetFunction, "cuModuleGetFunction")
  LOAD(launchKernel, "cuLaunchKernel")
  LOAD(streamCreate, "cuStreamCreate")
  LOAD(streamDestroy, "cuStreamDestroy_v2")
  LOAD(streamSynchronize, "cuStreamSynchronize")
  LOAD(streamWaitEvent, "cuStreamWaitEvent")
  LOAD(eventCreate, "cuEventCreate")
  LOAD(eventDestroy, "cuEventDestroy_v2")
  LOAD(eventRecord, "cuEventRecord")
  LOAD(eventSynchronize, "cuEventSynchronize")
  LOAD(memAlloc, "cuMemAlloc_v2")
  LOAD(memAllocManaged, "cuMemAllocManaged")
  LOAD(memFree, "cuMemFree_v2")
  LOAD(memcpy, "cuMemcpy")
  LOAD(memsetD32, "cuMemsetD32_v2")
  LOAD(memsetD16, "cuMemsetD16_v2")
  LOAD(pointerGetAttribute, "cuPointerGetAttribute")
  LOAD(getErrorString, "cuGetErrorString")
#undef LOAD
  CUresult result = cu.init(0);
  if (result != 0) {
    snprintf(unavailable, sizeof unavailable,
             "the CUDA driver does not start: %s (CUDA error %d)",
             describe(result), result);
    return;
  }
  int count = 0;
  if (cu.deviceGetCount(&count) != 0 || count <= deviceOrdinal) {
    snprintf(unavailable, sizeof unavailable,
             "no CUDA device %d (the driver sees %d)", deviceOrdinal, count);
    return;
  }
  CUdevice device;
  if ((result = cu.deviceGet(&device, deviceOrdinal)) != 0 ||
      (result = cu.primaryCtxRetain(&context, device)) != 0 ||
      (result = cu.ctxSetCurrent(context)) != 0 ||
      (result = cu.streamCreate(&stream, 0)) != 0) {
    snprintf(unavailable, sizeof unavailable,
             "cannot open CUDA device %d: %s (CUDA error %d)", deviceOrdinal,
             describe(result), result);
    return;
  }
  available = 1;
}

/* The driver started and the device's context current on this thread. */
static int ready(void) {
  static __thread CUcontext current;
  pthread_once(&once, start);
  if (!available) {
    recordError("%s", unavailable);
    return 0;
  }
  if (current != context) {
    if (!check(cu.ctxSetCurrent(context), "cuCtxSetCurrent"))
      return 0;
    current = context;
  }
  return 1;
}

/*===--- What the Python runtime and the exported loader call -----------===*/

/* Where to find libcuda (kind 0) or libcublas (kind 1), before first use. */
DP_EXPORT void dpGpuSetLibrary(int kind, const char *path) {
  if (kind >= 0 && kind < 2 && path)
    snprintf(libraryPaths[kind], sizeof libraryPaths[kind], "%s", path);
}

DP_EXPORT void dpGpuSetDevice(int ordinal) { deviceOrdinal = ordinal; }

/* 1 if kernels can run; otherwise 0, with the reason in dpGpuUnavailable. */
DP_EXPORT int dpGpuAvailable(void) {
  pthread_once(&once, start);
  return available;
}

DP_EXPORT const char *dpGpuUnavailable(void) { return unavailable; }

/* The device's name and compute capability (major * 10 + minor). */
DP_EXPORT int dpGpuDevice(char *name, int length) {
  if (!ready())
    return 0;
  CUdevice device;
  int major = 0, minor = 0;
  cu.deviceGet(&device, deviceOrdinal);
  cu.deviceGetName(name, length, device);
  cu.deviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                        device);
  cu.deviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                        device);
  return major * 10 + minor;
}

/* The first error since the last call (and clears it); NULL if none. */
DP_EXPORT const char *dpGpuTakeError(void) {
  static __thread char taken[sizeof firstError];
  pthread_mutex_lock(&lock);
  int any = firstError[0] != 0;
  if (any) {
    memcpy(taken, firstError, sizeof taken);
    firstError[0] = 0;
  }
  pthread_mutex_unlock(&lock);
  return any ? taken : NULL;
}

/* Managed memory: readable by kernels and by host code. */
DP_EXPORT void *dpGpuAlloc(size_t bytes) {
  CUdeviceptr pointer = 0;
  if (!ready())
    return NULL;
  if (!check(cu.memAllocManaged(&pointer, bytes ? bytes : 1,
                                CU_MEM_ATTACH_GLOBAL),
             "cuMemAllocManaged"))
    return NULL;
  return (void *)(uintptr_t)pointer;
}

/* Device memory, for arrays that stay on the GPU between calls. */
DP_EXPORT void *dpGpuAllocDevice(size_t bytes) {
  CUdeviceptr pointer = 0;
  if (!ready() ||
      !check(cu.memAlloc(&pointer, bytes ? bytes : 1), "cuMemAlloc"))
    return NULL;
  return (void *)(uintptr_t)pointer;
}

DP_EXPORT void dpGpuFree(void *pointer) {
  if (!pointer)
    return;
  if (!available || cu.memFree((CUdeviceptr)(uintptr_t)pointer) != 0)
    free(pointer); /* a host fallback of a failed allocation */
}

/* Copies between any two of host, managed and device memory. */
DP_EXPORT int dpGpuMemcpy(void *to, const void *from, size_t bytes) {
  if (!bytes)
    return 1;
  if (!ready())
    return 0;
  return check(cu.streamSynchronize(stream), "cuStreamSynchronize") &&
         check(cu.memcpy((CUdeviceptr)(uintptr_t)to,
                         (CUdeviceptr)(uintptr_t)from, bytes),
               "cuMemcpy");
}

DP_EXPORT int dpGpuSynchronize(void) {
  return ready() && check(cu.ctxSynchronize(), "cuCtxSynchronize");
}

/* 1 if `pointer` is device memory that host code cannot read (not managed). */
DP_EXPORT int dpGpuIsDeviceOnly(const void *pointer) {
  unsigned type = 0, managed = 0;
  if (!ready())
    return 0;
  if (cu.pointerGetAttribute(&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE,
                             (CUdeviceptr)(uintptr_t)pointer) != 0)
    return 0;
  cu.pointerGetAttribute(&managed, CU_POINTER_ATTRIBUTE_IS_MANAGED,
                         (CUdeviceptr)(uintptr_t)pointer);
  return type == CU_MEMORYTYPE_DEVICE && !managed;
}

/*===--- What gpu-to-llvm's host code calls ------------------------------===*/

/* A module is loaded when its first kernel is looked up: opening compiled
 * code (dp_initialize) needs no device. */
typedef struct {
  const void *data;
  CUmodule module;
} LazyModule;

DP_EXPORT void *mgpuModuleLoad(void *data, size_t size) {
  (void)size; /* a cubin's ELF header says its size */
  LazyModule *lazy = calloc(1, sizeof *lazy);
  if (lazy)
    lazy->data = data;
  return lazy;
}

/* PTX, compiled for the device by the driver (no ptxas at build time). */
DP_EXPORT void *mgpuModuleLoadJIT(void *data, int optLevel) {
  (void)optLevel;
  return mgpuModuleLoad(data, 0);
}

DP_EXPORT void mgpuModuleUnload(void *handle) {
  LazyModule *lazy = handle;
  if (!lazy)
    return;
  if (lazy->module && available)
    cu.moduleUnload(lazy->module);
  free(lazy);
}

DP_EXPORT void *mgpuModuleGetFunction(void *handle, const char *name) {
  LazyModule *lazy = handle;
  CUfunction function = NULL;
  if (!lazy || !ready())
    return NULL;
  pthread_mutex_lock(&lock);
  CUresult loaded = lazy->module ? 0 : cu.moduleLoadData(&lazy->module, lazy->data);
  pthread_mutex_unlock(&lock);
  if (!check(loaded, "cuModuleLoadData (loading the kernels)"))
    return NULL;
  if (!check(cu.moduleGetFunction(&function, lazy->module, name),
             "cuModuleGetFunction"))
    return NULL;
  return function;
}

DP_EXPORT void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                                intptr_t gridZ, intptr_t blockX,
                                intptr_t blockY, intptr_t blockZ,
                                int32_t sharedBytes, void *launchStream,
                                void **params, void **extra,
                                size_t paramsCount) {
  (void)paramsCount;
  if (!function || !ready())
    return; /* the lookup's error is already recorded */
  if (gridX > 0x7fffffff || gridY > 65535 || gridZ > 65535) {
    recordError("a kernel grid of %ld x %ld x %ld blocks is too large",
                (long)gridX, (long)gridY, (long)gridZ);
    return;
  }
  CUstream target = launchStream ? launchStream : stream;
  if (check(cu.launchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                            blockZ, sharedBytes, target, params, extra),
            "cuLaunchKernel"))
    check(cu.streamSynchronize(target), "running a kernel");
}

/* One stream for all of dp's work: creating one per launch costs more than
 * a small kernel. */
DP_EXPORT void *mgpuStreamCreate(void) { return ready() ? stream : NULL; }

DP_EXPORT void mgpuStreamDestroy(void *s) {
  if (s && s != stream && available)
    cu.streamDestroy(s);
}

DP_EXPORT void mgpuStreamSynchronize(void *s) {
  if (ready())
    check(cu.streamSynchronize(s ? s : stream), "cuStreamSynchronize");
}

DP_EXPORT void mgpuStreamWaitEvent(void *s, void *event) {
  if (ready())
    check(cu.streamWaitEvent(s ? s : stream, event, 0), "cuStreamWaitEvent");
}

DP_EXPORT void *mgpuEventCreate(void) {
  CUevent event = NULL;
  if (ready())
    check(cu.eventCreate(&event, 2 /* CU_EVENT_DISABLE_TIMING */),
          "cuEventCreate");
  return event;
}

DP_EXPORT void mgpuEventDestroy(void *event) {
  if (event && available)
    cu.eventDestroy(event);
}

DP_EXPORT void mgpuEventSynchronize(void *event) {
  if (ready())
    check(cu.eventSynchronize(event), "cuEventSynchronize");
}

DP_EXPORT void mgpuEventRecord(void *event, void *s) {
  if (ready())
    check(cu.eventRecord(event, s ? s : stream), "cuEventRecord");
}

/* A failed allocation falls back to host memory, so that host code does not
 * crash on a null buffer; the recorded error fails the call. */
DP_EXPORT void *mgpuMemAlloc(uint64_t bytes, void *s, int8_t hostShared) {
  (void)s;
  void *pointer = hostShared ? dpGpuAlloc(bytes) : dpGpuAllocDevice(bytes);
  return pointer ? pointer : calloc(1, bytes ? bytes : 1);
}

DP_EXPORT void mgpuMemFree(void *pointer, void *s) {
  (void)s;
  dpGpuFree(pointer);
}

DP_EXPORT void mgpuMemcpy(void *to, void *from, size_t bytes, void *s) {
  (void)s;
  dpGpuMemcpy(to, from, bytes);
}

DP_EXPORT void mgpuMemset32(void *to, unsigned value, size_t count, void *s) {
  (void)s;
  if (ready())
    check(cu.memsetD32((CUdeviceptr)(uintptr_t)to, value, count),
          "cuMemsetD32");
}

DP_EXPORT void mgpuMemset16(void *to, int value, size_t count, void *s) {
  (void)s;
  if (ready())
    check(cu.memsetD16((CUdeviceptr)(uintptr_t)to, (unsigned short)value,
                       count),
          "cuMemsetD16");
}

DP_EXPORT void mgpuSetDefaultDevice(int32_t ordinal) { deviceOrdinal = ordinal; }

/*===--- Matrix products: CBLAS's row-major call, over cuBLAS -------------===*/

typedef void *CublasHandle;
static struct {
  int (*create)(CublasHandle *);
  int (*setStream)(CublasHandle, CUstream);
  int (*dgemm)(CublasHandle, int, int, int, int, int, const double *,
               const double *, int, const double *, int, const double *,
               double *, int);
  int (*sgemm)(CublasHandle, int, int, int, int, int, const float *,
               const float *, int, const float *, int, const float *, float *,
               int);
  CublasHandle handle;
  int tried;
} blas;

static int blasReady(void) {
  if (!ready())
    return 0;
  pthread_mutex_lock(&lock);
  if (!blas.tried) {
    blas.tried = 1;
    const char *names[] = {libraryPaths[1], "libcublas.so.12",
                           "libcublas.so.13", "libcublas.so.11", "libcublas.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !library; ++i)
      if (names[i][0])
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (library) {
      *(void **)&blas.create = dlsym(library, "cublasCreate_v2");
      *(void **)&blas.setStream = dlsym(library, "cublasSetStream_v2");
      *(void **)&blas.dgemm = dlsym(library, "cublasDgemm_v2");
      *(void **)&blas.sgemm = dlsym(library, "cublasSgemm_v2");
      if (blas.create && blas.setStream && blas.dgemm && blas.sgemm &&
          blas.create(&blas.handle) == 0)
        blas.setStream(blas.handle, stream);
      else
        blas.handle = NULL;
    }
  }
  pthread_mutex_unlock(&lock);
  if (!blas.handle)
    recordError("matrix products on the GPU need cuBLAS: install the "
                "nvidia-cublas-cu12 wheel (pip install \"dp-mlir[gpu]\")");
  return blas.handle != NULL;
}

/* Row-major C = alpha op(A) op(B) + beta C is column-major
 * C^T = alpha op(B)^T op(A)^T + beta C^T: the same buffers, operands and
 * dimensions swapped. */
enum { kCblasTrans = 112, kCublasN = 0, kCublasT = 1 };

static int tooLarge(int64_t m, int64_t n, int64_t k, int64_t lda, int64_t ldb,
                    int64_t ldc) {
  int64_t limit = 0x7fffffff;
  if (m > limit || n > limit || k > limit || lda > limit || ldb > limit ||
      ldc > limit) {
    recordError("a matrix product of %ld x %ld x %ld is too large for "
                "cuBLAS's 32-bit sizes", (long)m, (long)n, (long)k);
    return 1;
  }
  return 0;
}

DP_EXPORT void dpGpuDgemm(int32_t layout, int32_t transA, int32_t transB,
                          int64_t m, int64_t n, int64_t k, double alpha,
                          const double *a, int64_t lda, const double *b,
                          int64_t ldb, double beta, double *c, int64_t ldc) {
  (void)layout;
  if (m == 0 || n == 0 || !blasReady() || tooLarge(m, n, k, lda, ldb, ldc))
    return;
  int status = blas.dgemm(blas.handle, transB == kCblasTrans ? kCublasT : kCublasN,
                          transA == kCblasTrans ? kCublasT : kCublasN, (int)n,
                          (int)m, (int)k, &alpha, b, (int)ldb, a, (int)lda,
                          &beta, c, (int)ldc);
  if (status != 0)
    recordError("cublasDgemm failed (status %d)", status);
  else
    check(cu.streamSynchronize(stream), "running cublasDgemm");
}

DP_EXPORT void dpGpuSgemm(int32_t layout, int32_t transA, int32_t transB,
                          int64_t m, int64_t n, int64_t k, float alpha,
                          const float *a, int64_t lda, const float *b,
                          int64_t ldb, float beta, float *c, int64_t ldc) {
  (void)layout;
  if (m == 0 || n == 0 || !blasReady() || tooLarge(m, n, k, lda, ldb, ldc))
    return;
  int status = blas.sgemm(blas.handle, transB == kCblasTrans ? kCublasT : kCublasN,
                          transA == kCblasTrans ? kCublasT : kCublasN, (int)n,
                          (int)m, (int)k, &alpha, b, (int)ldb, a, (int)lda,
                          &beta, c, (int)ldc);
  if (status != 0)
    recordError("cublasSgemm failed (status %d)", status);
  else
    check(cu.streamSynchronize(stream), "running cublasSgemm");
}
