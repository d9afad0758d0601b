// The exact SQL (with parameters) that a session flush emits, on every backend.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

using namespace models;
using lines = std::vector<std::string>;

namespace {

// Expected lines are written in SQLite's spelling; MySQL quotes with backticks
// and begins with START TRANSACTION.
lines spelled(lines expected) {
    if (!orm_test::is_mysql()) return expected;
    for (std::string& line : expected) {
        if (line == "BEGIN") line = "START TRANSACTION";
        std::replace(line.begin(), line.end(), '"', '`');
    }
    return expected;
}

}  // namespace

TEST_CASE("flush inserts parents before children, batching each table's rows", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, Book>(log.options());
    log.clear();
    orm::session s(db);
    s.add(Book{.id = 10, .author_id = 1, .title = "B1", .price = 9.5});  // children added first
    s.add(Book{.id = 11, .author_id = 1, .title = "B2"});
    s.add(Author{.id = 1, .name = "Ada"});
    s.flush();
    CHECK(log.lines == spelled({
                           "BEGIN",
                           "SAVEPOINT \"orm_flush\"",
                           "INSERT INTO \"author\" (\"id\", \"name\", \"email\") VALUES (?, ?, ?) | 1, 'Ada', NULL",
                           "INSERT INTO \"books\" (\"id\", \"author_id\", \"title\", \"price\", \"isbn\") VALUES (?, ?, ?, ?, ?), "
                           "(?, ?, ?, ?, ?) | 10, 1, 'B1', 9.5, NULL, 11, 1, 'B2', 0, NULL",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
    s.commit();
    CHECK(log.lines.back() == "COMMIT");
}

TEST_CASE("flush inserts generated-key rows in one statement and writes the keys back in order", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    log.clear();
    orm::session s(db);
    Author& a = s.add(Author{.name = "A"});
    Author& b = s.add(Author{.name = "B", .email = "b@x"});
    s.flush();
    CHECK(log.lines == spelled({
                           "BEGIN",
                           "SAVEPOINT \"orm_flush\"",
                           "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?), (?, ?) RETURNING \"id\" | 'A', NULL, 'B', 'b@x'",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
    CHECK(a.id == 1);
    CHECK(b.id == 2);
    CHECK(s.get<Author>(2) == &b);
}

TEST_CASE("flush updates only the changed column, an unchanged object emits nothing", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    {
        auto conn = db.connect();
        Author ada{.name = "Ada"};
        conn.insert(ada);
    }
    log.clear();
    orm::session s(db);
    Author* ada = s.get<Author>(1);
    REQUIRE(ada);
    s.flush();  // no-op flush
    ada->email = "ada@example.org";
    s.flush();
    s.flush();  // nothing changed since the last flush
    CHECK(log.lines == spelled({
                           "BEGIN",
                           "SELECT \"author\".\"id\", \"author\".\"name\", \"author\".\"email\" FROM \"author\" "
                           "WHERE \"author\".\"id\" = ? | 1",
                           "UPDATE \"author\" SET \"email\" = ? WHERE \"id\" = ? | 'ada@example.org', 1",
                       }));
}

TEST_CASE("a no-op flush and commit emit no SQL but COMMIT", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    log.clear();
    orm::session s(db);
    s.flush();
    CHECK(log.lines.empty());  // no connection was even needed
    s.commit();
    CHECK(log.lines.empty());
    CHECK(db.checked_out() == 0);
}

TEST_CASE("flush deletes children before their parent", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, Book>(log.options());
    orm_test::seed(db, Author{.id = 1, .name = "Ada"}, Book{.id = 10, .author_id = 1, .title = "B1"}, Book{.id = 11, .author_id = 1, .title = "B2"});
    log.clear();
    orm::session s(db);
    s.set_autoflush(false);
    Author* ada = s.get<Author>(1);
    Book* b1 = s.get<Book>(10);
    Book* b2 = s.get<Book>(11);
    log.clear();
    s.remove(*ada);  // the parent first: the flush still deletes children before it
    s.remove(*b1);
    s.remove(*b2);
    s.flush();
    CHECK(log.lines == spelled({
                           "SAVEPOINT \"orm_flush\"",
                           "DELETE FROM \"books\" WHERE \"id\" = ? | 10",
                           "DELETE FROM \"books\" WHERE \"id\" = ? | 11",
                           "DELETE FROM \"author\" WHERE \"id\" = ? | 1",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
    CHECK(s.get<Author>(1) == nullptr);
    s.commit();
    CHECK(s.size() == 0);  // deleted objects leave the session at commit
}

TEST_CASE("self-referencing rows are inserted parents first and deleted children first", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Category>(log.options());
    log.clear();
    orm::session s(db);
    Category& leaf = s.add(Category{.code = 3, .parent_code = 2, .label = "leaf"});
    Category& mid = s.add(Category{.code = 2, .parent_code = 1, .label = "mid"});
    Category& root = s.add(Category{.code = 1, .label = "root"});
    s.flush();
    s.remove(root);
    s.remove(mid);
    s.remove(leaf);
    s.flush();
    CHECK(log.lines == spelled({
                           "BEGIN",
                           "SAVEPOINT \"orm_flush\"",
                           "INSERT INTO \"category\" (\"code\", \"parent_code\", \"label\") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)"
                           " | 1, NULL, 'root', 2, 1, 'mid', 3, 2, 'leaf'",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                           "SAVEPOINT \"orm_flush\"",
                           "DELETE FROM \"category\" WHERE \"code\" = ? | 3",
                           "DELETE FROM \"category\" WHERE \"code\" = ? | 2",
                           "DELETE FROM \"category\" WHERE \"code\" = ? | 1",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
}

TEST_CASE("a version conflict raises stale_data_error and writes nothing", "[session][flush][concurrency]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Document>(log.options());
    orm_test::seed(db, Document{.title = "draft"});
    orm::session first(db), second(db);
    Document* mine = first.get<Document>(1);
    Document* theirs = second.get<Document>(1);
    REQUIRE(mine->version == 1);
    second.commit();  // ends its read; the object keeps the values it read
    mine->title = "first wins";
    log.clear();
    first.commit();
    CHECK(log.lines == spelled({
                           "UPDATE \"document\" SET \"title\" = ?, \"version\" = ? WHERE (\"id\" = ?) AND (\"version\" = ?)"
                           " | 'first wins', 2, 1, 1",
                           "COMMIT",
                       }));
    theirs->title = "second loses";
    log.clear();
    CHECK_THROWS_AS(second.commit(), orm::stale_data_error);
    CHECK(log.lines == spelled({
                           "BEGIN",
                           "UPDATE \"document\" SET \"title\" = ?, \"version\" = ? WHERE (\"id\" = ?) AND (\"version\" = ?)"
                           " | 'second loses', 2, 1, 1",
                       }));
    CHECK(theirs->version == 1);  // the failed flush took its version bump back
    second.rollback();
    auto conn = db.connect();
    auto row = conn.get<Document>(1);
    CHECK(row->title == "first wins");
    CHECK(row->version == 2);
}
