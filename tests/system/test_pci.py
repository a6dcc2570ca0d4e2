## \file test_pci.py
## \brief Configuration space only through the PCI driver, which alone holds ports 0xcf8..0xcff.
from harness import boot


def test_pci_driver_serves_configuration_space_and_clients_cannot_bypass_it():
    b = boot("pci", init_args="start=pci run=pcitest poweroff")
    b.expect_poweroff()
    # QEMU's i440FX host bridge, PIIX3 ISA bridge and IDE controller, found by enumeration.
    b.expect_line("pci: 00:00.0 8086:1237 class 06.00 irq 0")
    b.expect_line("pci: 00:01.0 8086:7000 class 06.01 irq 0")
    b.expect_line_matching(r"pci: 00:01\.1 8086:7010 class 01\.01 irq \d+")
    m = b.expect_line_matching(r"pci: (\d+) devices; serving configuration space")
    b.expect_line(f"pcitest: the driver reports {m.group(1)} devices")
    b.expect_line("pcitest: 00:00.0 vendor:device 8086:1237 (None)")
    b.expect_line("pcitest: misaligned offset: InvalidArgument")
    b.expect_line("pcitest: device past the last: NotFound")
    # The client has no IoPortRange: touching the ports itself is a #GP, and it is killed.
    b.expect_line_matching(r"init: pid 3 \(pcitest\) faulted: general protection fault \(vector 13\), error 0x0, .*")
    b.expect_absent("which must not happen")
    b.expect_line("init: pid 2 (pci) was killed")
