// docs/errors.md's code: what every connection runs first (generated SQL), and
// the error-handling program (ctest sqlite.docs.errors.catching runs it).
#if !defined(ORM_DOCS_PROGRAM)
#include "snippets.hpp"

namespace {

/// A dialect's on-connect statements, for the doc's paragraph on that backend.
docs::sql_example::compiled on_connect_of(std::string_view backend) {
    return [backend](const orm::dialect& d) { return d.name() == backend ? d.on_connect_sql() : std::vector<std::string>{}; };
}
const docs::sql_example mysql_on_connect{"on-connect-mysql", on_connect_of("mysql")};
const docs::sql_example sqlite_on_connect{"on-connect-sqlite", on_connect_of("sqlite")};

}  // namespace

#elif ORM_DOCS_PROGRAM == 1
// [catching-errors]
#include <orm/orm.hpp>
#include <iostream>

struct Author { std::int64_t id = 0; std::string name; };

// Runs `work` in a transaction, retrying it when the database says a retry may succeed.
template <class F>
void with_retry(orm::engine& engine, F work, int attempts = 3) {
    for (int i = 1;; ++i) {
        try {
            auto conn = engine.connect();
            auto tx = conn.begin();
            work(conn);
            tx.commit();
            return;
        } catch (const orm::database_error& e) {
            if (!e.is_retryable() || i == attempts) throw;   // the transaction was rolled back
        }
    }
}

int main() {
    auto engine = orm::create_engine("sqlite://");
    orm::create_all<Author>(engine);
    try {
        with_retry(engine, [](orm::connection& conn) {
            Author ada{.name = "Ada"};
            conn.insert(ada);
            Author twin{.id = ada.id, .name = "Twin"};
            conn.insert(twin);                               // duplicate key
        });
    } catch (const orm::integrity_error& e) {
        std::cerr << "refused (" << e.info().backend << ' ' << e.native_code() << "): "
                  << e.info().server_message << '\n';       // refused (sqlite 1555): UNIQUE constraint failed: author.id
    } catch (const orm::connection_error& e) {
        std::cerr << "database unreachable: " << e.what() << '\n';
    } catch (const orm::interface_error& e) {
        std::cerr << "bug: " << e.what() << '\n';            // misuse or a bad model: fix the code
    } catch (const orm::error& e) {
        std::cerr << e.what() << '\n';
    }
}
// [/catching-errors]
#endif
