# bench/web: the helper of bench/web.sh (HTTP clients and slow connections
# against `kartoteka serve`); run by hand, never by ctest. Plain sockets and
# pthreads, no project library.
find_package(Threads REQUIRED)
add_executable(bench_web ${CMAKE_CURRENT_LIST_DIR}/web.c)
target_link_libraries(bench_web PRIVATE Threads::Threads)
