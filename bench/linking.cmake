# bench/linking: precision and recall of case links, and the review queue.
add_executable(kt_bench_linking ${CMAKE_CURRENT_LIST_DIR}/linking.c)
target_link_libraries(kt_bench_linking PRIVATE PkgConfig::JANSSON)
