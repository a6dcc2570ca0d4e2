# \file Makefile
# \brief The one entry point: build, run, debug, test, benchmark and document Samsara. `make help` lists targets.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD   ?= build
ACCEL   ?= tcg
MEMORY  ?= 256M
DEPS    := tools/deps.sh

CXX     ?= g++
KCXX    := g++
AS_CXX  := g++

# The freestanding kernel: no exceptions, RTTI or libc; no red zone or SSE (interrupts would
# corrupt them); the kernel code model for the top 2 GiB; frame pointers for backtraces.
KERNEL_CXXFLAGS := -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-use-cxa-atexit \
	-fno-threadsafe-statics -nostdlib -mno-red-zone -mgeneral-regs-only -mcmodel=kernel \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -O2 -g -Wall -Wextra -Werror -Ikernel
KERNEL_ASFLAGS := -g -Ikernel

# User programs: freestanding too, statically linked at 4 MiB, free to use SSE.
USER_CXXFLAGS := -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -fno-use-cxa-atexit \
	-fno-threadsafe-statics -nostdlib -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -O2 -g -Wall -Wextra -Werror \
	-Ikernel -Iuserland/lib -Ifs -isystem userland/lib/libc/include

KERNEL_SRCS := $(shell find kernel -name '*.cpp' | sort)
KERNEL_ASMS := $(shell find kernel -name '*.S' | sort)
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS) $(KERNEL_ASMS))

LIBSYS_SRCS := userland/lib/libsys.cpp userland/lib/service.cpp kernel/lib/format.cpp kernel/lib/string.cpp
LIBSYS_OBJS := $(patsubst %,$(BUILD)/user/%.o,$(LIBSYS_SRCS) userland/lib/crt0.S)

