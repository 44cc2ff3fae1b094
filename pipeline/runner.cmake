# kt_pipeline: configuration, the store, the file walk, the OCR workers, the stage runner
# and reprocessing into a new package version (reprocess.c), corrections
# written as one (edit.c).
find_package(Threads REQUIRED)
add_library(kt_pipeline STATIC
  ${CMAKE_CURRENT_LIST_DIR}/config.c
  ${CMAKE_CURRENT_LIST_DIR}/store.c
  ${CMAKE_CURRENT_LIST_DIR}/walk.c
  ${CMAKE_CURRENT_LIST_DIR}/worker.c
  ${CMAKE_CURRENT_LIST_DIR}/runner.c
  ${CMAKE_CURRENT_LIST_DIR}/runner_record.c
  ${CMAKE_CURRENT_LIST_DIR}/runner_stages.c
  ${CMAKE_CURRENT_LIST_DIR}/runner_parts.c
  ${CMAKE_CURRENT_LIST_DIR}/reprocess.c
  ${CMAKE_CURRENT_LIST_DIR}/erase.c
  ${CMAKE_CURRENT_LIST_DIR}/retention.c
  ${CMAKE_CURRENT_LIST_DIR}/edit.c)
target_include_directories(kt_pipeline PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(kt_pipeline PUBLIC kt_core kt_ocr kt_extract kt_catalog kt_index kt_archive
                      PkgConfig::JANSSON PkgConfig::LEPT Threads::Threads)
