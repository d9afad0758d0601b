# Install and export rules: `cmake --install` then `find_package(orm CONFIG)`.
include(CMakePackageConfigHelpers)

install(TARGETS orm_core orm_mysql orm_mariadb orm_sqlite orm_orm
        EXPORT orm-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/orm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT orm-targets NAMESPACE orm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/orm)
install(FILES cmake/FindMySQLConnectorCpp.cmake cmake/FindLibMariaDB.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/orm)

configure_package_config_file(cmake/orm-config.cmake.in
    ${PROJECT_BINARY_DIR}/orm-config.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/orm)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/orm-config-version.cmake
    COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/orm-config.cmake ${PROJECT_BINARY_DIR}/orm-config-version.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/orm)
