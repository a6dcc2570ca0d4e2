## \file test_pci.py
## \brief The PCI driver under RS: its device list checked against QEMU's own `info pci` (and Bochs's log), drivers given a device's BARs and IRQ by `pci=` reading real registers, missing devices, refused clients.
#
# What QEMU says it emulates comes from QEMU itself: a second, short QEMU run with the same
# devices answers `info pci` on its monitor, after SeaBIOS has assigned the BARs (the firmware's
# assignment depends only on the devices, so both runs get the same addresses). `info pci`
# names classes in words, so their codes come from QEMU's sources (QEMU_CLASSES).
import os
import re
import select
import subprocess
import time

from harness import BUILD, boot, boot_bochs

MAC = "52:54:00:5a:4d:53"
# The i440FX machine's default devices plus an e1000 with a MAC of ours (it replaces the default NIC).
NIC = ("-nic", f"user,model=e1000,mac={MAC}")

QEMU_CLASSES = {
    "8086:1237": "06.00.00",  # i440FX host bridge
    "8086:7000": "06.01.00",  # PIIX3 ISA bridge
    "8086:7010": "01.01.80",  # PIIX3 IDE: bus-master capable, legacy (compatibility) mode
    "8086:7113": "06.80.00",  # PIIX4 power management
    "1234:1111": "03.00.00",  # standard VGA
    "8086:100e": "02.00.00",  # 82540EM Ethernet
}

DS = "service ds binary=ds heartbeat=500 mode=fresh budget=100 backoff=1000 core=yes\n"
PCI = "service pci binary=pci ports=0xcf8:8 heartbeat=500 mode=restart budget=100 backoff=1000\n"

_info_pci = {}


def qemu_info_pci(extra=NIC):
    """The devices QEMU's monitor lists: [{"location", "ids", "irq", "pin", "bars": {n: (kind, base, size, prefetchable)}}]."""
    key = tuple(extra)
    if key in _info_pci:
        return _info_pci[key]
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", "256M", "-display", "none", "-serial", "none",
           "-monitor", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", *extra]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = ""
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            proc.stdin.write(b"info pci\n")
            proc.stdin.flush()
            chunk = b""
            settle = time.monotonic() + 1.0
            while time.monotonic() < settle:
                if select.select([proc.stdout], [], [], 0.1)[0]:
                    chunk += os.read(proc.stdout.fileno(), 65536)
            text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", chunk.decode("utf-8", "replace")).replace("\r", "")
            # SeaBIOS has assigned the BARs once no BAR below the ROM (BAR6) is unmapped.
            if "VGA controller" in text and not re.search(r"BAR[0-5]: .* at 0xffffffffffffffff", text):
                break
            time.sleep(0.5)
    finally:
        proc.kill()
        proc.wait()
    devices = []
    for line in text.split("\n"):
        m = re.match(r"\s+Bus\s+(\d+), device\s+(\d+), function (\d+):$", line)
        if m:
            devices.append({"location": f"{int(m[1]):02x}:{int(m[2]):02x}.{int(m[3])}", "bars": {}, "irq": None})
            continue
        if not devices:
            continue
        d = devices[-1]
        m = re.search(r"PCI device ([0-9a-f]{4}:[0-9a-f]{4})$", line)
        if m and "ids" not in d:
            d["ids"] = m[1]
        m = re.match(r"\s+IRQ (\d+), pin ([A-D])$", line)
        if m:
            d["irq"], d["pin"] = int(m[1]), m[2]
        m = re.match(r"\s+BAR([0-5]): (?:I/O|(32|64) bit( prefetchable)? memory) at (0x[0-9a-f]+) \[(0x[0-9a-f]+)\]\.$",
                     line)
        if m:
            base, end = int(m[4], 16), int(m[5], 16)
            kind = "io" if m[2] is None else f"memory{m[2]}"
            d["bars"][int(m[1])] = (kind, base, end - base + 1, bool(m[3]))
    if len(devices) < 5 or any("ids" not in d for d in devices):
        raise AssertionError(f"could not read QEMU's `info pci`:\n{text}")
    _info_pci[key] = devices
    return devices


def expected_lines(devices):
    """The lines the PCI driver must print for these devices, in order."""
    lines = []
    for d in devices:
        where, ids = d["location"], d["ids"]
        irq = f"irq {d['irq']} (pin {d['pin']})" if d["irq"] is not None else "no interrupt"
        lines.append(f"pci: {where} {ids} class {QEMU_CLASSES[ids]}, {irq}")
        for n, (kind, base, size, prefetchable) in sorted(d["bars"].items()):
            lines.append(f"pci: {where} BAR{n} {kind} {base:#x}, size {size:#x}{', prefetchable' if prefetchable else ''}")
    return lines


