# The catalog: SQLite (catalog_*.c, sharing catalog_private.h), and the CSV
# reader for case records.
add_library(kt_catalog STATIC
  ${CMAKE_CURRENT_LIST_DIR}/catalog_sqlite.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_docs.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_batches.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_rescan.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_cases.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_links.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_review.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_corrections.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_dups.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_paper.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_erase.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_erase_case.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_retention.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_person.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_fixity.c
  ${CMAKE_CURRENT_LIST_DIR}/catalog_versions.c
  ${CMAKE_CURRENT_LIST_DIR}/cases_csv.c)
target_include_directories(kt_catalog PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(kt_catalog PUBLIC kt_core kt_record PkgConfig::JANSSON PRIVATE PkgConfig::SQLITE)
