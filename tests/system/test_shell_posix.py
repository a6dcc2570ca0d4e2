## \file test_shell_posix.py
## \brief The shell as a POSIX shell: quoting, variables, `$?`, syntax errors, cd/pwd, redirection, pipelines, and programs from /bin started through proc, checked line by line; and the builtins-only shell when proc is not running.
#
# Commands are typed on the serial console (harness `inputs`) at each prompt; transcript()
# cuts the log into what each command printed, between its echo and the next prompt, and the
# tests compare those lines exactly. The boots with the disk use a private copy of
# build/disk.img with two extra files put in with debugfs: /bin/fault (the `fault` test
# program, which faults on purpose) and /bin/notelf (executable, but not an ELF file).
import hashlib
import os
import re
import subprocess

import harness
from harness import BUILD, ROOT, TEST_DISKS, boot

PROMPT = "samsara> "
STAGING = os.path.join(BUILD, "disk-root")  # What tools/mkdisk.sh put on the disk.
# Lines other programs print meanwhile, left out of the transcripts: the kernel's log (warnings
# only, with loglevel=warn), and proc's report of a child that faulted (checked on its own).
OTHERS = re.compile(r"\[ *\d+\.\d+\] |proc: pid \d+ \(\S+\) faulted: ")

LIST_HEADER = (f"{'label':<8} {'pid':>5} {'state':<10} {'restarts':>8}  {'last failure':<28} "
               f"{'recovery us':>12} {'uptime ms':>10}")


def service_table(without=()):
    """The real services.conf, with hello's heartbeat relaxed as in test_shell.py (RS's lines
    would otherwise land in the middle of the shell's), and without the services `without`."""
    with open(os.path.join(ROOT, "servers", "reincarnation", "services.conf")) as f:
        table = f.read()
    table = re.sub(r"^(service hello .*?)heartbeat=\d+", r"\1heartbeat=500", table, flags=re.M)
    return "".join(line for line in table.splitlines(keepends=True)
                   if not any(line.startswith(f"service {label} ") for label in without))


def host_file(path):
    with open(os.path.join(STAGING, path.lstrip("/")), "rb") as f:
        return f.read()


def disk_copy(name):
    """A private copy of the disk with /bin/fault and /bin/notelf added."""
    path = harness.disk_copy(name)
    notelf = os.path.join(TEST_DISKS, name + ".notelf")
    with open(notelf, "w") as f:
        f.write("this is not an ELF file\n")
    fault = os.path.join(BUILD, "iso", "boot", "fault.elf")
    script = (f"write {fault} /bin/fault\nsif /bin/fault mode 0100755\n"
              f"write {notelf} /bin/notelf\nsif /bin/notelf mode 0100755\n")
    subprocess.run(["debugfs", "-w", "-f", "-", path], input=script, text=True, check=True, capture_output=True)
    os.remove(notelf)
    return path


def shell_boot(name, script, disk=None, without=()):
    """Boots RS and the shell and types each command of `script` ([(command, expected)]) at a
    prompt, then `exit`. With a disk, `cd /` goes first: it waits for proc and fs, which may
    still be starting (and printing) when the first prompt shows."""
    commands = (["cd /"] if disk else []) + [command for command, _ in script] + ["exit"]
    b = boot(name, init_args="start=rs run=shell poweroff", kernel_cmdline="loglevel=warn",
             inputs=[(PROMPT, command + "\r") for command in commands], timeout=110, idle_timeout=40,
             files={"services.conf": service_table(without)}, disk=disk)
    b.expect_poweroff()
    return b


def transcript(b, commands):
    """What each command printed: the lines between its echo and the next prompt."""
    text = b.output.replace("\r\n", "\n")
    outputs = []
    position = 0
    for command in commands:
        echo = PROMPT + command + "\n"
        at = text.find(echo, position)
        if at < 0:
            b.fail(f"the command {command!r} was not echoed (in order)")
        start = at + len(echo)
        end = text.find(PROMPT, start)
        if end < 0:
            end = len(text)
        lines = [line for line in text[start:end].split("\n") if not OTHERS.match(line)]
        if lines and lines[-1] == "":
            lines.pop()
        outputs.append(lines)
        position = end
    return outputs


def expect_transcript(b, script):
    """Each command printed exactly its expected lines (None: not checked here)."""
    for (command, expected), got in zip(script, transcript(b, [command for command, _ in script])):
        if expected is not None and got != expected:
            b.fail(f"{command!r} printed {got!r}, expected {expected!r}")


