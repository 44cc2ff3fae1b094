# extract.cmake: kt_extract, the exact metadata extractors (MRZ, personal
# codes, dates, case numbers, kind of document, names). Included from
# pipeline/CMakeLists.txt.

add_library(kt_extract STATIC
  ${CMAKE_CURRENT_LIST_DIR}/extract.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_case.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_date.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_doctype.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz_check.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz_fields.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz_layout.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz_lines.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_mrz_repair.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_names.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_pcode.c
  ${CMAKE_CURRENT_LIST_DIR}/extract_util.c)
target_include_directories(kt_extract PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(kt_extract PUBLIC kt_core kt_record PkgConfig::JANSSON)
