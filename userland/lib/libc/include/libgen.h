/// \file libgen.h
/// \brief basename and dirname (POSIX: they may modify their argument, and do).
#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/// The last component of `path` ("/a/b/" -> "b", "/" -> "/", "" -> ".").
char* basename(char* path);
/// All but the last component ("/a/b" -> "/a", "a" -> ".", "/" -> "/").
char* dirname(char* path);

#ifdef __cplusplus
}
#endif
