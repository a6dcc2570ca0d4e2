/// \file irq_line.cpp
/// \brief Binding interrupt lines to notifications, delivery, and acknowledgement through the PIC.
#include "object/irq_line.hpp"
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/interrupt_controller.hpp"
#include "mm/object_cache.hpp"
#include "object/notification.hpp"

namespace {
ObjectCache<IrqLine> g_lines{"irq"};
IrqLine* g_bound[IrqLine::kLines];  ///< The line object currently bound to each IRQ.
} // namespace

Result<IrqLine*> IrqLine::create(uint8_t irq)
{
    if (irq >= kLines) return Error::InvalidArgument;
    IrqLine* line = TRY(g_lines.create());
    line->irq = irq;
    return line;
}

void IrqLine::destroy(IrqLine* line)
{
    if (g_bound[line->irq] == line) {
        interrupt_controller::mask(idt::kIrqBase + line->irq);
        g_bound[line->irq] = nullptr;
    }
    if (line->notification) object_release(line->notification);
    g_lines.destroy(line);
}

// [irq-line-delivery]
Result<void> IrqLine::bind(Notification* n, uint64_t signal_bits)
{
    if (g_bound[irq] && g_bound[irq] != this) return Error::Busy;
    object_retain(n);
    if (notification) object_release(notification);
    notification = n;
    bits = signal_bits;
    g_bound[irq] = this;
    interrupt_controller::unmask(idt::kIrqBase + irq);
    return {};
}

void IrqLine::acknowledge()
{
    if (g_bound[irq] == this) interrupt_controller::unmask(idt::kIrqBase + irq);
}

bool IrqLine::deliver(uint8_t irq)
{
    IrqLine* line = irq < kLines ? g_bound[irq] : nullptr;
    if (!line || !line->notification) return false;
    // Masked until the driver acknowledges: it handles one interrupt at a time.
    interrupt_controller::mask(idt::kIrqBase + irq);
    interrupt_controller::end_of_interrupt(idt::kIrqBase + irq);
    ++line->count;
    line->notification->signal(line->bits);
    return true;
}
// [irq-line-delivery]
