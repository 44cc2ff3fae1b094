# index/xapian.cmake: kt_index, the full-text index (kt_index.h) on Xapian 1.4.
# C API, C++17 inside the xapian_*.cc files only (xapian_private.h says which
# does what; xapian_glue.cc holds the handle and the exception mapping).
# Folding and transliteration of words are the core's (kt_fold.h,
# kt_translit.h), shared with the extractors.

add_library(kt_index STATIC
  xapian_glue.cc xapian_words.cc xapian_put.cc xapian_query.cc xapian_merge.cc
  xapian_search.cc xapian_facets.cc xapian_compact.cc)
target_include_directories(kt_index PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(kt_index PUBLIC kt_core PRIVATE PkgConfig::XAPIAN)
