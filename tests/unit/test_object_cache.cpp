/// \file test_object_cache.cpp
/// \brief Host tests for ObjectCache: slot layout and alignment, construction and destruction, LIFO reuse, growth by pages, NoMemory.
#include "mm/object_cache.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

constexpr size_t kPage = 4096;

// The page source: 4 KiB-aligned host pages, each recorded so the test can free them, with an
// optional limit after which it fails.
std::vector<void*> g_pages;
size_t g_limit = SIZE_MAX;
size_t g_calls = 0;

Result<void*> tracked_page()
{
    ++g_calls;
    if (g_pages.size() >= g_limit) return Error::NoMemory;
    void* page = std::aligned_alloc(kPage, kPage);
    if (!page) return Error::NoMemory;
    std::memset(page, 0xa5, kPage);  // Garbage, so nothing can rely on zeroed pages.
    g_pages.push_back(page);
    return page;
}

/// Installs tracked_page for the life of a test (declare it before the caches), then frees every
/// page it handed out.
struct PageSourceScope {
    explicit PageSourceScope(size_t limit = SIZE_MAX)
    {
        g_pages.clear();
        g_limit = limit;
        g_calls = 0;
        set_object_page_source(tracked_page);
    }
    ~PageSourceScope()
    {
        for (void* page : g_pages) std::free(page);
        g_pages.clear();
        set_object_page_source(nullptr);
    }
    PageSourceScope(const PageSourceScope&) = delete;
    PageSourceScope& operator=(const PageSourceScope&) = delete;
};

/// The index of the tracked page holding `p`, or -1.
int page_of(const void* p)
{
    auto addr = reinterpret_cast<uintptr_t>(p);
    for (size_t i = 0; i < g_pages.size(); ++i) {
        auto base = reinterpret_cast<uintptr_t>(g_pages[i]);
        if (addr >= base && addr < base + kPage) return static_cast<int>(i);
    }
    return -1;
}

uintptr_t address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

/// The object create() made, or nullptr (after a failed check) if it failed.
template <typename T, typename... Args>
T* must_create(ObjectCache<T>& cache, Args&&... args)
{
    Result<T*> r = cache.create(static_cast<Args&&>(args)...);
    CHECK_FALSE(r.is_error());
    return r.is_error() ? nullptr : r.value();
}

/// Creates `n` objects; counts failures instead of asserting per object.
template <typename T>
std::vector<T*> create_many(ObjectCache<T>& cache, size_t n)
{
    std::vector<T*> objects;
    size_t failures = 0;
    for (size_t i = 0; i < n; ++i) {
        Result<T*> r = cache.create();
        if (r.is_error()) ++failures;
        else objects.push_back(r.value());
    }
    CHECK(failures == 0);
    return objects;
}

// Object types of every interesting shape.
struct Tiny {
    char c;
};
struct Word {
    uint64_t value;
};
struct Three {
    void* a;
    void* b;
    void* c;
};
struct Plain {
    int a;
    long b;
};
struct alignas(64) Line {
    int x;
};
struct alignas(64) TwoLines {
    char data[100];
};
struct PageSized {
    char data[kPage];
};
/// 12 bytes with 4-byte alignment: larger than a pointer but not a multiple of its alignment.
struct Odd {
    uint32_t a, b, c;
};

/// Counts constructions and destructions.
struct Counted {
    static inline int constructed = 0;
    static inline int destroyed = 0;
    explicit Counted(int v = 0) : value(v) { ++constructed; }
    ~Counted() { ++destroyed; }
    int value;
    uint64_t padding[2] = {};
};

/// Takes arguments of every category: by value, an rvalue-only type, an lvalue reference, a const reference.
struct Made {
    Made(int number, std::unique_ptr<int> owned, int& referenced, const std::string& name)
        : number(number), owned(std::move(owned)), referenced(&referenced), name(name)
    {
    }
    int number;
    std::unique_ptr<int> owned;
    int* referenced;
    std::string name;
};

} // namespace

TEST_CASE("ObjectCache: slot sizes", "[object_cache]")
{
    CHECK(ObjectCache<Tiny>::kSlotSize == sizeof(void*));  // Rounded up to hold the free-list link.
    CHECK(ObjectCache<Word>::kSlotSize == 8);
    CHECK(ObjectCache<Three>::kSlotSize == 24);
    CHECK(ObjectCache<Plain>::kSlotSize == 16);
    CHECK(ObjectCache<Line>::kSlotSize == 64);
    CHECK(ObjectCache<TwoLines>::kSlotSize == 128);
    CHECK(ObjectCache<PageSized>::kSlotSize == kPage);
}

