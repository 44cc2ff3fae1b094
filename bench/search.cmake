# bench/search: the helper of bench/search (synthetic pages, kt_index indexing
# and query timing); run by hand, never by ctest. search_private.h says which
# file does what.
if(TARGET kt_index)
  add_executable(kt_bench_search
    ${CMAKE_CURRENT_LIST_DIR}/search.c
    ${CMAKE_CURRENT_LIST_DIR}/search_words.c
    ${CMAKE_CURRENT_LIST_DIR}/search_pages.c
    ${CMAKE_CURRENT_LIST_DIR}/search_index.c
    ${CMAKE_CURRENT_LIST_DIR}/search_query.c)
  target_link_libraries(kt_bench_search PRIVATE kt_index)
endif()
