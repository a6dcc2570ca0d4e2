/// \file kernel_object.cpp
/// \brief Reference counting and the per-type destroy dispatch.
#include "object/kernel_object.hpp"
#include "core/panic.hpp"
#include "core/process.hpp"
#include "core/thread.hpp"
#include "object/endpoint.hpp"
#include "object/io_port_range.hpp"
#include "object/irq_line.hpp"
#include "object/memory.hpp"
#include "object/mmio_range.hpp"
#include "object/notification.hpp"
#include "object/reply.hpp"

namespace {
uint64_t g_next_object_id = 1;
}

KernelObject::KernelObject(ObjectType t) : type(t), id(g_next_object_id++) {}

void object_retain(KernelObject* object) { ++object->refcount; }

// [object-release]
void object_release(KernelObject* object)
{
    KASSERT(object->refcount > 0);
    if (--object->refcount > 0) return;
    switch (object->type) {
    case ObjectType::Process: Process::destroy(static_cast<Process*>(object)); break;
    case ObjectType::Thread: Thread::destroy(static_cast<Thread*>(object)); break;
    case ObjectType::Endpoint: Endpoint::destroy(static_cast<Endpoint*>(object)); break;
    case ObjectType::Notification: Notification::destroy(static_cast<Notification*>(object)); break;
    case ObjectType::Reply: Reply::destroy(static_cast<Reply*>(object)); break;
    case ObjectType::Memory: Memory::destroy(static_cast<Memory*>(object)); break;
    case ObjectType::MmioRange: MmioRange::destroy(static_cast<MmioRange*>(object)); break;
    case ObjectType::IoPortRange: IoPortRange::destroy(static_cast<IoPortRange*>(object)); break;
    case ObjectType::IrqLine: IrqLine::destroy(static_cast<IrqLine*>(object)); break;
    case ObjectType::None: panic("releasing an object of type None");
    }
}
// [object-release]
