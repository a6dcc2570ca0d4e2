/// \file malloc.cpp
/// \brief malloc, free, calloc, realloc: a first-fit allocator with boundary tags over a heap that grows from a static arena.
///
/// Where the memory comes from: a program started by proc holds no Memory capability (only
/// proc's and fs's endpoints), so it cannot ask the kernel for pages. The heap therefore grows
/// inside one 1 MiB array in .bss, which the ELF loader maps (zeroed) with the program;
/// `grow_heap` is the one place to change if processes get a memory pool one day. Only
/// programs that use malloc link this file, and so the arena.
///
/// Layout: blocks lie end to end from the arena's start to `g_top`. Each starts with a header
/// {size of the block below it, own size | used bit}; sizes are multiples of 16, so payloads
/// are 16-byte aligned. Free blocks also hold the links of a doubly linked free list. Two
/// invariants keep it compact: no two free blocks touch (free() merges both ways), and the
/// top block is never free (it is given back to the arena instead).
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

namespace {

// 1 MiB: the kernel maps and zeroes .bss when it starts the program, and does so without
// being preempted; 4 MiB kept every other process waiting for ~60 ms (guest time) at each
// spawn of a program that uses malloc, long enough for RS to miss a driver's heartbeat.
constexpr size_t kArenaBytes = 1u << 20;
constexpr size_t kAlign = 16;
constexpr size_t kUsed = 1;

struct Header {
    size_t prev_size;  ///< Size of the block just below (0 for the first block).
    size_t size;       ///< This block's size, header included, | kUsed.
};

/// A free block's payload holds the free-list links.
struct FreeBlock {
    Header header;
    FreeBlock* next;
    FreeBlock* prev;
};

constexpr size_t kHeaderBytes = sizeof(Header);
constexpr size_t kMinBlock = sizeof(FreeBlock);
static_assert(kHeaderBytes % kAlign == 0 && kMinBlock % kAlign == 0);

alignas(kAlign) char g_arena[kArenaBytes];
char* g_top = g_arena;        ///< End of the blocks handed out so far.
Header* g_last = nullptr;     ///< The block that ends at g_top (always in use).
FreeBlock* g_free = nullptr;  ///< The free list (unordered).

size_t size_of(const Header* h) { return h->size & ~kUsed; }
bool is_used(const Header* h) { return h->size & kUsed; }
Header* next_of(Header* h) { return reinterpret_cast<Header*>(reinterpret_cast<char*>(h) + size_of(h)); }
Header* prev_of(Header* h)
{
    return h->prev_size ? reinterpret_cast<Header*>(reinterpret_cast<char*>(h) - h->prev_size) : nullptr;
}
Header* header_of(void* p) { return reinterpret_cast<Header*>(static_cast<char*>(p) - kHeaderBytes); }
void* payload_of(Header* h) { return reinterpret_cast<char*>(h) + kHeaderBytes; }
FreeBlock* as_free(Header* h) { return reinterpret_cast<FreeBlock*>(h); }

void list_remove(FreeBlock* b)
{
    if (b->prev) b->prev->next = b->next;
    else g_free = b->next;
    if (b->next) b->next->prev = b->prev;
}

void list_push(FreeBlock* b)
{
    b->prev = nullptr;
    b->next = g_free;
    if (g_free) g_free->prev = b;
    g_free = b;
}

/// Sets `h`'s size and tells the block above it (if any) how big its neighbour now is.
void set_size(Header* h, size_t size, bool used)
{
    h->size = size | (used ? kUsed : 0);
    char* above = reinterpret_cast<char*>(h) + size;
    if (above < g_top) reinterpret_cast<Header*>(above)->prev_size = size;
}

/// The memory source: `bytes` more at the top of the heap, or nullptr when the arena is full.
char* grow_heap(size_t bytes)
{
    if (bytes > static_cast<size_t>(g_arena + kArenaBytes - g_top)) return nullptr;
    char* start = g_top;
    g_top += bytes;
    return start;
}

/// The block size that holds a payload of `n` bytes, or 0 if it could never fit.
size_t block_size_for(size_t n)
{
    if (n > kArenaBytes) return 0;
    size_t size = (n + kHeaderBytes + kAlign - 1) & ~(kAlign - 1);
    return size < kMinBlock ? kMinBlock : size;
}

/// Frees block `h` (already marked free, not in the list): merges it with free neighbours,
/// then lists it, or gives it back to the arena if it is the top block.
void release(Header* h)
{
    size_t size = size_of(h);
    Header* above = reinterpret_cast<char*>(h) + size < g_top ? next_of(h) : nullptr;
    if (above && !is_used(above)) {
        list_remove(as_free(above));
        size += size_of(above);
    }
    Header* below = prev_of(h);
    if (below && !is_used(below)) {
        list_remove(as_free(below));
        size += size_of(below);
        h = below;
    }
    if (reinterpret_cast<char*>(h) + size == g_top) {
        // The top of the heap: shrink the heap instead (the block below is in use).
        g_top = reinterpret_cast<char*>(h);
        g_last = prev_of(h);
        return;
    }
    set_size(h, size, false);
    list_push(as_free(h));
}

/// Cuts block `h` (in use) down to `size` bytes; the rest is freed if it can be a block.
void shrink(Header* h, size_t size)
{
    size_t total = size_of(h);
    if (total - size < kMinBlock) return;
    set_size(h, size, true);
    Header* rest = next_of(h);
    rest->prev_size = size;
    if (h == g_last) {
        // Growing the heap later is as good as a free block at the top.
        g_top = reinterpret_cast<char*>(rest);
        return;
    }
    set_size(rest, total - size, false);
    release(rest);
}

/// free() of something malloc never returned, or twice: the heap cannot be trusted.
bool plausible(Header* h)
{
    char* p = reinterpret_cast<char*>(h);
    return p >= g_arena && p < g_top && reinterpret_cast<uintptr_t>(p) % kAlign == 0 && is_used(h) &&
           size_of(h) >= kMinBlock && size_of(h) <= static_cast<size_t>(g_top - p);
}

} // namespace

