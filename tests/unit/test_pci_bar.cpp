/// \file test_pci_bar.cpp
/// \brief Host tests for the PCI driver's BAR decoding: I/O, 32-bit, prefetchable and 64-bit memory BARs, 16-bit I/O decoders, unimplemented BARs, header types.
#include "../../drivers/pci/bar.hpp"

#include <catch2/catch.hpp>

using protocol::pci::Bar;
using protocol::pci::BarKind;
using pci::bar_count;
using pci::decode_bar;

TEST_CASE("an I/O BAR: base without the flag bits, size from the read-back mask")
{
    // QEMU's PIIX3 IDE bus-master BAR4: 16 ports at 0xc040.
    Bar b = decode_bar(0xc041, 0xfffffff1);
    CHECK(b.kind == BarKind::Io);
    CHECK(b.base == 0xc040);
    CHECK(b.size == 0x10);
    CHECK(b.prefetchable == 0);
}

TEST_CASE("an I/O BAR that decodes only 16 address bits reads its upper half back as zeros")
{
    Bar b = decode_bar(0xc001, 0x0000ffc1);
    CHECK(b.kind == BarKind::Io);
    CHECK(b.base == 0xc000);
    CHECK(b.size == 0x40);
}

TEST_CASE("a 32-bit memory BAR")
{
    // QEMU's e1000 BAR0: 128 KiB at 0xfebc0000.
    Bar b = decode_bar(0xfebc0000, 0xfffe0000);
    CHECK(b.kind == BarKind::Memory32);
    CHECK(b.base == 0xfebc0000);
    CHECK(b.size == 0x20000);
    CHECK(b.prefetchable == 0);
}

TEST_CASE("a prefetchable 32-bit memory BAR keeps its flag, not in the base")
{
    // QEMU's standard VGA framebuffer: 16 MiB at 0xfd000000.
    Bar b = decode_bar(0xfd000008, 0xff000008);
    CHECK(b.kind == BarKind::Memory32);
    CHECK(b.base == 0xfd000000);
    CHECK(b.size == 0x1000000);
    CHECK(b.prefetchable == 1);
}

TEST_CASE("a 64-bit memory BAR takes its upper half from the next register")
{
    Bar b = decode_bar(0xe000000c, 0xf000000c, 0x1, 0xffffffff);
    CHECK(b.kind == BarKind::Memory64);
    CHECK(b.base == 0x1e0000000ull);
    CHECK(b.size == 0x10000000);
    CHECK(b.prefetchable == 1);
}

TEST_CASE("a 64-bit memory BAR of 8 GiB has no size bits in its lower half")
{
    Bar b = decode_bar(0x0000000c, 0x0000000c, 0x4, 0xfffffffe);
    CHECK(b.kind == BarKind::Memory64);
    CHECK(b.base == 0x400000000ull);
    CHECK(b.size == 0x200000000ull);
}

TEST_CASE("an unimplemented BAR reads back zero and decodes to nothing")
{
    CHECK(decode_bar(0, 0).kind == BarKind::None);
    CHECK(decode_bar(0, 0).size == 0);
    CHECK(decode_bar(0x1, 0x1).kind == BarKind::None);  // an I/O flag with no writable address bit
    CHECK(decode_bar(0x4, 0x4, 0, 0).kind == BarKind::None);
}

TEST_CASE("BAR registers per header type; the multi-function bit does not count")
{
    CHECK(bar_count(0x00) == 6);
    CHECK(bar_count(0x80) == 6);
    CHECK(bar_count(0x01) == 2);
    CHECK(bar_count(0x81) == 2);
    CHECK(bar_count(0x02) == 0);
    CHECK(bar_count(0x7f) == 0);
}
