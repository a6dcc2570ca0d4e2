/// \file ports.hpp
/// \brief Port I/O for the ATA driver: byte registers, the bus master's 32-bit table address, and 16-bit string transfers of the data register.
///
/// The ports are ours through the IoPortRange capabilities RS puts in slots 9 and 10 (the
/// command and control blocks) and, with `pci=`, slot 16 (the bus-master block, BAR4); the
/// kernel lets the instructions through only for those.
#pragma once

#include "lib/port_io.hpp"

namespace ata::io {

using port_io::inb;
using port_io::insw;
using port_io::outb;
using port_io::outl;
using port_io::outsw;

} // namespace ata::io