def pci_lines(b):
    """What the PCI driver printed about devices and BARs (its first enumeration)."""
    lines = [line for line in b.lines if re.match(r"pci: [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ", line)]
    return lines


def find(devices, ids):
    return next(d for d in devices if d["ids"] == ids)


def test_the_device_list_is_what_qemus_info_pci_says():
    devices = qemu_info_pci()
    b = boot("pci_list", init_args="start=rs run=rsctl:wait:pci poweroff", extra_args=NIC, timeout=60)
    b.expect_poweroff()
    want = expected_lines(devices)
    got = pci_lines(b)
    if got != want:
        b.fail("the PCI driver's device list differs from QEMU's `info pci`:\n  got:  " + "\n        ".join(got) +
               "\n  want: " + "\n        ".join(want))
    # The facts the issue names, spelled out: the e1000's 128 KiB of registers and 64 ports,
    # the VGA's 16 MiB framebuffer, the IDE controller's 16 bus-master ports.
    b.expect_line("pci: 00:01.1 8086:7010 class 01.01.80, no interrupt")
    b.expect_line_matching(r"pci: 00:01\.1 BAR4 io 0x[0-9a-f]+, size 0x10")
    b.expect_line_matching(r"pci: 00:02\.0 BAR0 memory32 0x[0-9a-f]+, size 0x1000000, prefetchable")
    b.expect_line_matching(r"pci: 00:03\.0 BAR0 memory32 0x[0-9a-f]+, size 0x20000")
    b.expect_line_matching(r"pci: 00:03\.0 BAR1 io 0x[0-9a-f]+, size 0x40")
    b.expect_line(f"pci: {len(devices)} devices; serving configuration space")
    b.expect_line("rsctl: pci is up")


TABLE = (DS + PCI +
         "service nic binary=pcidev pci=8086:100e heartbeat=200 mode=restart budget=10 backoff=100\n"
         "service vgadev binary=pcidev pci_class=03:00 heartbeat=200 mode=restart\n"
         "service ide binary=pcidev pci=8086:7010 heartbeat=200 mode=restart\n"
         "service nic2 binary=pcidev pci=8086:100e\n"
         "service nodev binary=pcidev pci=1af4:1000\n"
         "service nousb binary=pcidev pci_class=0c:03\n"
         "service bad1 binary=pcidev pci=8086\n"
         "service bad2 binary=pcidev pci=8086:100e pci_class=02:00\n"
         "service bad3 binary=pcidev pci=8086:10000\n")


