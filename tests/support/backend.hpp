#pragma once
// Test support: one behavioural suite, two backends. Each test binary links
// a main_<backend>.cpp that names its backend; tests get engines from here.
#include <string>

#include <orm/orm.hpp>

#include "models.hpp"
#include "relationship_models.hpp"
#include "store_models.hpp"

namespace orm_test {

/// "sqlite" or "mysql": the backend this test binary runs against.
const char* backend_name();

/// The driver named in the URL's scheme ("libmariadb" for mysql+libmariadb://),
/// or "" for the backend's default driver.
const char* driver_name();

/// The URL scheme of the test database with its driver: "mysql", "mysql+libmariadb", "sqlite".
std::string url_scheme();

/// The URL of the test database: a fresh SQLite file per call, or the
/// throwaway MariaDB (ORM_TEST_MYSQL_URL, or the URL file the fixture wrote),
/// its scheme carrying driver_name() when there is one.
std::string database_url();

/// An engine on the test database.
orm::engine make_engine(orm::engine_options options = {});

/// An engine with every test table dropped and the tables of Ts created afresh
/// (the MariaDB database is shared by all tests).
template <class... Ts>
orm::engine fresh_engine(orm::engine_options options = {}) {
    orm::engine db = make_engine(std::move(options));
    orm::drop_all<models::Author, models::Book, models::Everything, models::OrderLine, models::Category,
                  models::Document, models::Account, models::Extras, models::Wallet, models::Invoice, models::Event,
                  store::Employee, store::SaleLine, store::Sale, store::Address, store::Track, store::Album, store::Ledger, store::Label, store::Setting,
                  rel::Review, rel::Novel, rel::Writer, rel::Staff, rel::Item, rel::Shelf, rel::Song, rel::Playlist, rel::Partner>(db);
    orm::create_all<Ts...>(db);
    return db;
}

/// Adds `objects` in a session of their own and commits: a test's starting rows.
template <class... Ts>
void seed(const orm::engine& db, Ts... objects) {
    orm::session setup(db);
    ((void)setup.add(std::move(objects)), ...);
    setup.commit();
}

/// Rows in `table`, counted on a connection of its own (or on `conn`).
std::int64_t count_rows(orm::connection& conn, const std::string& table);
std::int64_t count_rows(const orm::engine& db, const std::string& table);

/// True when running against MySQL / MariaDB.
inline bool is_mysql() { return std::string(backend_name()) == "mysql"; }

}  // namespace orm_test
