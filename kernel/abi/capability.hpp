/// \file capability.hpp
/// \brief Capability slots, object types and rights, as user space sees them.
///
/// Every kernel object is reached only through a slot of the calling process's capability table.
/// A slot holds {object, rights, badge}. Rights can only shrink when a capability is copied, and
/// a badge is set once, when a capability is minted; a server reads the badge to tell clients apart.
#pragma once

#include <stdint.h>

namespace abi {

/// An index into the calling process's capability table. Slot 0 is never valid.
using CapSlot = uint32_t;

inline constexpr CapSlot kNullSlot = 0;
inline constexpr uint32_t kCapTableSlots = 256;

/// The type of the object a capability names.
enum class ObjectType : uint8_t {
    None = 0,
    Process = 1,
    Thread = 2,
    Endpoint = 3,
    Notification = 4,
    Reply = 5,
    Memory = 6,
    MmioRange = 7,
    IoPortRange = 8,
    IrqLine = 9,
};

inline constexpr const char* object_type_name(ObjectType t)
{
    switch (t) {
    case ObjectType::None: return "none";
    case ObjectType::Process: return "process";
    case ObjectType::Thread: return "thread";
    case ObjectType::Endpoint: return "endpoint";
    case ObjectType::Notification: return "notification";
    case ObjectType::Reply: return "reply";
    case ObjectType::Memory: return "memory";
    case ObjectType::MmioRange: return "mmio";
    case ObjectType::IoPortRange: return "ioport";
    case ObjectType::IrqLine: return "irq";
    }
    return "?";
}

/// What a capability allows. What each right means depends on the object type:
///   Endpoint      Write: send and call; Read: receive; Grant: pass capabilities in messages
///   Notification  Write: signal; Read: wait and poll
///   Memory        Read/Write: map readable/writable; Manage: allocate from a pool, split
///   MmioRange     Read/Write: map; Manage: split
///   IoPortRange   Read/Write: in/out on the ports; Manage: split
///   IrqLine       Manage: bind to a notification, acknowledge
///   Process       Manage: kill, inspect
///   Thread        Manage: set the fault endpoint, suspend and resume
namespace rights {
inline constexpr uint32_t kRead = 1u << 0;
inline constexpr uint32_t kWrite = 1u << 1;
inline constexpr uint32_t kGrant = 1u << 2;
inline constexpr uint32_t kManage = 1u << 3;
inline constexpr uint32_t kAll = kRead | kWrite | kGrant | kManage;
} // namespace rights

/// What cap_identify reports about a slot.
struct CapInfo {
    ObjectType type;
    uint8_t reserved[3];
    uint32_t rights;
    uint64_t badge;
    uint64_t object_id;  ///< A stable number for the object (equal for two capabilities to the same object).
    uint64_t pid;        ///< For a Process capability: its process id (how `proc` knows who joins); else 0.
};

} // namespace abi
