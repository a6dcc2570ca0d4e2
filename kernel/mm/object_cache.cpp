/// \file object_cache.cpp
/// \brief The page source shared by every ObjectCache.
#include "mm/object_cache.hpp"

namespace {
PageSource g_page_source = nullptr;
}

void set_object_page_source(PageSource source) { g_page_source = source; }
PageSource object_page_source() { return g_page_source; }
