/// \file interrupt.cpp
/// \brief IRQ 4: received bytes into the input buffer, then the line re-armed and the readers woken.
#include "handlers.hpp"
#include "protocols/ds.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"
#include "uart.hpp"

namespace serial {

void on_interrupt(State& s)
{
    // (1) Why the UART interrupted. Only received data is enabled, so the answer changes
    // nothing below; reading IIR also clears a stale transmitter-empty condition.
    (void)uart::interrupt_id();
    // (2) Drain the receive FIFO completely, which lowers the UART's interrupt line.
    uint32_t n = uart::receive(s.input, s.dropped);
    // (3) Re-arm the line: the kernel masked it when it delivered this interrupt. A byte that
    // arrived since (2) is latched by the PIC and comes as the next interrupt. Acknowledged
    // before the data-store call below, so input keeps coming while we wait for it.
    (void)sys::irq_ack(kSlotIrq);
    if (n == 0) return;  // A byte we already took at start-up, or one (2) of the last round got.
    // (4) Wake the readers, and (5) record the count, which a restarted driver carries on from.
    s.received += n;
    signal_subscribers(s);
    (void)protocol::ds::Client(protocol::rs::kSlotDs).publish_u64(kReceivedKey, s.received);
}

} // namespace serial
