/// \file test_list.cpp
/// \brief Host tests for IntrusiveList: order of push_back/push_front/pop_front, remove anywhere, contains, size, for_each, two lists through two nodes.
#include "lib/list.hpp"

#include <catch2/catch.hpp>
#include <vector>

namespace {

/// An object with two nodes, neither at offset 0, so owner() must subtract a real offset.
struct Item {
    explicit Item(int v) : value(v) {}
    int value;
    ListNode a;
    ListNode b;
};

/// An object whose node is its first member (offset 0).
struct First {
    ListNode link;
    int value = 0;
};

using ListA = IntrusiveList<Item, &Item::a>;
using ListB = IntrusiveList<Item, &Item::b>;

/// The values on a list, front to back, as for_each visits them.
template <typename List>
std::vector<int> values(const List& list)
{
    std::vector<int> out;
    list.for_each([&](auto* item) { out.push_back(item->value); });
    return out;
}

/// `n` items with values 0 .. n-1.
std::vector<Item> make_items(int n)
{
    std::vector<Item> items;
    items.reserve(n);
    for (int i = 0; i < n; ++i) items.emplace_back(i);
    return items;
}

} // namespace

TEST_CASE("IntrusiveList: a new list is empty", "[list]")
{
    ListA list;
    CHECK(list.is_empty());
    CHECK(list.size() == 0);
    CHECK(list.front() == nullptr);
    CHECK(list.pop_front() == nullptr);
    CHECK(list.size() == 0);  // A pop from an empty list changes nothing.
    int calls = 0;
    list.for_each([&](Item*) { ++calls; });
    CHECK(calls == 0);

    Item x(7);
    CHECK_FALSE(x.a.is_linked());
    CHECK_FALSE(x.b.is_linked());
    CHECK_FALSE(list.contains(&x));
}