TEST_CASE("ObjectCache: every slot can hold the free-list link", "[object_cache]")
{
    // Rounding sizeof(T) up to alignof(T) alone would give 12 for a 12-byte type with 4-byte
    // alignment, and every second slot's FreeSlot* would sit at an address that is 4 mod 8 (a
    // misaligned pointer store). The slot size must also be a multiple of alignof(void*): 16 here.
    using Cache = ObjectCache<Odd>;
    CHECK(Cache::kSlotSize % alignof(void*) == 0);
    CHECK(Cache::kSlotSize % alignof(Odd) == 0);
    CHECK(Cache::kSlotSize >= sizeof(Odd));
}

// With a slot size that is not a multiple of alignof(void*), the first create() would thread
// misaligned free-list links and UBSan would abort the whole binary.
TEST_CASE("ObjectCache: a 12-byte, 4-aligned type", "[object_cache][object_cache_odd]")
{
    PageSourceScope source;
    ObjectCache<Odd> cache{"odd"};
    auto objects = create_many(cache, 500);
    REQUIRE(objects.size() == 500);
    std::set<uintptr_t> distinct;
    for (Odd* o : objects) distinct.insert(address(o));
    CHECK(distinct.size() == 500);
    for (size_t i = 0; i < objects.size(); ++i) *objects[i] = Odd{uint32_t(i), uint32_t(i + 1), uint32_t(i + 2)};
    size_t intact = 0;
    for (size_t i = 0; i < objects.size(); ++i)
        intact += objects[i]->a == i && objects[i]->b == i + 1 && objects[i]->c == i + 2;
    CHECK(intact == 500);
    for (Odd* o : objects) cache.destroy(o);
    CHECK(cache.live() == 0);
}

TEST_CASE("ObjectCache: a new cache takes no page until the first create", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Word> cache{"words"};
    CHECK(std::string(cache.name()) == "words");
    CHECK(cache.live() == 0);
    CHECK(cache.pages() == 0);
    CHECK(g_calls == 0);

    Word* w = must_create(cache);
    REQUIRE(w != nullptr);
    CHECK(g_calls == 1);
    CHECK(cache.pages() == 1);
    CHECK(cache.live() == 1);
    CHECK(w == g_pages[0]);  // The first object is at the start of the page.
    cache.destroy(w);
    CHECK(cache.live() == 0);
    CHECK(cache.pages() == 1);  // Pages are never given back.
}

TEST_CASE("ObjectCache: a page is carved into slots, lowest address first", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Word> cache{"words"};
    constexpr size_t kPerPage = kPage / sizeof(Word);  // 512
    auto objects = create_many(cache, kPerPage);
    REQUIRE(objects.size() == kPerPage);
    CHECK(cache.pages() == 1);
    CHECK(cache.live() == kPerPage);
    REQUIRE(g_pages.size() == 1);

    size_t misplaced = 0;
    std::set<uintptr_t> distinct;
    for (size_t i = 0; i < kPerPage; ++i) {
        misplaced += address(objects[i]) != address(g_pages[0]) + i * sizeof(Word);
        distinct.insert(address(objects[i]));
    }
    CHECK(misplaced == 0);
    CHECK(distinct.size() == kPerPage);

    // The objects do not overlap: each keeps what was written to it.
    for (size_t i = 0; i < kPerPage; ++i) objects[i]->value = 0x1000 + i;
    size_t intact = 0;
    for (size_t i = 0; i < kPerPage; ++i) intact += objects[i]->value == 0x1000 + i;
    CHECK(intact == kPerPage);
}

TEST_CASE("ObjectCache: create() value-initializes", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Plain> cache{"plain"};
    Plain* p = must_create(cache);
    REQUIRE(p != nullptr);
    // The page was filled with 0xa5; T() zeroes an aggregate without a constructor.
    CHECK(p->a == 0);
    CHECK(p->b == 0);
}

