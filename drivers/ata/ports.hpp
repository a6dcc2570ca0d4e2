/// \file ports.hpp
/// \brief Port I/O for the ATA driver: byte registers and 16-bit string transfers of the data register.
///
/// The ports are ours through the IoPortRange capabilities RS puts in slots 9 and 10; the
/// kernel lets the instructions through only for those.
#pragma once

#include "lib/port_io.hpp"

namespace ata::io {

using port_io::inb;
using port_io::insw;
using port_io::outb;
using port_io::outsw;

} // namespace ata::io
