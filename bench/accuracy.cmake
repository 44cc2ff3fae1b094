# bench/accuracy: CER, orientation, blank pages and seconds per page of
# kartoteka's page stages against the tesseract command line and ocrmypdf.
add_executable(kt_bench_accuracy ${CMAKE_CURRENT_LIST_DIR}/accuracy.c)
target_link_libraries(kt_bench_accuracy PRIVATE kt_ocr PkgConfig::JANSSON)