TEST_CASE("ObjectCache: constructor arguments are forwarded", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Made> cache{"made"};
    int target = 5;
    auto owned = std::make_unique<int>(99);
    int* owned_raw = owned.get();
    std::string name = "a name long enough to live on the heap, not in the small buffer";

    Made* m = must_create(cache, 7, std::move(owned), target, name);
    REQUIRE(m != nullptr);
    CHECK(m->number == 7);
    CHECK(m->owned.get() == owned_raw);  // Moved, not copied.
    CHECK(owned == nullptr);
    CHECK(m->referenced == &target);     // The lvalue reference reached the constructor as one.
    CHECK(m->name == name);
    CHECK(cache.live() == 1);

    // Temporaries work too.
    int other = 0;
    Made* n = must_create(cache, -1, std::unique_ptr<int>(), other, std::string("temp"));
    REQUIRE(n != nullptr);
    CHECK(n->number == -1);
    CHECK(n->owned == nullptr);
    CHECK(n->referenced == &other);
    CHECK(n->name == "temp");

    // destroy() runs ~Made, which frees the unique_ptr and the string (LeakSanitizer would notice).
    cache.destroy(m);
    cache.destroy(n);
    CHECK(cache.live() == 0);
}

TEST_CASE("ObjectCache: destroy runs the destructor, and slots are reused last-freed first", "[object_cache]")
{
    PageSourceScope source;
    Counted::constructed = Counted::destroyed = 0;
    ObjectCache<Counted> cache{"counted"};
    constexpr size_t kSlot = ObjectCache<Counted>::kSlotSize;

    Counted* a = must_create(cache, 1);
    Counted* b = must_create(cache, 2);
    Counted* c = must_create(cache, 3);
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    REQUIRE(c != nullptr);
    CHECK(Counted::constructed == 3);
    CHECK(Counted::destroyed == 0);
    CHECK(a->value == 1);
    CHECK(b->value == 2);
    CHECK(c->value == 3);
    CHECK(address(b) == address(a) + kSlot);
    CHECK(address(c) == address(b) + kSlot);
    CHECK(cache.live() == 3);

    cache.destroy(a);
    CHECK(Counted::destroyed == 1);
    CHECK(cache.live() == 2);
    cache.destroy(c);
    CHECK(Counted::destroyed == 2);
    CHECK(cache.live() == 1);
    CHECK(b->value == 2);  // Freeing the neighbours leaves b alone.

    // LIFO: c was freed last, so it comes back first, then a, then the next fresh slot.
    Counted* d = must_create(cache, 4);
    Counted* e = must_create(cache, 5);
    Counted* f = must_create(cache, 6);
    CHECK(d == c);
    CHECK(e == a);
    CHECK(address(f) == address(a) + 3 * kSlot);
    CHECK(d->value == 4);  // Freshly constructed in the reused slot.
    CHECK(e->value == 5);
    CHECK(Counted::constructed == 6);
    CHECK(cache.live() == 4);
    CHECK(cache.pages() == 1);

    for (Counted* o : {b, d, e, f}) cache.destroy(o);
    CHECK(Counted::destroyed == 6);
    CHECK(cache.live() == 0);
}

TEST_CASE("ObjectCache: freeing some objects leaves the others intact", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Word> cache{"words"};
    auto objects = create_many(cache, 1000);  // Two pages.
    REQUIRE(objects.size() == 1000);
    for (size_t i = 0; i < objects.size(); ++i) objects[i]->value = ~static_cast<uint64_t>(i);
    for (size_t i = 0; i < objects.size(); i += 2) cache.destroy(objects[i]);
    CHECK(cache.live() == 500);
    size_t intact = 0;
    for (size_t i = 1; i < objects.size(); i += 2) intact += objects[i]->value == ~static_cast<uint64_t>(i);
    CHECK(intact == 500);

    // The 500 freed slots are reused before any new page.
    auto again = create_many(cache, 500);
    CHECK(cache.pages() == 2);
    CHECK(g_calls == 2);
    std::set<uintptr_t> freed;
    for (size_t i = 0; i < objects.size(); i += 2) freed.insert(address(objects[i]));
    std::set<uintptr_t> reused;
    for (Word* w : again) reused.insert(address(w));
    CHECK(reused == freed);
}