def test_drivers_get_their_devices_bars_and_irq_and_read_the_hardware():
    devices = qemu_info_pci()
    steps = ["wait:nic", "wait:vgadev", "wait:ide", "fi:nic:crash", "wait:nic", "fi:pci:crash", "wait:pci",
             "fi:nic:crash", "wait:nic", "list"]
    args = "start=rs " + " ".join(f"run=rsctl:{s}" for s in steps) + " poweroff"
    b = boot("pci_drivers", init_args=args, files={"services.conf": TABLE}, extra_args=NIC, timeout=90,
             idle_timeout=40)
    b.expect_poweroff()
    # The table: malformed pci= values are rejected by line, the rest start.
    b.expect_lines_in_order([
        "rs: services.conf line 9: bad value for 'pci': '8086'",
        "rs: services.conf line 10: more than one pci= or pci_class=",
        "rs: services.conf line 11: bad value for 'pci': '8086:10000'",
    ])
    # RS hands each driver exactly its device's BARs and IRQ line, as QEMU placed them.
    nic, vga, ide = find(devices, "8086:100e"), find(devices, "1234:1111"), find(devices, "8086:7010")

    def grant(d):
        parts = []
        for n, (kind, base, size, _) in sorted(d["bars"].items()):
            parts.append(f"BAR{n} {'ports' if kind == 'io' else 'mmio'} {base:#x}+{size:#x}")
        if d["irq"] is not None:
            parts.append(f"IRQ {d['irq']}")
        return f"PCI {d['location']} ({d['ids']}): " + " ".join(parts)

    b.expect_line(f"rs: nic gets {grant(nic)}")
    b.expect_line(f"rs: vgadev gets {grant(vga)}")
    b.expect_line(f"rs: ide gets {grant(ide)}")
    # The e1000: both BARs, the IRQ line and configuration access, in the documented slots;
    # its location came as an argument.
    b.expect_line("pcidev: nic: 00:03.0 8086:100e class 02.00.00")
    b.expect_line("pcidev: nic: slot 8 BAR0 mmio, slot 9 BAR1 ioport, slot 14 IRQ irq, slot 15 config endpoint")
    b.expect_line_matching(r"pcidev: nic: e1000 STATUS 0x[0-9a-f]+: link up, full duplex")
    b.expect_line(f"pcidev: nic: e1000 MAC {MAC} (receive address 0, valid)")
    b.expect_line_matching(rf"pcidev: nic: e1000 interrupt on IRQ {nic['irq']} after setting ICS: arrived, "
                           r"ICR 0x[0-9a-f]*[13579bdf]")
    # Its configuration capability: its own registers, not its BAR, not another device.
    b.expect_line_matching(r"pcidev: nic: its command register: read None \(0x[0-9a-f]+\), written back None")
    b.expect_line("pcidev: nic: writing its BAR0 register: InsufficientRights")
    b.expect_line("pcidev: nic: reading 00:00.0's configuration: InsufficientRights")
    # Nor may it pose as the PCI driver towards RS.
    b.expect_line("pcidev: nic: reporting a PCI device to RS itself: InsufficientRights")
    # The VGA by class: its MMIO BAR2 and the Bochs display interface behind it.
    b.expect_line("pcidev: vgadev: 00:02.0 1234:1111 class 03.00.00")
    b.expect_line("pcidev: vgadev: slot 8 BAR0 mmio, slot 10 BAR2 mmio, slot 15 config endpoint")
    b.expect_line("pcidev: vgadev: Bochs display ID 0xb0c5, video memory 16384 KiB (BAR0: 16384 KiB)")
    # The IDE controller: only its bus-master I/O BAR, and no interrupt pin.
    b.expect_line("pcidev: ide: slot 12 BAR4 ioport, slot 15 config endpoint")
    b.expect_line_matching(r"pcidev: ide: bus-master PRD address register at port 0x[0-9a-f]+: "
                           r"wrote 0x12345678, read 0x12345678")
    for label in ("nic", "vgadev", "ide"):
        b.expect_line(f"pcidev: {label}: all checks passed")
    # Restarted drivers get the same capabilities, before and after the PCI driver's own restart,
    # which takes the BAR sizes from the data store instead of probing under running drivers.
    restarted = [line for line in b.lines if line == "pcidev: nic: restarted; 00:03.0 8086:100e class 02.00.00"]
    if len(restarted) != 2:
        b.fail(f"expected the nic driver to start twice more, saw {len(restarted)}")
    if sum(1 for line in b.lines if line == "pcidev: nic: all checks passed") != 3:
        b.fail("the nic driver did not pass its checks in all three instances")
    b.expect_line_matching(r"rs: pci \(pid \d+\) failed: exception: page fault")
    b.expect_line(f"pci: restarted; BAR sizes of {len(devices)} devices from the data store, 0 probed")
    # Missing devices: one clear line each, and only those services stay down.
    b.expect_line("rs: nodev: no PCI device 1af4:1000 (services.conf line 7); not started")
    b.expect_line("rs: nousb: no PCI device of class 0c.03 (services.conf line 8); not started")
    b.expect_line("rs: nic2: no PCI device 8086:100e that another service does not have (nic has one) "
                  "(services.conf line 6); not started")
    for label in ("nodev", "nousb", "nic2"):
        if sum(1 for line in b.lines if line.startswith(f"rs: {label}")) != 1:
            b.fail(f"expected exactly one line from RS about {label}")
        b.expect_line_matching(rf"{label} +0 failed +0  no PCI device .*")
    for label in ("nic", "vgadev", "ide", "pci"):
        b.expect_line_matching(rf"{label} +\d+ up .*")


def test_clients_without_the_capability_or_the_right_are_refused():
    # pcitest first without RS (so no capability to the PCI driver at all), then with it (a
    # plain client's capability from RS's lookup: reads yes, writes no), and each time its own
    # attempt at the configuration ports is a #GP.
    b = boot("pci_clients", init_args="run=pcitest start=rs run=pcitest poweroff", timeout=60)
    b.expect_poweroff()
    b.expect_lines_in_order([
        "pcitest: the driver reports 0 devices (then InvalidCapability)",
        "pcitest: 00:00.0 vendor:device 0000:0000 (InvalidCapability)",
        "pcitest: writing 00:00.0's command register: InvalidCapability",
    ])
    m = b.expect_line_matching(r"pci: (\d+) devices; serving configuration space")
    b.expect_lines_in_order([
        f"pcitest: the driver reports {m[1]} devices (then NotFound)",
        "pcitest: 00:00.0 vendor:device 8086:1237 (None)",
        "pcitest: misaligned offset: InvalidArgument",
        "pcitest: device 32: InvalidArgument",
        "pcitest: writing 00:00.0's command register: InsufficientRights",
    ])
    faults = b.lines_matching(r"init: pid \d+ \(pcitest\) faulted: general protection fault \(vector 13\), error 0x0, .*")
    if len(faults) != 2:
        b.fail(f"expected both pcitest runs to be killed by a #GP, saw {len(faults)}")
    b.expect_absent("which must not happen")