# Every user program: the .cpp files of userland/<name>, userland/tests/<name>, userland/bin/<name>,
# drivers/<name>, servers/<name> or <name>/server (fs) -> <name>.elf
USER_PROGRAMS := init fault badptr spin bench ipctest ipcpeer pcitest pcidev pci reincarnation ds hello rsctl lazy serial ps2kbd vga shell dstest ata blktest fs fstest proc proctest storetest fsbench utiltest
# Programs that live on the disk, in /bin (utilities: userland/bin/<name>), not in the boot image.
DISK_PROGRAMS := ls cat echo mkdir rmdir rm cp mv wc hexdump sha256sum df sync ps kill true false
# Test programs proctest starts from the disk (userland/tests/<name>).
DISK_PROGRAMS += exitcode crash
user_dir = $(firstword $(wildcard userland/$(1) userland/tests/$(1) userland/bin/$(1) drivers/$(1) servers/$(1) $(1)/server))
# Sources beyond the program's own folder: the fs server is fs/server plus the ext2 library.
EXTRA_SRCS_fs := $(sort $(wildcard fs/ext2/*.cpp))
# proc checks program files with the kernel's own ELF validator before it spawns them.
EXTRA_SRCS_proc := kernel/lib/elf64.cpp
user_srcs = $(wildcard $(call user_dir,$(1))/*.cpp) $(EXTRA_SRCS_$(1))
USER_ELFS := $(patsubst %,$(BUILD)/iso/boot/%.elf,$(USER_PROGRAMS)) $(BUILD)/iso/boot/badelf.elf
DISK_ELFS := $(patsubst %,$(BUILD)/bin/%,$(DISK_PROGRAMS))
# The minimal libc (userland/lib/libc): an archive, so a program links only what it uses.
LIBC_SRCS := $(sort $(wildcard userland/lib/libc/*.cpp))
LIBC_A    := $(BUILD)/user/libc.a

ISO        := $(BUILD)/samsara.iso
DISK       := $(BUILD)/disk.img
KERNEL_ELF := $(BUILD)/iso/boot/kernel.elf

# The kernel command line and init's arguments for `make run`; tests pass their own.
KERNEL_CMDLINE ?=
INIT_ARGS      ?= start=rs run=shell poweroff

QEMU := qemu-system-x86_64
QEMU_ACCEL := $(if $(filter kvm,$(ACCEL)),-accel kvm -cpu host,-accel tcg -cpu max)
QEMU_FLAGS := $(QEMU_ACCEL) -m $(MEMORY) -no-reboot -display none -serial stdio \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-drive file=$(DISK),format=raw,if=ide,index=0,media=disk

.PHONY: all help deps run run-bochs gdb test unit-test system-test bench demo docs clean grade lab-skeleton fuzz

all: $(ISO) $(DISK)

help:
	@echo "Samsara make targets:"
	@echo "  make               build the kernel, the user programs and the boot ISO ($(ISO))"
	@echo "  make run           boot in QEMU (TCG; ACCEL=kvm to use KVM), serial console on this terminal"
	@echo "  make run-bochs     boot the same ISO in Bochs"
	@echo "  make gdb           boot QEMU paused with a gdbstub and attach gdb with the kernel's symbols"
	@echo "  make test          every test: unit, system (QEMU), Bochs, GDB, docs, labs; ends 'N passed, M failed'"
	@echo "  make unit-test     only the host unit tests (Catch2, ASan+UBSan)"
	@echo "  make fuzz          fuzz the ext2 reader with libFuzzer for FUZZ_SECONDS (default $(FUZZ_SECONDS)) seconds"
	@echo "  make bench         benchmarks in guest instructions (QEMU -icount shift=0)"
	@echo "  make demo          inject every fault into every driver through the shell; print what happened"
	@echo "  make docs          the Doxygen documentation in $(BUILD)/docs (warnings are errors)"
	@echo "  make grade LAB=n   grade lab n; make lab-skeleton LAB=n DEST=dir writes a student tree"
	@echo "  make clean         remove $(BUILD)"
	@echo "Variables: ACCEL=tcg|kvm  MEMORY=$(MEMORY)  INIT_ARGS='run=spin:A poweroff'  KERNEL_CMDLINE='loglevel=debug'"

deps:
	@$(DEPS) all

# ---- kernel ---------------------------------------------------------------------------------

$(BUILD)/kernel/%.cpp.o: kernel/%.cpp | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(KCXX) $(KERNEL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/kernel/%.S.o: kernel/%.S | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(AS_CXX) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@

# Two links: the first gives the symbol table (tools/gensyms.py), the second includes it.
# The table sits after all code, so no function moves; the check below proves it.
$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJS) kernel/kernel.ld
	ld -T kernel/kernel.ld -nostdlib -z max-page-size=0x1000 -o $@ $(KERNEL_OBJS)

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/gensyms.py
	nm -n -C --defined-only $< > $(BUILD)/kernel.pass1.nm
	python3 tools/gensyms.py $(BUILD)/kernel.pass1.nm $@

$(BUILD)/ksyms.o: $(BUILD)/ksyms.S
	$(AS_CXX) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/ksyms.o kernel/kernel.ld
	@mkdir -p $(dir $@)
	ld -T kernel/kernel.ld -nostdlib -z max-page-size=0x1000 -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	@nm -n $(BUILD)/kernel.pass1.elf | grep -i ' t ' > $(BUILD)/pass1.text
	@nm -n $@ | grep -i ' t ' > $(BUILD)/pass2.text
	@cmp -s $(BUILD)/pass1.text $(BUILD)/pass2.text || { echo "error: the symbol table moved kernel code"; exit 1; }

# ---- user programs --------------------------------------------------------------------------

$(BUILD)/user/%.cpp.o: %.cpp | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(CXX) $(USER_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/%.S.o: %.S | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(CXX) -g -c $< -o $@

.SECONDEXPANSION:
$(BUILD)/iso/boot/%.elf: $$(addprefix $(BUILD)/user/,$$(addsuffix .o,$$(call user_srcs,$$*))) $(LIBSYS_OBJS) $(LIBC_A) userland/lib/user.ld
	@mkdir -p $(dir $@)
	ld -T userland/lib/user.ld -nostdlib -z max-page-size=0x1000 -o $@ $(filter %.o,$^) $(LIBC_A)

# Disk programs: the same link, put in build/bin for tools/mkdisk.sh to stage in /bin.
$(BUILD)/bin/%: $$(addprefix $(BUILD)/user/,$$(addsuffix .o,$$(call user_srcs,$$*))) $(LIBSYS_OBJS) $(LIBC_A) userland/lib/user.ld
	@mkdir -p $(dir $@)
	ld -T userland/lib/user.ld -nostdlib -z max-page-size=0x1000 -o $@ $(filter %.o,$^) $(LIBC_A)

$(LIBC_A): $(patsubst %,$(BUILD)/user/%.o,$(LIBC_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# A deliberately malformed ELF for the loader's error path: init with its class byte set to 32-bit.
$(BUILD)/iso/boot/badelf.elf: $(BUILD)/iso/boot/init.elf
	cp $< $@
	printf '\x01' | dd of=$@ bs=1 seek=4 conv=notrunc status=none

# ---- boot image -----------------------------------------------------------------------------

$(BUILD)/iso/boot/grub/grub.cfg: tools/mkgrubcfg.sh FORCE
	@mkdir -p $(dir $@)
	@tools/mkgrubcfg.sh "$(KERNEL_CMDLINE)" "$(INIT_ARGS)" > $@.tmp
	@if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/iso/boot/services.conf: servers/reincarnation/services.conf
	@mkdir -p $(dir $@)
	cp $< $@

$(ISO): $(KERNEL_ELF) $(USER_ELFS) $(BUILD)/iso/boot/services.conf $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>/dev/null >/dev/null || { echo "grub-mkrescue failed"; exit 1; }
	@echo "built $@"

# The ext2 disk the ata driver serves: tools/mkdisk.sh stages sample files in build/disk-root.
$(DISK): tools/mkdisk.sh $(DISK_ELFS) | $(BUILD)/.deps-build
	tools/mkdisk.sh $(BUILD)/disk-root $@ 64M $(BUILD)/bin

$(BUILD)/.deps-build: $(DEPS)
	@$(DEPS) build
	@mkdir -p $(BUILD) && touch $@

FORCE:

# Keep object files that pattern rules make on the way to an ELF (make would delete them as
# intermediate files, and rebuild every program next time).
USER_OBJS := $(foreach p,$(USER_PROGRAMS) $(DISK_PROGRAMS),$(addprefix $(BUILD)/user/,$(addsuffix .o,$(call user_srcs,$(p)))))
.SECONDARY: $(USER_OBJS) $(LIBSYS_OBJS) $(patsubst %,$(BUILD)/user/%.o,$(LIBC_SRCS))

# ---- running --------------------------------------------------------------------------------

run: $(ISO) $(DISK)
	@$(DEPS) run
	@echo "Booting Samsara in QEMU ($(ACCEL)). Quit with Ctrl-A then X."
	$(QEMU) $(QEMU_FLAGS) -cdrom $(ISO); status=$$?; [ $$status -eq 0 -o $$status -eq 1 ]

run-bochs: $(ISO) $(DISK)
	@$(DEPS) bochs
	tools/run-bochs.sh $(ISO) "" $(DISK)

gdb: $(ISO) $(DISK)
	@$(DEPS) run
	tools/gdb.sh $(ISO) $(KERNEL_ELF) $(DISK)

# ---- tests ----------------------------------------------------------------------------------

include tests/unit/unit.mk

test: $(ISO) $(DISK)
	@$(DEPS) test
	@python3 tests/run_all.py

# The ext2 reader under libFuzzer, ASan and UBSan: every input is mounted as an image and its
# tree walked (tests/fuzz/ext2_fuzz.cpp). Seeds are small images from ImageBuilder and from the
# real mke2fs -d; new inputs accumulate in $(FUZZ_DIR)/corpus across runs, and a crash is saved
# as $(FUZZ_DIR)/crash-* (replay: $(FUZZ_DIR)/ext2-fuzz <file>). Fails if libFuzzer finds one.
FUZZ_SECONDS ?= 60
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CXX := clang++
FUZZ_CXXFLAGS := -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Ikernel -Ifs
EXT2_SRCS := $(wildcard fs/ext2/*.cpp)

$(FUZZ_DIR)/ext2-fuzz: tests/fuzz/ext2_fuzz.cpp $(EXT2_SRCS) $(wildcard fs/ext2/*.hpp tests/fuzz/*.hpp)
	@mkdir -p $(@D)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -o $@ tests/fuzz/ext2_fuzz.cpp $(EXT2_SRCS)

$(FUZZ_DIR)/make-seeds: tests/fuzz/make_seeds.cpp tests/fuzz/ext2_image.hpp
	@mkdir -p $(@D)
	$(FUZZ_CXX) -std=c++20 -O1 -o $@ $<

$(FUZZ_DIR)/seeds.stamp: $(FUZZ_DIR)/make-seeds tests/fuzz/mke2fs_seeds.sh
	rm -rf $(FUZZ_DIR)/seeds && mkdir -p $(FUZZ_DIR)/seeds
	$(FUZZ_DIR)/make-seeds $(FUZZ_DIR)/seeds
	tests/fuzz/mke2fs_seeds.sh $(FUZZ_DIR)/seeds
	@touch $@

fuzz:
	@$(DEPS) fuzz
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/ext2-fuzz $(FUZZ_DIR)/seeds.stamp
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/ext2-fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

system-test: $(ISO) $(DISK)
	@python3 tests/system/run.py

bench: $(ISO) $(DISK)
	@$(DEPS) run
	@python3 tools/bench.py

demo: $(ISO) $(DISK)
	@$(DEPS) run
	@python3 tools/demo.py

docs:
	@$(DEPS) docs
	@tools/docs.sh

grade: $(ISO) $(DISK)
	@$(DEPS) test
	@python3 labs/grade.py $(LAB)

lab-skeleton:
	@python3 labs/skeleton.py $(LAB) $(DEST)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