def test_quoting_variables_syntax_errors_and_builtins_without_the_process_manager():
    # No proc in the service table: builtins work, programs and files are refused.
    script = [
        ("echo 'a  b' \"c  d\" e\\ f", ["a  b c  d e f"]),
        ("echo \"it's\" 'say \"hi\"' a\\\\b \"\\$HOME\"", ["it's say \"hi\" a\\b $HOME"]),
        ("X=42; echo $X ${X}0 \"$X\" '$X' \\$X", ["42 420 42 $X $X"]),
        ("echo $UNSET x \"$UNSET\"y ''", ["x y "]),
        ("echo a#b # a comment | ignored", ["a#b"]),
        ("echo $?", ["0"]),
        ("echo 'unterminated", ["shell: syntax error: unterminated single quote"]),
        ("echo $?", ["2"]),
        ("echo \"unterminated", ["shell: syntax error: unterminated double quote"]),
        ("| echo x", ["shell: syntax error: '|' with no command before it"]),
        ("echo x |", ["shell: syntax error: '|' with no command after it"]),
        ("echo x | | echo y", ["shell: syntax error: '|' with no command before it"]),
        ("echo x >", ["shell: syntax error: missing file name after '>'"]),
        ("echo x 2> | echo y", ["shell: syntax error: missing file name after '2>'"]),
        ("echo x <", ["shell: syntax error: missing file name after '<'"]),
        # A mistake anywhere in a line runs nothing of it.
        ("echo not-run; echo 'oops", ["shell: syntax error: unterminated single quote"]),
        ("echo a && && echo b", ["shell: syntax error: '&&' with no command before it"]),
        ("echo a ||", ["shell: syntax error: '||' with no command after it"]),
        ("echo a &", ["shell: syntax error: '&' (running in the background) is not supported"]),
        ("echo a\\", ["shell: syntax error: '\\' at the end of the line"]),
        ("echo ${X", ["shell: syntax error: missing '}' after '${'"]),
        ("echo x 5> f", ["shell: syntax error: only descriptors 0, 1 and 2 can be redirected"]),
        # Exit statuses of builtins steer && and ||.
        ("sleep x && echo no || echo yes", ["usage: sleep MS (at most 600000)", "yes"]),
        ("echo $?", ["0"]),
        ("nosuch; echo $?", ["shell: nosuch: no process manager", "127"]),
        # Variables: shell variables, the environment, unset.
        ("export GREETING='hi there' N=1", []),
        ("N=2; LOCAL=3; env", ["GREETING=hi there", "N=2"]),
        ("echo $LOCAL $N; unset N LOCAL; echo [$N$LOCAL]", ["3 2", "[]"]),
        ("export 1x=y", ["shell: export: '1x=y': not a valid identifier"]),
        # A pipeline of builtins needs no pipe; the last one's output is what shows.
        ("echo a | echo b", ["b"]),
        # What needs proc says so.
        ("ls /", ["shell: ls: no process manager"]),
        ("echo a | wc -c", ["shell: wc: no process manager"]),
        ("cd /", ["shell: cd: no process manager"]),
        ("pwd", ["shell: pwd: no process manager"]),
        ("echo x > f", ["shell: f: no process manager"]),
        ("exit 1 2", ["shell: exit: too many arguments"]),
    ]
    b = shell_boot("shell_posix_builtins", script, without=("proc", "fs"))
    expect_transcript(b, script)
    # `exit` without a code leaves with `$?`: 1, from the refused `exit 1 2`.
    b.expect_line_matching(r"init: pid \d+ \(shell\) exited with code 1")


def test_exit_takes_its_code_modulo_256():
    b = boot("shell_posix_exit", init_args="start=rs run=shell poweroff", kernel_cmdline="loglevel=warn",
             inputs=[(PROMPT, "exit 300\r")], timeout=60, idle_timeout=30,
             files={"services.conf": service_table(("proc", "fs"))})
    b.expect_poweroff()
    b.expect_line_matching(r"init: pid \d+ \(shell\) exited with code 44")


