/// \file libgen.cpp
/// \brief basename and dirname over libc's path core.
#include "core.hpp"
#include <libgen.h>

extern "C" {
char* basename(char* path) { return libc::path_basename(path); }
char* dirname(char* path) { return libc::path_dirname(path); }
}
