# bench/extraction: precision and recall per extracted field on the samples.
add_executable(kt_bench_extraction ${CMAKE_CURRENT_LIST_DIR}/extraction.c)
target_link_libraries(kt_bench_extraction PRIVATE PkgConfig::JANSSON)