def test_a_pci_device_without_a_pci_driver_is_a_configuration_error():
    table = DS + "service lonely binary=pcidev pci=8086:100e\nservice hello binary=hello\n"
    b = boot("pci_no_driver", init_args="start=rs run=rsctl:wait:hello run=pcitest poweroff",
             files={"services.conf": table}, timeout=60)
    b.expect_poweroff()
    b.expect_lines_in_order([
        "rs: lonely: a PCI device 8086:100e needs the PCI driver, but services.conf has no service 'pci'",
        "rs: lonely is not started",
    ])
    b.expect_line("rsctl: hello is up")
    b.expect_line("pcitest: the driver reports 0 devices (then InvalidCapability)")


def bochs_pci_facts(log):
    """Devices and I/O BARs as Bochs's BIOS logs them while it assigns them."""
    devices = []
    with open(log, errors="replace") as f:
        for line in f:
            m = re.search(r"PCI: bus=(\d+) devfn=0x([0-9a-f]+): vendor_id=0x([0-9a-f]{4}) device_id=0x([0-9a-f]{4}) "
                          r"class=0x([0-9a-f]{2})([0-9a-f]{2})", line)
            if m:
                devfn = int(m[2], 16)
                devices.append({"location": f"{int(m[1]):02x}:{devfn >> 3:02x}.{devfn & 7}", "ids": f"{m[3]}:{m[4]}",
                                "class": f"{m[5]}.{m[6]}", "regions": {}})
            m = re.search(r"\[BIOS  \] region (\d): 0x([0-9a-f]+)", line)
            if m and devices:
                devices[-1]["regions"][int(m[1])] = int(m[2], 16)
    return devices


# PIIX3 facts: the IDE bus-master block is 16 ports, the UHCI controller's registers 32.
BOCHS_BAR_SIZES = {("8086:7010", 4): 0x10, ("8086:7020", 4): 0x20}


def test_bochs_enumerates_the_bus_and_a_driver_reads_the_ide_controller():
    table = DS + PCI + "service ide binary=pcidev pci_class=01:01 heartbeat=500\n"
    b = boot_bochs("bochs_pci", init_args="start=rs run=rsctl:wait:ide poweroff", files={"services.conf": table},
                   timeout=180, idle_timeout=60)
    b.expect_poweroff()
    facts = bochs_pci_facts(os.path.join(BUILD, "bochs", "bochs_pci.log"))
    if len(facts) < 4:
        b.fail(f"Bochs's log names only {len(facts)} PCI devices")
    # Every device Bochs's BIOS found, with its class, and every I/O BAR it assigned, with the
    # PIIX3's sizes; nothing else.
    got = pci_lines(b)
    for d in facts:
        b.expect_line_matching(rf"pci: {re.escape(d['location'])} {d['ids']} class {re.escape(d['class'])}\.[0-9a-f]{{2}}, "
                               r"(no interrupt|irq \d+ \(pin [A-D]\))")
        for n, base in d["regions"].items():
            size = BOCHS_BAR_SIZES[(d["ids"], n)]
            b.expect_line(f"pci: {d['location']} BAR{n} io {base:#x}, size {size:#x}")
    expected = len(facts) + sum(len(d["regions"]) for d in facts)
    if len(got) != expected:
        b.fail(f"the driver printed {len(got)} device and BAR lines, Bochs's log accounts for {expected}:\n  " +
               "\n  ".join(got))
    b.expect_line(f"pci: {len(facts)} devices; serving configuration space")
    ide = next(d for d in facts if d["ids"] == "8086:7010")
    b.expect_line(f"rs: ide gets PCI {ide['location']} (8086:7010): BAR4 ports {ide['regions'][4]:#x}+0x10")
    b.expect_line(f"pcidev: ide: bus-master PRD address register at port {ide['regions'][4] + 4:#x}: "
                  "wrote 0x12345678, read 0x12345678")
    b.expect_line("pcidev: ide: all checks passed")


test_bochs_enumerates_the_bus_and_a_driver_reads_the_ide_controller.TIMEOUT = 240
