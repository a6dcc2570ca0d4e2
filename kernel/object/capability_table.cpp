/// \file capability_table.cpp
/// \brief Slot lookup with distinct errors, derivation, delete, revoke and move.
#include "object/capability_table.hpp"
#include "core/panic.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"

namespace {

constexpr uint64_t kTableBytes = CapabilityTable::kSlots * sizeof(CapEntry);
constexpr uint64_t kTablePages = (kTableBytes + 4095) / 4096;

void link_child(CapEntry* parent, CapEntry* child)
{
    child->parent = parent;
    child->prev_sibling = nullptr;
    child->next_sibling = parent ? parent->first_child : nullptr;
    if (parent) {
        if (parent->first_child) parent->first_child->prev_sibling = child;
        parent->first_child = child;
    }
}

void unlink(CapEntry* slot)
{
    if (slot->prev_sibling) slot->prev_sibling->next_sibling = slot->next_sibling;
    else if (slot->parent) slot->parent->first_child = slot->next_sibling;
    if (slot->next_sibling) slot->next_sibling->prev_sibling = slot->prev_sibling;
    slot->parent = slot->next_sibling = slot->prev_sibling = nullptr;
}

} // namespace

Result<void> CapabilityTable::init(Process* owner)
{
    uint64_t phys = TRY(mm::frames().allocate_contiguous(kTablePages, 1));
    m_slots = static_cast<CapEntry*>(layout::phys_to_virt(phys));
    for (uint32_t i = 0; i < kSlots; ++i) {
        new (&m_slots[i]) CapEntry();
        m_slots[i].table = this;
    }
    m_owner = owner;
    return {};
}

void CapabilityTable::destroy()
{
    if (!m_slots) return;
    for (uint32_t i = 1; i < kSlots; ++i)
        if (m_slots[i].state == CapEntry::State::Full) clear(&m_slots[i], CapEntry::State::Empty);
    uint64_t phys = layout::virt_to_phys(m_slots);
    for (uint64_t p = 0; p < kTablePages; ++p) mm::physical().free_frame(phys + p * 4096);
    m_slots = nullptr;
}

CapEntry* CapabilityTable::slot_at(abi::CapSlot slot)
{
    return m_slots && slot < kSlots ? &m_slots[slot] : nullptr;
}

// [captable-lookup]
Result<Capability*> CapabilityTable::lookup(abi::CapSlot index, ObjectType type, uint32_t needed_rights)
{
    // The checks come in a fixed order, so each failure has exactly one error.
    if (index == abi::kNullSlot || index >= kSlots || !m_slots) return Error::InvalidCapability;
    CapEntry& slot = m_slots[index];
    if (slot.state == CapEntry::State::Revoked) return Error::Revoked;
    if (slot.state == CapEntry::State::Empty) return Error::InvalidCapability;
    if (type != ObjectType::None && slot.cap.object->type != type) return Error::WrongType;
    if ((slot.cap.rights & needed_rights) != needed_rights) return Error::InsufficientRights;
    return &slot.cap;
}
// [captable-lookup]

Result<abi::CapSlot> CapabilityTable::find_free(abi::CapSlot wanted)
{
    if (wanted != 0) {
        if (wanted >= kSlots) return Error::InvalidArgument;
        if (m_slots[wanted].state == CapEntry::State::Full) return Error::InvalidArgument;
        return wanted;
    }
    for (uint32_t i = 1; i < kSlots; ++i)
        if (m_slots[i].state != CapEntry::State::Full) return i;
    return Error::TableFull;
}

Result<abi::CapSlot> CapabilityTable::insert(const Capability& cap, CapEntry* parent, abi::CapSlot wanted)
{
    abi::CapSlot index = TRY(find_free(wanted));
    CapEntry& slot = m_slots[index];
    slot.state = CapEntry::State::Full;
    slot.cap = cap;
    slot.first_child = nullptr;
    link_child(parent, &slot);
    capabilities_changed(m_owner, cap.object->type);
    return index;
}

// [captable-derive]
Result<abi::CapSlot> CapabilityTable::derive(CapEntry* src, uint32_t rights_mask, uint64_t badge, abi::CapSlot dst)
{
    Capability copy = src->cap;
    copy.rights &= rights_mask;  // Rights only ever shrink.
    if (badge != 0) copy.badge = badge;
    object_retain(copy.object);
    auto inserted = insert(copy, src, dst);
    if (inserted.is_error()) object_release(copy.object);
    return inserted;
}
// [captable-derive]

// [captable-clear]
void CapabilityTable::clear(CapEntry* slot, CapEntry::State final_state)
{
    // Children are handed to this capability's parent, so they stay revocable from above.
    CapEntry* adoptive_parent = slot->parent;
    while (CapEntry* child = slot->first_child) {
        unlink(child);
        link_child(adoptive_parent, child);
    }
    unlink(slot);
    KernelObject* object = slot->cap.object;
    ObjectType type = object->type;
    slot->cap = Capability{};
    slot->state = final_state;
    capabilities_changed(m_owner, type);
    object_release(object);
}
// [captable-clear]

// [captable-remove]
Result<void> CapabilityTable::remove(abi::CapSlot index)
{
    TRY(lookup(index, ObjectType::None, 0));
    clear(&m_slots[index], CapEntry::State::Empty);
    return {};
}
// [captable-remove]

// [captable-revoke]
Result<void> CapabilityTable::revoke(abi::CapSlot index)
{
    TRY(lookup(index, ObjectType::None, 0));
    CapEntry& root = m_slots[index];
    // Depth first: always remove a leaf, so no child is ever handed upward.
    while (root.first_child) {
        CapEntry* leaf = root.first_child;
        while (leaf->first_child) leaf = leaf->first_child;
        leaf->table->clear(leaf, CapEntry::State::Revoked);
    }
    return {};
}
// [captable-revoke]

Result<abi::CapSlot> CapabilityTable::move_from(CapabilityTable& from, abi::CapSlot src, abi::CapSlot dst)
{
    TRY(from.lookup(src, ObjectType::None, 0));
    if (&from == this && src == dst) return dst;
    abi::CapSlot index = TRY(find_free(dst));
    CapEntry& old_slot = from.m_slots[src];
    CapEntry& new_slot = m_slots[index];
    // The new slot takes the old one's place in the tree: same parent, same children.
    new_slot.state = CapEntry::State::Full;
    new_slot.cap = old_slot.cap;
    new_slot.first_child = old_slot.first_child;
    for (CapEntry* c = new_slot.first_child; c; c = c->next_sibling) c->parent = &new_slot;
    CapEntry* parent = old_slot.parent;
    unlink(&old_slot);
    link_child(parent, &new_slot);
    ObjectType type = old_slot.cap.object->type;
    old_slot.cap = Capability{};
    old_slot.first_child = nullptr;
    old_slot.state = CapEntry::State::Empty;
    capabilities_changed(from.m_owner, type);
    capabilities_changed(m_owner, type);
    return index;
}
