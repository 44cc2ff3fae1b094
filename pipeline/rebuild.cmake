# kt_pipeline's rebuild: the catalog and the index again from the archive
# alone (rebuild.c, kt_rebuild of kt_pipeline.h). The library itself is made
# in runner.cmake.
target_sources(kt_pipeline PRIVATE ${CMAKE_CURRENT_LIST_DIR}/rebuild.c)
