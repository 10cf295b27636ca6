/* KEEL_GC_VERIFY's record of the old-generation pages written since the heap
 * was last verified, so that verifying after a minor collection costs what
 * can have changed instead of the whole heap (docs/runtime.md, "Verifying").
 *
 * After each verification the old generation's blocks are made read-only.
 * The first write to one of their pages, by compiled code (a storer, with or
 * without its barrier, or any store), C code or the collector itself
 * (promotion, updated fields), faults; the handler records the page and makes
 * it writable again, and the write is retried.  A page nobody wrote still
 * holds what the last verification checked.  Blocks handed out after the
 * last verification lie above the protected range and count as written.
 *
 * Writes by the kernel (a read(2) into an old object) do not fault: they fail
 * with EFAULT.  KEEL_GC_VERIFY=full checks the whole heap after every
 * collection with no protection, for programs that do that. */
#define _DEFAULT_SOURCE
#include "internal.h"
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint8_t *page_written;      /* one byte per page of the heap region */
static size_t page_shift;
static char *protected_lo, *protected_hi;
static struct sigaction previous_action;
static bool tracking;

static void on_write_fault(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    char *address = info->si_addr;
    if (address >= protected_lo && address < protected_hi) {
        size_t page = (size_t)(address - keel_heap.base) >> page_shift;
        if (!page_written[page]) {
            page_written[page] = 1;
            char *start = keel_heap.base + (page << page_shift);
            if (mprotect(start, (size_t)1 << page_shift, PROT_READ | PROT_WRITE) == 0) return;
        }
    }
    /* Not a write to a tracked page: a real fault.  Restore the previous
     * disposition; returning retries the access, which faults again there. */
    sigaction(signal_number, &previous_action, NULL);
}

void keel_written_init(void) {
    long page_bytes = sysconf(_SC_PAGESIZE);
    if (page_bytes <= 0 || (page_bytes & (page_bytes - 1)) != 0 || (size_t)page_bytes > KEEL_BLOCK_BYTES) return;
    page_shift = (size_t)__builtin_ctzl((unsigned long)page_bytes);
    size_t pages = keel_heap.reserve_bytes >> page_shift;
    void *map = mmap(NULL, pages, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (map == MAP_FAILED) return; /* verify everything every time */
    page_written = map;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_write_fault;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSEGV, &action, &previous_action) != 0) return;
    tracking = true;
}

/* Called at the end of a verification: from now on, record writes to every
 * block of the old generation. */
void keel_written_protect(void) {
    if (!tracking) return;
    Heap *h = &keel_heap;
    char *lo = keel_block_start(h->nursery_blocks), *hi = keel_block_start(h->high_water);
    if (hi <= lo) {
        protected_lo = protected_hi = lo;
        return;
    }
    memset(page_written + ((size_t)(lo - h->base) >> page_shift), 0, (size_t)(hi - lo) >> page_shift);
    protected_lo = lo;
    protected_hi = hi;
    if (mprotect(lo, (size_t)(hi - lo), PROT_READ) != 0) {
        protected_lo = protected_hi = lo; /* could not protect: everything counts as written */
        tracking = false;
    }
}

/* Makes the old generation writable and stops recording until the next
 * keel_written_protect (which the next verification, a whole one, calls). */
void keel_written_suspend(void) {
    if (!tracking || protected_hi <= protected_lo) return;
    if (mprotect(protected_lo, (size_t)(protected_hi - protected_lo), PROT_READ | PROT_WRITE) != 0)
        keel_fatal(KEEL_EXIT_MISUSE, "KEEL_GC_VERIFY: cannot unprotect the old generation");
    protected_lo = protected_hi = keel_heap.base; /* every page counts as written */
}

bool keel_written_tracking(void) { return tracking; }

bool keel_written_page(const char *page) {
    if (!tracking || page < protected_lo || page >= protected_hi) return true;
    return page_written[(size_t)(page - keel_heap.base) >> page_shift] != 0;
}

bool keel_written_block(size_t index) {
    char *start = keel_block_start(index);
    for (size_t off = 0; off < KEEL_BLOCK_BYTES; off += keel_written_page_bytes())
        if (keel_written_page(start + off)) return true;
    return false;
}

size_t keel_written_page_bytes(void) { return (size_t)1 << page_shift; }
