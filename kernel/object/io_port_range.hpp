/// \file io_port_range.hpp
/// \brief IoPortRange: x86 I/O ports [base, base+count) that the holder's in/out instructions may reach.
///
/// Holding the capability is what grants access: whenever a process gains or loses one, the
/// kernel recomputes that process's I/O permission bitmap, which the context switch loads into
/// the TSS. Any port not covered faults (\#GP), and the fault arrives as a message.
#pragma once

#include "lib/result.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct IoPortRange : KernelObject {
    static constexpr ObjectType kType = ObjectType::IoPortRange;

    IoPortRange() : KernelObject(kType) {}

    uint16_t base = 0;
    uint32_t count = 0;  ///< Up to 65536.

    static Result<IoPortRange*> create(uint16_t base, uint32_t count);
    static void destroy(IoPortRange* range);
};
