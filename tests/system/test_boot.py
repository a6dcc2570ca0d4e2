## \file test_boot.py
## \brief Boot to init: the banner, the log format, module discovery, and the boot-time target.
from harness import boot, module_count


def test_boot_to_init_banner():
    b = boot("boot_to_init_banner", init_args="poweroff")
    b.expect_poweroff()
    b.expect_line("Samsara 0.1.0 booting")
    b.expect_line("Samsara 0.1.0 -- init (pid 1) is running in user space")
    m = b.expect_line_matching(rf"init: (\d+) MiB of memory found, (\d+) MiB free, {module_count()} boot modules")
    # 256 MiB of RAM minus firmware holes: what the memory map reports as available.
    if not 250 <= int(m.group(1)) <= 256:
        b.fail(f"init reports {m.group(1)} MiB, expected about 255")
    b.expect_line("init: powering off")


def test_log_lines_have_level_timestamp_and_subsystem():
    b = boot("log_format", init_args="poweroff")
    b.expect_poweroff()
    b.expect_line_matching(r"\[ +\d+\.\d{6}\] info  mm: \d+ KiB usable RAM, \d+ frames free, NX on")
    b.expect_line_matching(r"\[ +\d+\.\d{6}\] info  boot: module 0: init +\d+ bytes at 0x[0-9a-f]+")
    b.expect_line_matching(r"\[ +\d+\.\d{6}\] info  exec: started init as pid 1 \(entry 0x400000\)")


def test_loglevel_warn_hides_info_lines():
    b = boot("loglevel_warn", init_args="poweroff", kernel_cmdline="loglevel=warn")
    b.expect_poweroff()
    b.expect_line("Samsara 0.1.0 -- init (pid 1) is running in user space")
    if b.lines_matching(r"\[.*\] info  .*"):
        b.fail("info lines printed although loglevel=warn")


def test_init_reports_unknown_arguments():
    b = boot("init_unknown_argument", init_args="frobnicate poweroff")
    b.expect_line("init: unknown argument 'frobnicate'")
    # init counts it as a failure and powers off with code 1 (QEMU status 3).
    if b.status != 3:
        b.fail(f"expected power-off code 1 (status 3), got status {b.status}")