TEST_CASE("ObjectCache: grows by whole pages", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Three> cache{"three"};
    constexpr size_t kPerPage = kPage / sizeof(Three);  // 170, with 16 bytes left over.
    static_assert(kPerPage == 170);

    auto first = create_many(cache, kPerPage);
    CHECK(cache.pages() == 1);
    CHECK(g_calls == 1);
    REQUIRE(first.size() == kPerPage);
    // The last slot ends inside the page; the 16 spare bytes are never used.
    CHECK(address(first.back()) == address(g_pages[0]) + (kPerPage - 1) * sizeof(Three));

    Three* spill = must_create(cache);
    CHECK(cache.pages() == 2);
    CHECK(g_calls == 2);
    REQUIRE(g_pages.size() == 2);
    CHECK(spill == g_pages[1]);

    auto rest = create_many(cache, kPerPage - 1);  // Fills the second page exactly.
    CHECK(cache.pages() == 2);
    Three* third = must_create(cache);
    CHECK(cache.pages() == 3);
    CHECK(page_of(third) == 2);
    CHECK(cache.live() == 2 * kPerPage + 1);

    // Every object lies within a tracked page, and all are distinct.
    std::set<uintptr_t> distinct;
    size_t outside = 0;
    for (auto* v : {&first, &rest})
        for (Three* t : *v) {
            distinct.insert(address(t));
            outside += page_of(t) < 0 || address(t) + sizeof(Three) > address(g_pages[page_of(t)]) + kPage;
        }
    distinct.insert(address(spill));
    distinct.insert(address(third));
    CHECK(outside == 0);
    CHECK(distinct.size() == 2 * kPerPage + 1);
}

TEST_CASE("ObjectCache: emptying the cache and filling it again takes no new page", "[object_cache]")
{
    PageSourceScope source;
    ObjectCache<Three> cache{"three"};
    auto objects = create_many(cache, 400);  // 3 pages.
    CHECK(cache.pages() == 3);
    std::set<uintptr_t> before;
    for (Three* t : objects) before.insert(address(t));
    for (Three* t : objects) cache.destroy(t);
    CHECK(cache.live() == 0);
    CHECK(cache.pages() == 3);

    auto again = create_many(cache, 400);
    CHECK(cache.pages() == 3);
    CHECK(g_calls == 3);
    std::set<uintptr_t> after;
    for (Three* t : again) after.insert(address(t));
    CHECK(after == before);
    CHECK(cache.live() == 400);
}

TEST_CASE("ObjectCache: NoMemory when the page source fails", "[object_cache][nomemory]")
{
    SECTION("after two pages")
    {
        PageSourceScope source(2);
        Counted::constructed = Counted::destroyed = 0;
        ObjectCache<Counted> cache{"counted"};
        constexpr size_t kPerPage = kPage / ObjectCache<Counted>::kSlotSize;
        auto objects = create_many(cache, 2 * kPerPage);
        REQUIRE(objects.size() == 2 * kPerPage);
        CHECK(cache.pages() == 2);

        Result<Counted*> r = cache.create(1);
        REQUIRE(r.is_error());
        CHECK(r.error() == Error::NoMemory);
        CHECK(cache.live() == 2 * kPerPage);  // Nothing changed.
        CHECK(cache.pages() == 2);
        CHECK(Counted::constructed == static_cast<int>(2 * kPerPage));  // No constructor ran.
        CHECK(g_calls == 3);

        // Asking again fails again, the same way.
        Result<Counted*> again = cache.create(2);
        CHECK(again.is_error());
        CHECK(again.error() == Error::NoMemory);
        CHECK(g_calls == 4);

        // A freed slot makes room without a page.
        Counted* freed = objects[17];
        cache.destroy(freed);
        Counted* c = must_create(cache, 3);
        CHECK(c == freed);
        CHECK(c->value == 3);
        CHECK(g_calls == 4);
        CHECK(cache.live() == 2 * kPerPage);

        for (Counted* o : objects) cache.destroy(o);  // objects[17] is c now.
        CHECK(cache.live() == 0);
        CHECK(Counted::destroyed == Counted::constructed);
    }
    SECTION("from the start")
    {
        PageSourceScope source(0);
        ObjectCache<Word> cache{"words"};
        Result<Word*> r = cache.create();
        REQUIRE(r.is_error());
        CHECK(r.error() == Error::NoMemory);
        CHECK(cache.live() == 0);
        CHECK(cache.pages() == 0);
        CHECK(g_calls == 1);
    }
    SECTION("two caches share the source and its limit")
    {
        PageSourceScope source(2);
        ObjectCache<Word> words{"words"};
        ObjectCache<Three> threes{"three"};
        Word* w = must_create(words);
        Three* t = must_create(threes);
        CHECK(page_of(w) == 0);
        CHECK(page_of(t) == 1);  // Each cache has pages of its own.
        CHECK(words.pages() == 1);
        CHECK(threes.pages() == 1);
        auto more = create_many(threes, kPage / sizeof(Three) - 1);  // Fills the second page.
        Result<Three*> r = threes.create();
        CHECK(r.is_error());
        CHECK(words.live() == 1);
        CHECK(words.create().is_error() == false);  // The words cache still has free slots.
    }
}

