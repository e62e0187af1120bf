# `cmake --install build [--prefix DIR]`: the command line, the public headers, the libraries and an
# exported CMake package, so that another project writes
#   find_package(ionode REQUIRED)
#   target_link_libraries(app PRIVATE ionode::ionode)   # + ionode::analysis, ionode::cli
# (docs/install.md; tested by tests/install/).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(IONODE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/ionode)

install(TARGETS ionode_exe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ionode ionode_analysis ionode_cli ionode_native ionode_kernel_tuning
        EXPORT ionodeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/ionode DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ionodeTargets NAMESPACE ionode:: DESTINATION ${IONODE_INSTALL_CMAKEDIR})

configure_package_config_file(cmake/ionodeConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/ionodeConfig.cmake
                              INSTALL_DESTINATION ${IONODE_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the API, so only the same minor version is compatible.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ionodeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ionodeConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/ionodeConfigVersion.cmake
        DESTINATION ${IONODE_INSTALL_CMAKEDIR})