TEST_CASE("IntrusiveList: push_back keeps insertion order", "[list]")
{
    auto items = make_items(5);
    ListA list;
    for (auto& item : items) list.push_back(&item);
    CHECK(list.size() == 5);
    CHECK_FALSE(list.is_empty());
    CHECK(values(list) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(list.front() == &items[0]);
    for (auto& item : items) {
        CHECK(item.a.is_linked());
        CHECK_FALSE(item.b.is_linked());  // The other node is untouched.
        CHECK(list.contains(&item));
    }
}

TEST_CASE("IntrusiveList: push_front reverses, and mixes with push_back", "[list]")
{
    auto items = make_items(6);
    ListA list;
    list.push_front(&items[0]);
    CHECK(values(list) == std::vector<int>{0});
    list.push_front(&items[1]);
    list.push_front(&items[2]);
    CHECK(values(list) == std::vector<int>{2, 1, 0});
    list.push_back(&items[3]);
    list.push_front(&items[4]);
    list.push_back(&items[5]);
    CHECK(values(list) == std::vector<int>{4, 2, 1, 0, 3, 5});
    CHECK(list.size() == 6);
    CHECK(list.front() == &items[4]);
}

TEST_CASE("IntrusiveList: pop_front returns items in order and unlinks them", "[list]")
{
    auto items = make_items(4);
    ListA list;
    for (auto& item : items) list.push_back(&item);
    for (int i = 0; i < 4; ++i) {
        Item* got = list.pop_front();
        REQUIRE(got == &items[i]);
        CHECK_FALSE(got->a.is_linked());
        CHECK(got->a.prev == nullptr);
        CHECK(got->a.next == nullptr);
        CHECK_FALSE(list.contains(got));
        CHECK(list.size() == static_cast<size_t>(3 - i));
    }
    CHECK(list.is_empty());
    CHECK(list.pop_front() == nullptr);
}

TEST_CASE("IntrusiveList: remove from the front, middle, back and a single-item list", "[list]")
{
    auto items = make_items(5);
    ListA list;
    for (auto& item : items) list.push_back(&item);

    SECTION("middle")
    {
        list.remove(&items[2]);
        CHECK(values(list) == std::vector<int>{0, 1, 3, 4});
        CHECK_FALSE(items[2].a.is_linked());
        CHECK_FALSE(list.contains(&items[2]));
        CHECK(list.size() == 4);
    }
    SECTION("front")
    {
        list.remove(&items[0]);
        CHECK(values(list) == std::vector<int>{1, 2, 3, 4});
        CHECK(list.front() == &items[1]);
        CHECK_FALSE(items[0].a.is_linked());
    }
    SECTION("back")
    {
        list.remove(&items[4]);
        CHECK(values(list) == std::vector<int>{0, 1, 2, 3});
        CHECK_FALSE(items[4].a.is_linked());
        // The tail is consistent: a push_back after removing the back lands right after 3.
        list.push_back(&items[4]);
        CHECK(values(list) == std::vector<int>{0, 1, 2, 3, 4});
    }
    SECTION("everything, in a scattered order")
    {
        for (int i : {3, 0, 4, 1, 2}) {
            list.remove(&items[i]);
            CHECK_FALSE(items[i].a.is_linked());
        }
        CHECK(list.is_empty());
        CHECK(list.size() == 0);
        CHECK(list.front() == nullptr);
        CHECK(values(list).empty());
    }
    SECTION("the only item")
    {
        ListA single;
        Item x(42);
        single.push_back(&x);
        CHECK(single.front() == &x);
        single.remove(&x);
        CHECK(single.is_empty());
        CHECK(single.front() == nullptr);
        CHECK_FALSE(x.a.is_linked());
    }
}

TEST_CASE("IntrusiveList: a removed item can be linked again, on this or another list", "[list]")
{
    auto items = make_items(3);
    ListA first;
    ListA second;
    for (auto& item : items) first.push_back(&item);

    first.remove(&items[1]);
    first.push_back(&items[1]);  // Back onto the same list, at the end.
    CHECK(values(first) == std::vector<int>{0, 2, 1});

    first.remove(&items[0]);
    second.push_front(&items[0]);  // Moved to another list through the same node.
    CHECK(values(first) == std::vector<int>{2, 1});
    CHECK(values(second) == std::vector<int>{0});
    CHECK_FALSE(first.contains(&items[0]));
    CHECK(second.contains(&items[0]));
    CHECK(first.size() == 2);
    CHECK(second.size() == 1);
}

TEST_CASE("IntrusiveList: one object on two lists through two nodes", "[list]")
{
    auto items = make_items(4);
    ListA by_a;
    ListB by_b;
    for (auto& item : items) by_a.push_back(&item);
    for (auto& item : items) by_b.push_front(&item);
    CHECK(values(by_a) == std::vector<int>{0, 1, 2, 3});
    CHECK(values(by_b) == std::vector<int>{3, 2, 1, 0});
    CHECK(by_a.front() == &items[0]);
    CHECK(by_b.front() == &items[3]);

    // Leaving one list does not touch the other.
    by_a.remove(&items[2]);
    CHECK_FALSE(items[2].a.is_linked());
    CHECK(items[2].b.is_linked());
    CHECK_FALSE(by_a.contains(&items[2]));
    CHECK(by_b.contains(&items[2]));
    CHECK(values(by_a) == std::vector<int>{0, 1, 3});
    CHECK(values(by_b) == std::vector<int>{3, 2, 1, 0});

    CHECK(by_b.pop_front() == &items[3]);
    CHECK(items[3].a.is_linked());
    CHECK_FALSE(items[3].b.is_linked());
    CHECK(values(by_a) == std::vector<int>{0, 1, 3});
    CHECK(values(by_b) == std::vector<int>{2, 1, 0});
    CHECK(by_a.size() == 3);
    CHECK(by_b.size() == 3);
}

TEST_CASE("IntrusiveList: a node at offset 0", "[list]")
{
    First objects[3];
    for (int i = 0; i < 3; ++i) objects[i].value = 10 + i;
    IntrusiveList<First, &First::link> list;
    for (auto& o : objects) list.push_back(&o);
    CHECK(values(list) == std::vector<int>{10, 11, 12});
    CHECK(list.pop_front() == &objects[0]);
    list.remove(&objects[2]);
    CHECK(values(list) == std::vector<int>{11});
    CHECK(list.front() == &objects[1]);
}

TEST_CASE("IntrusiveList: for_each passes mutable items in order", "[list]")
{
    auto items = make_items(5);
    ListA list;
    for (auto& item : items) list.push_back(&item);
    const ListA& view = list;  // for_each works on a const list.
    view.for_each([](Item* item) { item->value *= 10; });
    CHECK(values(list) == std::vector<int>{0, 10, 20, 30, 40});
}

TEST_CASE("IntrusiveList: a thousand items, removing every other one", "[list]")
{
    auto items = make_items(1000);
    ListA list;
    for (auto& item : items) list.push_back(&item);
    REQUIRE(list.size() == 1000);
    for (int i = 0; i < 1000; i += 2) list.remove(&items[i]);
    CHECK(list.size() == 500);
    std::vector<int> expected;
    for (int i = 1; i < 1000; i += 2) expected.push_back(i);
    CHECK(values(list) == expected);
    int wrongly_linked = 0;
    for (int i = 0; i < 1000; ++i) wrongly_linked += items[i].a.is_linked() != (i % 2 == 1);
    CHECK(wrongly_linked == 0);
    size_t popped = 0;
    while (list.pop_front()) ++popped;
    CHECK(popped == 500);
    CHECK(list.is_empty());
}
