/// \file test_run_queues.cpp
/// \brief Host tests for the scheduler's ready queues: FIFO per priority, highest first, clamping, remove, bitmap, and a random run against a model.
#include "core/run_queues.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <climits>
#include <deque>
#include <random>
#include <vector>

namespace {

/// A stand-in for Thread: an id and the node the run queues link through (not at offset 0).
struct FakeThread {
    int id = 0;
    ListNode run_link;
};

using Queues = RunQueues<FakeThread, &FakeThread::run_link>;

/// `n` threads with ids 0 .. n-1.
std::vector<FakeThread> make_threads(int n)
{
    std::vector<FakeThread> threads(n);
    for (int i = 0; i < n; ++i) threads[i].id = i;
    return threads;
}

/// Dequeues everything, returning the ids in dequeue order.
std::vector<int> drain(Queues& q)
{
    std::vector<int> ids;
    while (FakeThread* t = q.dequeue_highest()) ids.push_back(t->id);
    return ids;
}

/// The sum of count() over every level.
size_t total(const Queues& q)
{
    size_t n = 0;
    for (unsigned p = 0; p < kPriorityLevels; ++p) n += q.count(p);
    return n;
}

} // namespace

TEST_CASE("RunQueues: empty queues", "[run_queues]")
{
    Queues q;
    CHECK(q.is_empty());
    CHECK(q.highest_priority() == -1);
    CHECK(q.dequeue_highest() == nullptr);
    CHECK(q.dequeue_highest() == nullptr);  // Still nothing, still consistent.
    CHECK(q.is_empty());
    CHECK(q.highest_priority() == -1);
    CHECK(total(q) == 0);
}

TEST_CASE("RunQueues: one thread in and out", "[run_queues]")
{
    Queues q;
    FakeThread t;
    t.id = 9;
    q.enqueue(&t, 5);
    CHECK_FALSE(q.is_empty());
    CHECK(q.highest_priority() == 5);
    CHECK(q.count(5) == 1);
    CHECK(total(q) == 1);
    CHECK(t.run_link.is_linked());
    CHECK(q.dequeue_highest() == &t);
    CHECK_FALSE(t.run_link.is_linked());
    CHECK(q.is_empty());
    CHECK(q.highest_priority() == -1);
    CHECK(q.count(5) == 0);
}