def test_cd_pwd_and_redirection_of_programs_and_builtins():
    disk = disk_copy("shell_posix_files")
    readme = host_file("docs/readme.txt").decode().rstrip("\n")
    script = [
        ("pwd", ["/"]),
        ("cd docs; pwd", ["/docs"]),
        ("cat readme.txt", [readme]),                 # A relative path, from the inherited directory.
        ("cd ..; pwd", ["/"]),
        ("cd ..; pwd", ["/"]),                        # ".." at "/" stays at "/".
        ("cd /hello.txt", ["shell: cd: /hello.txt: Not a directory"]),
        ("echo $?", ["1"]),
        ("cd /nowhere", ["shell: cd: /nowhere: No such file or directory"]),
        ("cd /docs; cd; pwd", ["/"]),                 # No argument: "/".
        ("cd /docs /bin", ["shell: cd: too many arguments"]),
        # Output, appending, input; redirections anywhere in the command.
        ("echo a   b > f; cat f", ["a b"]),
        ("echo c >> f; cat f", ["a b", "c"]),
        ("cat < f", ["a b", "c"]),
        ("< f > g cat; cat g", ["a b", "c"]),
        ("echo again > f; cat f", ["again"]),         # ">" truncates.
        ("pwd > p; cat p", ["/"]),
        ("echo \"two words\" > 'my file'; cat my\\ file", ["two words"]),
        ("service list > s; cat s", None),            # Checked below: RS's table, through a file.
        # Errors: where 2> and 2>&1 send them, in order.
        ("cat /nope", ["cat: /nope: No such file or directory"]),
        ("echo $?", ["1"]),
        ("cat /nope 2> err; echo $?; cat err", ["1", "cat: /nope: No such file or directory"]),
        ("cat /nope > out 2>&1; cat out", ["cat: /nope: No such file or directory"]),
        ("cat /nope 2>&1 > out; cat out", ["cat: /nope: No such file or directory"]),
        ("cd /nope 2> err; cat err", ["shell: cd: /nope: No such file or directory"]),
        ("cat < /nope", ["shell: /nope: No such file or directory"]),
        ("echo $?", ["1"]),
        ("echo x > /docs", ["shell: /docs: Is a directory"]),
        ("echo x > /nodir/f", ["shell: /nodir/f: No such file or directory"]),
        ("> empty; wc -c empty", ["0 empty"]),        # A command of redirections only creates the file.
        ("sync", []),
    ]
    b = shell_boot("shell_posix_files", script, disk=disk)
    expect_transcript(b, script)
    listing = transcript(b, ["service list > s; cat s"])[0]
    if not listing or listing[0] != LIST_HEADER:
        b.fail(f"service list > s did not put RS's table in s: {listing!r}")
    for label in ("ds", "serial", "proc", "fs"):
        if not any(re.fullmatch(rf"{label} +\d+ up +\d+  .*", line) for line in listing):
            b.fail(f"no running {label} in the table written to s: {listing!r}")
    # On the host, after power-off: what the shell wrote is in the image, and it is clean.
    files = {"/f": b"again\n", "/g": b"a b\nc\n", "/p": b"/\n", "/my file": b"two words\n", "/empty": b""}
    for path, data in files.items():
        got = subprocess.run(["debugfs", "-R", f"cat \"{path}\"", disk], capture_output=True).stdout
        if got != data:
            b.fail(f"{path} on the disk holds {got!r}, expected {data!r}")
    fsck = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    if fsck.returncode != 0:
        b.fail(f"e2fsck -fn: status {fsck.returncode}\n{fsck.stdout}{fsck.stderr}")


