# Finds libmariadb, MariaDB Connector/C (Debian libmariadb-dev): its C API
# header <mysql.h> and library, with pkg-config's hints when available.
# Defines the imported target LibMariaDB::LibMariaDB.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
    pkg_check_modules(PC_LibMariaDB QUIET libmariadb)
endif()
find_path(LibMariaDB_INCLUDE_DIR NAMES mysql.h
          HINTS ${PC_LibMariaDB_INCLUDE_DIRS} PATH_SUFFIXES mariadb)
find_library(LibMariaDB_LIBRARY NAMES mariadb libmariadb HINTS ${PC_LibMariaDB_LIBRARY_DIRS})
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibMariaDB REQUIRED_VARS LibMariaDB_LIBRARY LibMariaDB_INCLUDE_DIR)
if(LibMariaDB_FOUND AND NOT TARGET LibMariaDB::LibMariaDB)
    add_library(LibMariaDB::LibMariaDB UNKNOWN IMPORTED)
    set_target_properties(LibMariaDB::LibMariaDB PROPERTIES
        IMPORTED_LOCATION "${LibMariaDB_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${LibMariaDB_INCLUDE_DIR}")
endif()
mark_as_advanced(LibMariaDB_INCLUDE_DIR LibMariaDB_LIBRARY)
