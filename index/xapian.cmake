# index/xapian.cmake: kt_index, the full-text index (kt_index.h) on Xapian 1.4.
# C API, C++17 inside the xapian_*.cc files only (xapian_private.h says which
# does what; xapian_glue.cc holds the handle and the exception mapping);
# fold.c strips diacritics with ICU; translit.c reads Cyrillic in Latin
# letters (ICAO Doc 9303 table).
if(NOT TARGET PkgConfig::ICU)
  pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)
endif()

find_package(Threads REQUIRED)

add_library(kt_index STATIC
  xapian_glue.cc xapian_words.cc xapian_put.cc xapian_query.cc xapian_merge.cc
  xapian_search.cc xapian_facets.cc
  fold.c translit.c)
target_include_directories(kt_index PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(kt_index PUBLIC kt_core PRIVATE PkgConfig::XAPIAN PkgConfig::ICU Threads::Threads)