extern "C" {

void* malloc(size_t n)
{
    size_t need = block_size_for(n);
    if (need == 0) {
        errno = ENOMEM;
        return nullptr;
    }
    // (1) First fit from the free list.
    for (FreeBlock* b = g_free; b; b = b->next) {
        if (size_of(&b->header) >= need) {
            list_remove(b);
            set_size(&b->header, size_of(&b->header), true);
            shrink(&b->header, need);
            return payload_of(&b->header);
        }
    }
    // (2) Otherwise a new block at the top of the heap.
    char* memory = grow_heap(need);
    if (!memory) {
        errno = ENOMEM;
        return nullptr;
    }
    Header* h = reinterpret_cast<Header*>(memory);
    h->prev_size = g_last ? size_of(g_last) : 0;
    h->size = need | kUsed;
    g_last = h;
    return payload_of(h);
}

void free(void* p)
{
    if (!p) return;
    Header* h = header_of(p);
    if (!plausible(h)) abort();
    h->size &= ~kUsed;
    release(h);
}

void* calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return nullptr;
    }
    void* p = malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

void* realloc(void* p, size_t n)
{
    if (!p) return malloc(n);
    if (n == 0) {
        free(p);
        return nullptr;
    }
    Header* h = header_of(p);
    if (!plausible(h)) abort();
    size_t need = block_size_for(n);
    if (need == 0) {
        errno = ENOMEM;
        return nullptr;
    }
    size_t have = size_of(h);
    // (1) Smaller: give back the tail.
    if (need <= have) {
        shrink(h, need);
        return p;
    }
    // (2) The top block grows with the heap; (3) another grows into a free block above it.
    if (h == g_last) {
        if (grow_heap(need - have)) {
            h->size = need | kUsed;
            return p;
        }
    } else {
        Header* above = next_of(h);
        if (!is_used(above) && have + size_of(above) >= need) {
            list_remove(as_free(above));
            set_size(h, have + size_of(above), true);
            shrink(h, need);
            return p;
        }
    }
    // (4) Move.
    void* q = malloc(n);
    if (!q) return nullptr;
    memcpy(q, p, have - kHeaderBytes);
    free(p);
    return q;
}

} // extern "C"