def test_programs_pipelines_and_exit_statuses():
    disk = disk_copy("shell_posix_programs")
    hello = host_file("hello.txt")
    pattern = host_file("pattern.bin")
    script = [
        ("true; echo $?", ["0"]),
        ("false; echo $?", ["1"]),
        ("false || echo recovered && echo chained", ["recovered", "chained"]),
        ("true && false && echo skipped; echo $?", ["1"]),
        # Starting fails: not found (127), not executable or not a program (126).
        ("nosuch; echo $?", ["shell: nosuch: command not found", "127"]),
        ("./nosuch; echo $?", ["shell: ./nosuch: No such file or directory", "127"]),
        ("/hello.txt; echo $?", ["shell: /hello.txt: Permission denied", "126"]),
        ("/bin/notelf; echo $?", ["shell: /bin/notelf: Exec format error", "126"]),
        ("nosuch 2> err; cat err", ["shell: nosuch: command not found"]),
        # Paths: /bin/NAME for a plain name, else relative to the working directory.
        ("cd /bin; ./true && echo relative; cd /", ["relative"]),
        ("bin/false; echo $?", ["1"]),
        # Pipelines: byte counts and checksums against the host's copy of the files.
        ("cat /hello.txt | cat | wc -c", [str(len(hello))]),
        ("cat /hello.txt | wc", [f"{1:>7} {len(hello.split()):>7} {len(hello):>7}"]),
        ("cat < /hello.txt | cat | cat | cat | cat | cat | cat | cat | wc -c", [str(len(hello))]),
        ("cat /pattern.bin | cat | sha256sum", [f"{hashlib.sha256(pattern).hexdigest()}  -"]),
        ("ls /docs | cat", ["readme.txt"]),
        # Builtins in pipelines: into a program, and a program into a builtin (which reads nothing).
        ("echo piped words | wc -w", ["2"]),
        ("pwd | cat", ["/"]),
        ("cat /pattern.bin | echo instead", None),    # Checked below.
        ("echo x | false; echo $?", ["1"]),           # $? is the last command's.
        ("false | true; echo $?", ["0"]),
        # Killed by a signal: 128 + the signal, and the shell says what happened.
        ("fault null; echo $?", ["fault: about to take a 'null' fault", "Segmentation fault", "139"]),
        ("fault ud2; echo $?", ["fault: about to take a 'ud2' fault", "Illegal instruction", "132"]),
        ("fault div0; echo $?", ["fault: about to take a 'div0' fault", "Floating point exception", "136"]),
        # Arguments as quoted, the environment (exported variables and NAME=value before the
        # command, not shell variables), and the exit code, through proc to /bin/exitcode.
        ("export GREETING='hi there'; LOCAL=no", []),
        ("X=1 exitcode 3 'a  b' \"$GREETING\" $LOCAL ''; echo $?", None),  # Checked below.
        ("echo still here", ["still here"]),
    ]
    b = shell_boot("shell_posix_programs", script, disk=disk)
    expect_transcript(b, script)
    # An empty argument ('') arrives as an empty string, and the environment stays separate.
    lines = transcript(b, ["X=1 exitcode 3 'a  b' \"$GREETING\" $LOCAL ''; echo $?"])[0]
    if (len(lines) != 4 or not re.fullmatch(r"exitcode: pid \d+, parent \d+", lines[0]) or
            lines[1:] != ["exitcode: argv (6): 'exitcode' '3' 'a  b' 'hi there' 'no' ''",
                          "exitcode: env (2): 'GREETING=hi there' 'X=1'", "3"]):
        b.fail(f"exitcode printed {lines!r}")
    for what in ("page fault", "invalid opcode", "divide error"):
        b.expect_line_matching(rf"proc: pid \d+ \(fault\) faulted: {what} .*")
    # The builtin's output shows; cat, writing into a pipe nobody reads, may or may not have
    # been told so before it finished (it races with the shell closing the pipe).
    lines = transcript(b, ["cat /pattern.bin | echo instead"])[0]
    if "instead" not in lines or any(line not in ("instead", "cat: write error: Broken pipe") for line in lines):
        b.fail(f"cat /pattern.bin | echo instead printed {lines!r}")


def test_programs_print_again_after_fs_crashes():
    # fs restarts fresh: the shell's descriptors are gone. Before the next program the shell
    # opens /dev/console again for 0, 1 and 2, so what the program prints still shows.
    disk = disk_copy("shell_fs_crash")
    hello = host_file("/hello.txt").decode().rstrip("\n")
    script = [
        ("cat /hello.txt", [hello]),
        ("service fi fs crash; sleep 1000", None),  # RS's lines come during the sleep.
        ("cat /hello.txt", None),
        ("cat /hello.txt", [hello]),
    ]
    b = shell_boot("shell_fs_crash", script, disk=disk)
    b.expect_line_matching(r"rs: fs \(pid \d+\) failed: exception: page fault")
    b.expect_line_matching(r"rs: fs is back \(pid \d+\) after \d+ us")
    after = transcript(b, ["cat /hello.txt"] * 3)
    if after[1] != ["shell: the file system forgot the terminal (restarted?); /dev/console reopened", hello]:
        b.fail(f"the first program after the crash printed {after[1]!r}")
    expect_transcript(b, script)


def test_a_program_reads_the_console_until_ctrl_d():
    # `cat > file` reads what is typed on the console through fs, until Ctrl-D (end of file).
    # The keys go in once cat runs (the kernel's "started cat" line), not at a prompt.
    disk = disk_copy("shell_ctrl_d")
    inputs = [(PROMPT, "cd /\r"), (PROMPT, "cat > /typed.txt\r"), ("started cat as pid", "typed line one\rtwo\r\x04"),
              (PROMPT, "wc -c /typed.txt\r"), (PROMPT, "exit\r")]  # exit syncs before power-off
    b = boot("shell_ctrl_d", init_args="start=rs run=shell poweroff", inputs=inputs, timeout=110, idle_timeout=40,
             files={"services.conf": service_table()}, disk=disk)
    b.expect_poweroff()
    b.expect_line("19 /typed.txt")
    typed = subprocess.run(["debugfs", "-R", "cat /typed.txt", disk], capture_output=True, check=True).stdout
    if typed != b"typed line one\rtwo\r":
        b.fail(f"/typed.txt holds {typed!r}")
