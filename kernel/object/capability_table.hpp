/// \file capability_table.hpp
/// \brief A process's capability table and the derivation tree that makes revoke possible.
///
/// Each slot is empty, full, or revoked (a tombstone left by `revoke`, so that using the slot
/// reports Error::Revoked rather than a generic "invalid capability"). Every capability made from
/// another (copy, mint, split) is linked under it as a child, across tables; `revoke` deletes all
/// descendants, wherever they are. `remove` (delete) hands a capability's children to its parent.
#pragma once

#include "abi/capability.hpp"
#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Process;
class CapabilityTable;

/// {object, rights, badge}: what a slot holds.
struct Capability {
    KernelObject* object = nullptr;
    uint32_t rights = 0;
    uint64_t badge = 0;
};

struct CapEntry {
    enum class State : uint8_t { Empty, Full, Revoked };

    State state = State::Empty;
    Capability cap;
    // The derivation tree: parent, first child, and the sibling list.
    CapEntry* parent = nullptr;
    CapEntry* first_child = nullptr;
    CapEntry* next_sibling = nullptr;
    CapEntry* prev_sibling = nullptr;
    CapabilityTable* table = nullptr;  ///< The table this slot belongs to.
};

class CapabilityTable {
public:
    static constexpr uint32_t kSlots = abi::kCapTableSlots;

    /// Allocates the slot array (kSlots slots) for `owner`.
    Result<void> init(Process* owner);
    /// Deletes every capability (children are handed to their grandparents) and frees the slots.
    void destroy();

    /// The capability in `slot`, checked: Error::InvalidCapability (slot 0, out of range, or
    /// empty), Error::Revoked, Error::WrongType (unless `type` is None), Error::InsufficientRights.
    Result<Capability*> lookup(abi::CapSlot slot, ObjectType type, uint32_t needed_rights);
    /// The fast path's lookup: the capability in a full slot, or nullptr for anything else (the
    /// slow path then finds the exact error).
    Capability* lookup_fast(abi::CapSlot slot)
    {
        if (slot >= kSlots || m_slots[slot].state != CapEntry::State::Full) return nullptr;
        return &m_slots[slot].cap;
    }
    /// The raw slot, or nullptr when `slot` is out of range.
    CapEntry* slot_at(abi::CapSlot slot);

    /// Puts `cap` (taking over the caller's reference to its object) into `slot`, or into the
    /// lowest free slot when `slot` is 0, linked as a child of `parent` (nullptr: a root).
    /// Error::TableFull, or Error::InvalidArgument if a requested slot is out of range or full.
    Result<abi::CapSlot> insert(const Capability& cap, CapEntry* parent, abi::CapSlot slot = 0);

    /// Copies the capability in `src` (any table) into this table with `rights_mask` applied and,
    /// if `badge` is not 0, that badge; the copy is linked as a child of `src`.
    Result<abi::CapSlot> derive(CapEntry* src, uint32_t rights_mask, uint64_t badge, abi::CapSlot dst = 0);
    /// Deletes the capability in `slot`; its children move up to its parent.
    Result<void> remove(abi::CapSlot slot);
    /// Deletes every descendant of `slot` (in any table); the capability itself stays.
    Result<void> revoke(abi::CapSlot slot);
    /// Moves `src` (of `from`) to this table's `dst` (0: lowest free), keeping its place in the tree.
    Result<abi::CapSlot> move_from(CapabilityTable& from, abi::CapSlot src, abi::CapSlot dst);

    Process* owner() const { return m_owner; }
    /// Calls fn(index, CapEntry&) for every full slot.
    template <typename Fn>
    void for_each(Fn fn)
    {
        for (uint32_t i = 1; i < kSlots; ++i)
            if (m_slots[i].state == CapEntry::State::Full) fn(i, m_slots[i]);
    }
    uint32_t index_of(const CapEntry* slot) const { return static_cast<uint32_t>(slot - m_slots); }

private:
    Result<abi::CapSlot> find_free(abi::CapSlot wanted);
    /// Empties a slot: unlinks it from the tree (children go to `adoptive_parent`), drops the
    /// object reference, and leaves `final_state` behind.
    void clear(CapEntry* slot, CapEntry::State final_state);

    CapEntry* m_slots = nullptr;
    Process* m_owner = nullptr;
};

/// Called whenever a process gains or loses a capability of `type`, so per-process state derived
/// from capabilities (the I/O permission bitmap) stays exact.
void capabilities_changed(Process* owner, ObjectType type);
