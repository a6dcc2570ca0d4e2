## \file test_console_devices.py
## \brief The shell through the PS/2 keyboard and on the VGA screen: keys sent with QEMU's monitor, screen read back from 0xb8000.
import os
import select
import socket
import subprocess
import time

import harness

KEYS = {" ": "spc", "\n": "ret", "-": "minus", ".": "dot"}


def send_keys(monitor, text):
    for ch in text:
        key = KEYS.get(ch, ch)
        if ch.isupper():
            key = "shift-" + ch.lower()
        monitor.sendall(f"sendkey {key}\n".encode())
        time.sleep(0.03)


def read_until(proc, buffer, marker, timeout):
    """Reads QEMU's serial output until `marker` appears after what `buffer` holds now."""
    start = len(buffer)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        if ready:
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                break
            buffer.extend(data)
            if marker.encode() in buffer[start:]:
                return True
    return False


def vga_text(monitor):
    """The 80x25 text screen, read from video memory through the monitor's `xp`."""
    monitor.recv(1 << 20)
    monitor.sendall(b"xp /2000hx 0xb8000\n")
    time.sleep(1.0)
    raw = b""
    while True:
        ready, _, _ = select.select([monitor], [], [], 0.5)
        if not ready:
            break
        raw += monitor.recv(1 << 20)
    cells = []
    for line in raw.decode(errors="replace").splitlines():
        if ":" in line and line.strip().startswith("00000000000b8"):
            cells += [int(word, 16) & 0xff for word in line.split(":", 1)[1].split()]
    chars = "".join(chr(c) if 32 <= c < 127 else " " for c in cells)
    return [chars[i:i + 80].rstrip() for i in range(0, len(chars), 80)]


def test_keyboard_input_reaches_the_shell_and_output_reaches_the_vga_screen():
    iso = harness.build_iso("start=rs run=shell poweroff")
    sock = os.path.join(harness.BUILD, "test-monitor.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    cmd = ["qemu-system-x86_64", *harness.qemu_accel(), "-m", "256M", "-no-reboot", "-display", "none",
           "-serial", "stdio", "-monitor", f"unix:{sock},server,nowait",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-cdrom", iso]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out = bytearray()
    try:
        assert read_until(proc, out, "samsara> ", 60), "the shell never prompted"
        monitor = socket.socket(socket.AF_UNIX)
        monitor.connect(sock)
        send_keys(monitor, "echo typed on the PS2 keyboard\n")
        assert read_until(proc, out, "\ntyped on the PS2 keyboard", 30), "keyboard input did not reach the shell"
        screen = vga_text(monitor)
        assert "Samsara console (vga)" in screen, f"no banner on the VGA screen: {screen[:3]}"
        assert "samsara> echo typed on the PS2 keyboard" in screen, f"the typed line is not on screen: {screen}"
        assert "typed on the PS2 keyboard" in screen, "the command's output is not on screen"
        # The keyboard driver dies and comes back; typing still works.
        send_keys(monitor, "service fi ps2kbd crash\n")
        assert read_until(proc, out, "ps2kbd is back", 30), "ps2kbd did not come back"
        time.sleep(0.5)
        send_keys(monitor, "echo still typing\n")
        assert read_until(proc, out, "\nstill typing", 30), "typing after the keyboard driver's restart was lost"
        send_keys(monitor, "exit\n")
        assert read_until(proc, out, "power-off, code 0", 30), "the shell did not exit and power off"
    finally:
        proc.kill()
        proc.wait()
        with open(os.path.join(harness.LOGS, "console_devices.log"), "wb") as f:
            f.write(out)


test_keyboard_input_reaches_the_shell_and_output_reaches_the_vga_screen.TIMEOUT = 180
