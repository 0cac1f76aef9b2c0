// A counting allocator for the allocation checks (Tests/alloc/README.md): preloaded with
// LD_PRELOAD into the test binary, it counts every heap allocation each thread makes and hands
// the work to glibc's own allocator. The tests read their thread's count through
// improv_alloc_count() (found with dlsym), so allocations by other threads (XCTest, dispatch,
// a learner's worker) never disturb a check of the per-slice path.
//
// Build: cc -shared -fPIC -O2 -o libcount-allocations.so count-allocations.c
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

// glibc's allocator under its own names: calling these never comes back here.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

// initial-exec: reading the counter never calls __tls_get_addr (which may allocate).
static __thread uint64_t allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t bytes __attribute__((tls_model("initial-exec")));

static inline void counted(size_t size) {
    allocations += 1;
    bytes += size;
}

/// Heap allocations (malloc, calloc, realloc, the aligned ones, C++ new through malloc) made so
/// far on the calling thread.
uint64_t improv_alloc_count(void) { return allocations; }

/// Bytes asked for by those allocations.
uint64_t improv_alloc_bytes(void) { return bytes; }

void *malloc(size_t size) {
    counted(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    counted(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    counted(size);
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    counted(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    counted(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    counted(size);
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t size) {
    counted(size);
    return __libc_valloc(size);
}

void *pvalloc(size_t size) {
    counted(size);
    return __libc_pvalloc(size);
}
