/// \file kernel_object.hpp
/// \brief The base of every kernel object: its type tag and reference count.
///
/// Objects are reference counted: each capability, and each kernel structure that must keep an
/// object alive (a process-table entry, a running thread), holds one reference. When the last one
/// goes, `object_release` calls the type's destroy function. Downcasts check the type tag
/// (`object_cast<Endpoint>(o)`), never RTTI.
#pragma once

#include "abi/capability.hpp"
#include <stdint.h>

using abi::ObjectType;

struct KernelObject {
    explicit KernelObject(ObjectType t);

    ObjectType type;
    uint32_t refcount = 1;  ///< The creator's reference.
    uint64_t id;            ///< Unique for the life of the system; shown by cap_identify and GDB.
};

void object_retain(KernelObject* object);
/// Drops a reference; destroys the object when it was the last.
void object_release(KernelObject* object);

/// `object` as a T if its type tag is T's, else nullptr. Each object type declares
/// `static constexpr ObjectType kType`.
template <typename T>
T* object_cast(KernelObject* object)
{
    return object && object->type == T::kType ? static_cast<T*>(object) : nullptr;
}