TEST_CASE("ObjectCache: objects smaller than a pointer, pointer-sized and larger", "[object_cache]")
{
    PageSourceScope source;

    SECTION("1 byte: one pointer-sized slot each")
    {
        ObjectCache<Tiny> cache{"tiny"};
        auto objects = create_many(cache, kPage / sizeof(void*));  // 512 fit in one page.
        REQUIRE(objects.size() == 512);
        CHECK(cache.pages() == 1);
        CHECK(address(objects[1]) - address(objects[0]) == sizeof(void*));
        for (size_t i = 0; i < objects.size(); ++i) objects[i]->c = static_cast<char>(i);
        cache.destroy(objects[10]);  // Its link overwrites its own slot only.
        CHECK(objects[9]->c == 9);
        CHECK(objects[11]->c == 11);
        CHECK(must_create(cache) == objects[10]);
        must_create(cache);
        CHECK(cache.pages() == 2);
    }
    SECTION("exactly pointer-sized")
    {
        ObjectCache<Word> cache{"words"};
        Word* a = must_create(cache);
        Word* b = must_create(cache);
        CHECK(address(b) - address(a) == sizeof(Word));
        CHECK(address(a) % alignof(Word) == 0);
        a->value = UINT64_MAX;  // Every bit of the slot belongs to the object.
        b->value = 0;
        cache.destroy(b);
        CHECK(a->value == UINT64_MAX);
    }
    SECTION("larger: 24 bytes")
    {
        ObjectCache<Three> cache{"three"};
        Three* a = must_create(cache);
        Three* b = must_create(cache);
        CHECK(address(b) - address(a) == sizeof(Three));
        CHECK(address(a) % alignof(Three) == 0);
        CHECK(address(b) % alignof(Three) == 0);
    }
    SECTION("a whole page each")
    {
        ObjectCache<PageSized> cache{"page"};
        PageSized* objects[3];
        for (auto*& o : objects) o = must_create(cache);
        CHECK(cache.pages() == 3);
        REQUIRE(g_pages.size() == 3);
        for (size_t i = 0; i < 3; ++i) CHECK(objects[i] == g_pages[i]);
        std::memset(objects[1]->data, 0x11, kPage);
        cache.destroy(objects[1]);
        CHECK(must_create(cache) == objects[1]);
        CHECK(cache.pages() == 3);
    }
}

TEST_CASE("ObjectCache: an alignas(64) type", "[object_cache][align]")
{
    PageSourceScope source;

    SECTION("64 bytes: 64 per page, each on a cache line")
    {
        ObjectCache<Line> cache{"line"};
        auto objects = create_many(cache, kPage / 64);
        REQUIRE(objects.size() == 64);
        CHECK(cache.pages() == 1);
        size_t misaligned = 0;
        for (Line* l : objects) misaligned += address(l) % 64 != 0;
        CHECK(misaligned == 0);
        CHECK(address(objects[63]) == address(g_pages[0]) + 63 * 64);
        Line* next = must_create(cache);
        CHECK(cache.pages() == 2);
        CHECK(address(next) % 64 == 0);
    }
    SECTION("100 bytes of data: 128-byte slots, 32 per page")
    {
        ObjectCache<TwoLines> cache{"twolines"};
        auto objects = create_many(cache, 33);
        REQUIRE(objects.size() == 33);
        CHECK(cache.pages() == 2);
        size_t misaligned = 0;
        for (TwoLines* t : objects) misaligned += address(t) % 64 != 0;
        CHECK(misaligned == 0);
        CHECK(address(objects[1]) - address(objects[0]) == 128);
        CHECK(page_of(objects[31]) == 0);
        CHECK(page_of(objects[32]) == 1);
        for (size_t i = 0; i < objects.size(); ++i) std::memset(objects[i]->data, int(i), sizeof(objects[i]->data));
        size_t intact = 0;
        for (size_t i = 0; i < objects.size(); ++i)
            intact += objects[i]->data[0] == char(i) && objects[i]->data[99] == char(i);
        CHECK(intact == 33);
    }
}