TEST_CASE("RunQueues: FIFO within a priority", "[run_queues]")
{
    auto threads = make_threads(5);
    Queues q;
    for (auto& t : threads) q.enqueue(&t, 7);
    CHECK(q.count(7) == 5);
    CHECK(q.highest_priority() == 7);
    CHECK(drain(q) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(q.is_empty());
}

TEST_CASE("RunQueues: round robin, dequeue and re-enqueue at the back", "[run_queues]")
{
    auto threads = make_threads(3);
    Queues q;
    for (auto& t : threads) q.enqueue(&t, 10);
    std::vector<int> order;
    for (int slice = 0; slice < 9; ++slice) {
        FakeThread* t = q.dequeue_highest();
        REQUIRE(t != nullptr);
        order.push_back(t->id);
        q.enqueue(t, 10);  // Preempted: back of its queue.
        CHECK(q.count(10) == 3);
        CHECK(q.highest_priority() == 10);
    }
    CHECK(order == std::vector<int>{0, 1, 2, 0, 1, 2, 0, 1, 2});
}

TEST_CASE("RunQueues: round robin at the top does not let lower priorities run", "[run_queues]")
{
    auto threads = make_threads(3);
    Queues q;
    q.enqueue(&threads[0], 20);
    q.enqueue(&threads[1], 20);
    q.enqueue(&threads[2], 19);
    for (int slice = 0; slice < 6; ++slice) {
        FakeThread* t = q.dequeue_highest();
        REQUIRE(t != nullptr);
        CHECK(t->id == slice % 2);
        q.enqueue(t, 20);
    }
    CHECK(q.count(19) == 1);
    CHECK(drain(q) == std::vector<int>{0, 1, 2});
}

TEST_CASE("RunQueues: the highest priority goes first", "[run_queues]")
{
    auto threads = make_threads(6);
    Queues q;
    // Enqueued in a scrambled priority order.
    q.enqueue(&threads[0], 3);
    q.enqueue(&threads[1], 31);
    q.enqueue(&threads[2], 0);
    q.enqueue(&threads[3], 17);
    q.enqueue(&threads[4], 3);
    q.enqueue(&threads[5], 31);
    CHECK(q.highest_priority() == 31);

    std::vector<int> ids;
    std::vector<int> priorities_seen;
    while (!q.is_empty()) {
        priorities_seen.push_back(q.highest_priority());
        ids.push_back(q.dequeue_highest()->id);
    }
    CHECK(ids == std::vector<int>{1, 5, 3, 0, 4, 2});
    CHECK(priorities_seen == std::vector<int>{31, 31, 17, 3, 3, 0});
    CHECK(q.highest_priority() == -1);
}

TEST_CASE("RunQueues: priorities of 32 and above are clamped to 31", "[run_queues]")
{
    auto threads = make_threads(5);
    Queues q;
    q.enqueue(&threads[0], 31);
    q.enqueue(&threads[1], 32);
    q.enqueue(&threads[2], 1000);
    q.enqueue(&threads[3], UINT_MAX);
    q.enqueue(&threads[4], 30);
    CHECK(q.highest_priority() == 31);
    CHECK(q.count(31) == 4);
    CHECK(q.count(30) == 1);
    CHECK(total(q) == 5);

    // remove clamps the same way: a thread queued "at 1000" is found at 31.
    q.remove(&threads[2], 1000);
    CHECK_FALSE(threads[2].run_link.is_linked());
    CHECK(q.count(31) == 3);
    q.remove(&threads[3], 32);
    CHECK(q.count(31) == 2);

    // FIFO among the clamped ones, in enqueue order.
    CHECK(drain(q) == std::vector<int>{0, 1, 4});
}

TEST_CASE("RunQueues: remove from the middle, front and back of a queue", "[run_queues]")
{
    auto threads = make_threads(5);
    Queues q;
    for (auto& t : threads) q.enqueue(&t, 12);

    q.remove(&threads[2], 12);
    CHECK(q.count(12) == 4);
    CHECK_FALSE(threads[2].run_link.is_linked());
    CHECK(q.highest_priority() == 12);
    q.remove(&threads[0], 12);
    q.remove(&threads[4], 12);
    CHECK(q.count(12) == 2);
    CHECK(drain(q) == std::vector<int>{1, 3});
}

TEST_CASE("RunQueues: the bitmap follows removals", "[run_queues]")
{
    auto threads = make_threads(4);
    Queues q;
    q.enqueue(&threads[0], 25);
    q.enqueue(&threads[1], 25);
    q.enqueue(&threads[2], 8);
    q.enqueue(&threads[3], 0);
    REQUIRE(q.highest_priority() == 25);

    q.remove(&threads[0], 25);
    CHECK(q.highest_priority() == 25);  // One thread is still at 25.
    q.remove(&threads[1], 25);
    CHECK(q.highest_priority() == 8);  // 25 is empty now, its bit is clear.
    CHECK(q.count(25) == 0);
    q.remove(&threads[3], 0);
    CHECK(q.highest_priority() == 8);  // Removing a lower level leaves the top alone.
    q.remove(&threads[2], 8);
    CHECK(q.highest_priority() == -1);
    CHECK(q.is_empty());
    CHECK(q.dequeue_highest() == nullptr);

    // The bitmap comes back after everything was removed.
    q.enqueue(&threads[1], 4);
    CHECK(q.highest_priority() == 4);
    CHECK(q.dequeue_highest() == &threads[1]);
    CHECK(q.highest_priority() == -1);
}

TEST_CASE("RunQueues: the lowest and highest levels (bits 0 and 31)", "[run_queues]")
{
    auto threads = make_threads(2);
    Queues q;
    q.enqueue(&threads[0], 0);
    CHECK(q.highest_priority() == 0);
    CHECK_FALSE(q.is_empty());
    q.enqueue(&threads[1], 31);
    CHECK(q.highest_priority() == 31);
    CHECK(q.dequeue_highest() == &threads[1]);
    CHECK(q.highest_priority() == 0);
    CHECK(q.dequeue_highest() == &threads[0]);
    CHECK(q.highest_priority() == -1);
}

TEST_CASE("RunQueues: many threads across all 32 levels", "[run_queues]")
{
    constexpr int kPerLevel = 4;
    auto threads = make_threads(kPriorityLevels * kPerLevel);
    Queues q;
    // Thread i goes to level i % 32, so every level gets its threads interleaved with the others.
    for (auto& t : threads) q.enqueue(&t, static_cast<unsigned>(t.id) % kPriorityLevels);
    for (unsigned p = 0; p < kPriorityLevels; ++p) CHECK(q.count(p) == kPerLevel);
    CHECK(q.highest_priority() == 31);

    std::vector<int> expected;
    for (int p = kPriorityLevels - 1; p >= 0; --p)
        for (int k = 0; k < kPerLevel; ++k) expected.push_back(p + k * static_cast<int>(kPriorityLevels));

    std::vector<int> got;
    int wrong_highest = 0;
    while (!q.is_empty()) {
        int top = q.highest_priority();
        FakeThread* t = q.dequeue_highest();
        REQUIRE(t != nullptr);
        wrong_highest += static_cast<int>(static_cast<unsigned>(t->id) % kPriorityLevels) != top;
        got.push_back(t->id);
    }
    CHECK(wrong_highest == 0);
    CHECK(got == expected);
    CHECK(total(q) == 0);
    CHECK(q.highest_priority() == -1);
}

TEST_CASE("RunQueues: a random sequence of operations matches a reference model", "[run_queues][random]")
{
    const unsigned seed = GENERATE(1u, 42u, 0xc0ffeeu);
    CAPTURE(seed);
    std::mt19937 rng(seed);

    constexpr int kThreads = 64;
    constexpr int kOperations = 10000;
    auto threads = make_threads(kThreads);
    std::vector<int> queued_at(kThreads, -1);  // The (clamped) level of each thread, or -1.
    std::vector<unsigned> asked(kThreads, 0);   // The priority the thread was enqueued with.
    std::deque<int> model[kPriorityLevels];
    Queues q;

    auto model_highest = [&]() {
        for (int p = kPriorityLevels - 1; p >= 0; --p)
            if (!model[p].empty()) return p;
        return -1;
    };
    auto random_thread = [&](bool want_queued) {
        // Any thread with the wanted state, or -1; start at a random index and scan.
        int start = static_cast<int>(rng() % kThreads);
        for (int k = 0; k < kThreads; ++k) {
            int i = (start + k) % kThreads;
            if ((queued_at[i] >= 0) == want_queued) return i;
        }
        return -1;
    };

    int enqueues = 0, dequeues = 0, removes = 0, round_robins = 0, empty_dequeues = 0;
    int mismatches = 0;
    size_t max_queued = 0;
    for (int op = 0; op < kOperations; ++op) {
        // Enqueues are as likely as the three ways out together, so the queues wander between
        // empty and all kThreads threads queued.
        unsigned pick = rng() % 10;
        switch (pick < 4 ? 0 : pick < 6 ? 1 : pick < 8 ? 2 : 3) {
        case 0: {  // Enqueue an idle thread; 1 in 8 ask for a priority above 31.
            int i = random_thread(false);
            if (i < 0) break;
            unsigned priority = rng() % 8 == 0 ? kPriorityLevels + rng() % 100 : rng() % kPriorityLevels;
            int level = priority >= kPriorityLevels ? kPriorityLevels - 1 : static_cast<int>(priority);
            q.enqueue(&threads[i], priority);
            model[level].push_back(i);
            queued_at[i] = level;
            asked[i] = priority;
            ++enqueues;
            break;
        }
        case 1: {  // Dequeue the next thread to run.
            FakeThread* t = q.dequeue_highest();
            int level = model_highest();
            if (level < 0) {
                mismatches += t != nullptr;
                ++empty_dequeues;
                break;
            }
            int expected = model[level].front();
            model[level].pop_front();
            REQUIRE(t != nullptr);
            REQUIRE(t->id == expected);
            queued_at[expected] = -1;
            ++dequeues;
            break;
        }
        case 2: {  // Remove a queued thread from wherever it is, with the priority it asked for.
            int i = random_thread(true);
            if (i < 0) break;
            q.remove(&threads[i], asked[i]);
            auto& level = model[queued_at[i]];
            for (auto it = level.begin(); it != level.end(); ++it)
                if (*it == i) {
                    level.erase(it);
                    break;
                }
            queued_at[i] = -1;
            ++removes;
            break;
        }
        case 3: {  // Round robin: the running thread is preempted and goes to the back.
            int level = model_highest();
            FakeThread* t = q.dequeue_highest();
            if (level < 0) {
                mismatches += t != nullptr;
                ++empty_dequeues;
                break;
            }
            int expected = model[level].front();
            model[level].pop_front();
            model[level].push_back(expected);
            REQUIRE(t != nullptr);
            REQUIRE(t->id == expected);
            q.enqueue(t, asked[expected]);
            ++round_robins;
            break;
        }
        }
        // After every operation: the bitmap, emptiness, every count, every linked flag.
        mismatches += q.highest_priority() != model_highest();
        mismatches += q.is_empty() != (model_highest() < 0);
        for (unsigned p = 0; p < kPriorityLevels; ++p) mismatches += q.count(p) != model[p].size();
        for (int i = 0; i < kThreads; ++i) mismatches += threads[i].run_link.is_linked() != (queued_at[i] >= 0);
        max_queued = std::max(max_queued, total(q));
        if (mismatches != 0) {
            INFO("first mismatch after operation " << op);
            REQUIRE(mismatches == 0);
        }
    }
    CHECK(mismatches == 0);
    // Every kind of operation happened often.
    CHECK(enqueues > 2000);
    CHECK(dequeues > 1000);
    CHECK(removes > 1000);
    CHECK(round_robins > 1000);
    CHECK(empty_dequeues > 0);      // The queues ran dry at times...
    CHECK(max_queued >= kThreads / 2);  // ...and also held many threads at once.

    // The full order left at the end matches the model, highest level first, FIFO within.
    std::vector<int> expected;
    for (int p = kPriorityLevels - 1; p >= 0; --p)
        for (int i : model[p]) expected.push_back(i);
    CHECK(drain(q) == expected);
    CHECK(q.highest_priority() == -1);
}
