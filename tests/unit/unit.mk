# \file unit.mk
# \brief Builds and runs the host unit tests (Catch2 under ASan and UBSan).
#
# Included by the top Makefile from the repository root, or used on its own:
#     make -f tests/unit/unit.mk unit-test
# Kernel sources that are pure logic are compiled for the host with -DSAMSARA_HOST and linked
# with every tests/unit/*.cpp.

# Remember the includer's default goal, so including this fragment does not change what a bare
# `make` builds. When run standalone, unit-test is the default.
UNIT_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

# Kernel files under test. To add one, append a line here (before the rules below, which read
# the list when make parses them):
#     UNIT_KERNEL_SRCS += kernel/lib/foo.cpp
UNIT_KERNEL_SRCS := kernel/lib/multiboot2.cpp kernel/lib/elf64.cpp
UNIT_KERNEL_SRCS += kernel/mm/frame_allocator.cpp kernel/mm/page_table.cpp
UNIT_KERNEL_SRCS += kernel/lib/format.cpp kernel/mm/object_cache.cpp
UNIT_KERNEL_SRCS += fs/ext2/superblock.cpp fs/ext2/inode.cpp fs/ext2/directory.cpp
UNIT_KERNEL_SRCS += fs/ext2/allocate.cpp fs/ext2/file_write.cpp fs/ext2/directory_write.cpp
# libc's pure parts (formatting, number parsing, sorting, the calendar, paths) and sha256sum's hash.
UNIT_KERNEL_SRCS += userland/lib/libc/format_core.cpp userland/lib/libc/number_core.cpp
UNIT_KERNEL_SRCS += userland/lib/libc/sort_core.cpp userland/lib/libc/civil_core.cpp userland/lib/libc/path_core.cpp
UNIT_KERNEL_SRCS += userland/bin/sha256sum/sha256.cpp
UNIT_TEST_SRCS := $(wildcard tests/unit/*.cpp)

UNIT_CXX ?= g++
UNIT_CXXFLAGS := -std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                 -Wall -Wextra -Werror -Ikernel -DSAMSARA_HOST
# The ext2 library lives under fs/ and is included as "ext2/...".
UNIT_CXXFLAGS += -Ifs
# Protocol headers (userland/lib/protocols) hold plain data types some host-tested code decodes.
UNIT_CXXFLAGS += -Iuserland/lib
UNIT_BUILD_DIR := build/host
UNIT_BIN := $(UNIT_BUILD_DIR)/unit-tests

UNIT_OBJS = $(patsubst %.cpp,$(UNIT_BUILD_DIR)/%.o,$(UNIT_KERNEL_SRCS) $(UNIT_TEST_SRCS))
UNIT_DEPS = $(UNIT_OBJS:.o=.d)

.PHONY: unit-test
unit-test: $(UNIT_BIN)
	$(UNIT_BIN)

$(UNIT_BIN): $(UNIT_OBJS)
	@mkdir -p $(@D)
	$(UNIT_CXX) $(UNIT_CXXFLAGS) -o $@ $^

# Host objects live under build/host/ mirroring the source tree, so they never collide with the
# kernel's freestanding objects. A static pattern rule, so no implicit build/%.o rule of the
# top Makefile can compile them with kernel flags instead.
$(UNIT_OBJS): $(UNIT_BUILD_DIR)/%.o: %.cpp
	@mkdir -p $(@D)
	$(UNIT_CXX) $(UNIT_CXXFLAGS) -MMD -MP -c -o $@ $<

# ext2 images made by the real mke2fs -d, which test_ext2.cpp reads back (e2fsprogs: deps.sh test).
UNIT_EXT2_FIXTURES := $(UNIT_BUILD_DIR)/fixtures/ext2/.stamp
$(UNIT_EXT2_FIXTURES): tests/fuzz/mke2fs_seeds.sh
	@mkdir -p $(@D)
	tests/fuzz/mke2fs_seeds.sh $(@D)
	@touch $@
$(UNIT_BIN): | $(UNIT_EXT2_FIXTURES)

# Catch2's main pulls in std::regex, where GCC 12 with -O1 and the sanitizers reports a false
# -Wmaybe-uninitialized inside libstdc++; only that third-party code gets the warning turned off.
$(UNIT_BUILD_DIR)/tests/unit/main.o: UNIT_CXXFLAGS += -Wno-maybe-uninitialized

-include $(UNIT_DEPS)

# Restore the includer's default goal (empty means "the next rule it defines").
.DEFAULT_GOAL := $(if $(UNIT_SAVED_DEFAULT_GOAL),$(UNIT_SAVED_DEFAULT_GOAL),$(if $(filter %tests/unit/unit.mk,$(firstword $(MAKEFILE_LIST))),unit-test))
