/// \file irq_line.hpp
/// \brief IrqLine: one legacy interrupt line, delivered to user space as a notification signal.
///
/// `irq_bind` connects the line to a notification (with the badge of the notification
/// capability as the bits to signal) and unmasks it. When the interrupt fires the kernel masks
/// the line, acknowledges the PIC and signals; the driver does its work and calls `irq_ack`,
/// which unmasks the line again, so a driver never sees a second interrupt before it is ready.
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Notification;

struct IrqLine : KernelObject {
    static constexpr ObjectType kType = ObjectType::IrqLine;
    static constexpr uint8_t kLines = 16;

    IrqLine() : KernelObject(kType) {}

    uint8_t irq = 0;
    Notification* notification = nullptr;  ///< Holds a reference while bound.
    uint64_t bits = 0;
    uint64_t count = 0;                    ///< Interrupts delivered.

    static Result<IrqLine*> create(uint8_t irq);
    static void destroy(IrqLine* line);

    /// Binds to `notification`, signalling `bits`, and unmasks the line.
    Result<void> bind(Notification* notification, uint64_t bits);
    /// Re-arms the line after the driver has handled an interrupt.
    void acknowledge();

    /// Called from trap_dispatch for IRQ `irq`; false if no line object is bound to it.
    static bool deliver(uint8_t irq);
};
