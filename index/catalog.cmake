# The catalog: SQLite, and the CSV reader for case records.
add_library(kt_catalog STATIC ${CMAKE_CURRENT_LIST_DIR}/catalog_sqlite.c ${CMAKE_CURRENT_LIST_DIR}/cases_csv.c)
target_include_directories(kt_catalog PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(kt_catalog PUBLIC kt_core kt_record PkgConfig::JANSSON PRIVATE PkgConfig::SQLITE)
