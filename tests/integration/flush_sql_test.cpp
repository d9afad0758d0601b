// The exact SQL (with parameters) that a session flush emits, on every backend.
#include <catch2/catch.hpp>

#include <algorithm>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

using namespace models;
using lines = std::vector<std::string>;

using orm_test::spelled;

TEST_CASE("flush inserts parents before children, batching each table's rows", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, Book>(log.options());
    log.clear();
    orm::session s(db);
    (void)s.add(Book{.id = 10, .author_id = 1, .title = "B1", .price = 9.5});  // children added first
    (void)s.add(Book{.id = 11, .author_id = 1, .title = "B2"});
    (void)s.add(Author{.id = 1, .name = "Ada"});
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
    // MySQL/MariaDB (InnoDB's default lock mode) hand a multi-row INSERT consecutive keys:
    // the first comes with the statement's outcome, no RETURNING needed. SQLite does too
    // (the last comes with it) once a query has shown that no trigger can interleave other rows.
    const std::string insert = "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?), (?, ?)";
    lines expected{"BEGIN", "SAVEPOINT \"orm_flush\""};
    if (!orm_test::is_mysql())
        expected.push_back(
            "SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE tbl_name = ? COLLATE NOCASE AND type = 'trigger' UNION ALL "
            "SELECT 1 FROM sqlite_temp_master WHERE tbl_name = ? COLLATE NOCASE AND type = 'trigger') AND "
            "coalesce((SELECT max(\"id\") FROM \"author\"), 0) <= ? | 'author', 'author', 9223372036854775805");
    expected.push_back(insert + " | 'A', NULL, 'B', 'b@x'");
    if (std::string(orm_test::driver_name()) == "cppconn") expected.push_back("SELECT LAST_INSERT_ID()");
    expected.push_back("RELEASE SAVEPOINT \"orm_flush\"");
    CHECK(log.lines == spelled(expected));
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

TEST_CASE("flush groups updates of the same columns into one UPDATE where the dialect batches them", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    orm_test::seed(db, Author{.id = 1, .name = "A"}, Author{.id = 2, .name = "B"}, Author{.id = 3, .name = "C"});
    orm::session s(db);
    auto all = s.query<Author>().order_by(orm::asc(&Author::id)).all();
    REQUIRE(all.size() == 3);
    all[0]->email = "a@x";
    all[1]->name = "Bee";
    all[2]->email = "c@x";
    log.clear();
    s.flush();
    if (orm_test::is_mysql()) {  // one round trip per group of rows changing the same columns
        CHECK(log.lines == spelled({
                               "SAVEPOINT \"orm_flush\"",
                               "UPDATE \"author\" SET \"email\" = CASE WHEN \"id\" = ? THEN ? WHEN \"id\" = ? THEN ? "
                               "ELSE \"email\" END WHERE \"id\" IN (?, ?) | 1, 'a@x', 3, 'c@x', 1, 3",
                               "UPDATE \"author\" SET \"name\" = ? WHERE \"id\" = ? | 'Bee', 2",
                               "RELEASE SAVEPOINT \"orm_flush\"",
                           }));
    } else {  // SQLite: statements cost no round trip, one UPDATE per row (same grouping order)
        CHECK(log.lines == spelled({
                               "SAVEPOINT \"orm_flush\"",
                               "UPDATE \"author\" SET \"email\" = ? WHERE \"id\" = ? | 'a@x', 1",
                               "UPDATE \"author\" SET \"email\" = ? WHERE \"id\" = ? | 'c@x', 3",
                               "UPDATE \"author\" SET \"name\" = ? WHERE \"id\" = ? | 'Bee', 2",
                               "RELEASE SAVEPOINT \"orm_flush\"",
                           }));
    }
    s.commit();
    auto conn = db.connect();
    auto rows = conn.query<Author>("SELECT id, name, email FROM author ORDER BY id");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].email == std::optional<std::string>("a@x"));
    CHECK(rows[1].name == "Bee");
    CHECK(rows[1].email == std::nullopt);
    CHECK(rows[2].email == std::optional<std::string>("c@x"));
}

TEST_CASE("a flush of 1,000 changed rows writes every one, in batches where the dialect batches", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    {
        auto conn = db.connect();
        std::vector<Author> authors;
        for (int i = 1; i <= 1000; ++i) authors.push_back(Author{.id = i, .name = std::string("n").append(std::to_string(i))});
        conn.insert_many(authors);
    }
    orm::session s(db);
    for (Author* a : s.query<Author>().all()) a->name += "!";
    log.clear();
    s.commit();
    const auto updates = std::count_if(log.lines.begin(), log.lines.end(), [](const std::string& l) { return l.rfind("UPDATE", 0) == 0; });
    CHECK(updates == (orm_test::is_mysql() ? 5 : 1000));  // MySQL: 200 rows per statement
    auto conn = db.connect();
    const auto rows = conn.query<Author>("SELECT id, name, email FROM author ORDER BY id");
    REQUIRE(rows.size() == 1000);
    CHECK(std::all_of(rows.begin(), rows.end(), [](const Author& a) { return a.name == std::string("n").append(std::to_string(a.id)).append("!"); }));
}

TEST_CASE("a version conflict in a batch of updates raises stale_data_error and writes none of them", "[session][flush][concurrency]") {
    auto db = orm_test::fresh_engine<Document>();
    orm_test::seed(db, Document{.title = "d1"}, Document{.title = "d2"}, Document{.title = "d3"});
    orm::session s(db);
    auto docs = s.query<Document>().order_by(orm::asc(&Document::id)).all();
    REQUIRE(docs.size() == 3);
    s.commit();  // ends its read (SQLite would block the other writer); the objects keep their values
    {
        orm::session other(db);
        other.get<Document>(2)->title = "changed elsewhere";
        other.commit();
    }
    for (Document* d : docs) d->title += " (mine)";
    CHECK_THROWS_AS(s.commit(), orm::stale_data_error);
    for (Document* d : docs) CHECK(d->version == 1);  // the version bumps were taken back
    s.rollback();
    auto conn = db.connect();
    auto rows = conn.query<Document>("SELECT id, title, version, updated_at FROM document ORDER BY id");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].title == "d1");
    CHECK(rows[1].title == "changed elsewhere");
    CHECK(rows[1].version == 2);
    CHECK(rows[2].title == "d3");
}

TEST_CASE("rows whose primary key changes are updated one by one, even where updates are batched", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    orm_test::seed(db, Author{.id = 1, .name = "A"}, Author{.id = 2, .name = "B"});
    orm::session s(db);
    auto all = s.query<Author>().order_by(orm::asc(&Author::id)).all();
    all[0]->id = 11;
    all[1]->id = 12;
    log.clear();
    s.flush();
    CHECK(log.lines == spelled({
                           "SAVEPOINT \"orm_flush\"",
                           "UPDATE \"author\" SET \"id\" = ? WHERE \"id\" = ? | 11, 1",
                           "UPDATE \"author\" SET \"id\" = ? WHERE \"id\" = ? | 12, 2",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
    CHECK(s.get<Author>(11) == all[0]);
    CHECK(s.get<Author>(12) == all[1]);
}

TEST_CASE("flush(object) writes the objects added since the last flush and that object's change, nothing else", "[session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    orm_test::seed(db, Author{.id = 1, .name = "A"}, Author{.id = 2, .name = "B"});
    orm::session s(db);
    Author* a = s.get<Author>(1);
    Author* b = s.get<Author>(2);
    a->name = "A2";
    b->name = "B2";
    Author& c = s.add(Author{.id = 3, .name = "C"});
    log.clear();
    s.flush(*a);
    CHECK(log.lines == spelled({
                           "SAVEPOINT \"orm_flush\"",
                           "INSERT INTO \"author\" (\"id\", \"name\", \"email\") VALUES (?, ?, ?) | 3, 'C', NULL",
                           "UPDATE \"author\" SET \"name\" = ? WHERE \"id\" = ? | 'A2', 1",
                           "RELEASE SAVEPOINT \"orm_flush\"",
                       }));
    CHECK(s.dirty().size() == 1);  // b, still unwritten
    CHECK(s.new_objects().empty());
    log.clear();
    s.flush(c);  // nothing new, c unchanged: no SQL
    CHECK(log.lines.empty());
    s.remove(*b);
    s.flush(*b);
    CHECK(log.lines == spelled({"DELETE FROM \"author\" WHERE \"id\" = ? | 2"}));
    s.commit();
    auto conn = db.connect();
    CHECK(conn.get<Author>(1)->name == "A2");
    CHECK_FALSE(conn.get<Author>(2).has_value());
    CHECK(conn.get<Author>(3)->name == "C");
}

TEST_CASE("a one-row INSERT reads its generated key from the last insert id instead of RETURNING", "[session][flush][connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    log.clear();
    orm::session s(db);
    Author& a = s.add(Author{.name = "A"});
    s.flush();
    Author& b = s.add(Author{.name = "B", .email = "b@x"});
    s.flush();
    if (std::string(orm_test::driver_name()) == "cppconn") {
        // Connector/C++ does not report the insert id with the statement: RETURNING saves a round trip.
        CHECK(log.lines == spelled({
                               "BEGIN",
                               "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?) RETURNING \"id\" | 'A', NULL",
                               "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?) RETURNING \"id\" | 'B', 'b@x'",
                           }));
    } else {
        CHECK(log.lines == spelled({
                               "BEGIN",  // a flush of one statement needs no savepoint
                               "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?) | 'A', NULL",
                               "INSERT INTO \"author\" (\"name\", \"email\") VALUES (?, ?) | 'B', 'b@x'",
                           }));
    }
    CHECK(a.id == 1);
    CHECK(b.id == 2);
    s.commit();

    auto conn = db.connect();
    Author c{.name = "C"};
    conn.insert(c);  // the remembered one-row text, from another connection's cache too
    CHECK(c.id == 3);
}

TEST_CASE("the connection's persistence statements are compiled once and bind only values", "[connection]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    Author bob{.name = "Bob"};
    conn.insert(ada);
    conn.insert(bob);
    log.clear();
    ada.email = "ada@x";
    bob.email = "bob@x";
    bob.name = "Robert";
    CHECK(conn.update(ada, orm::columns_of(&Author::email)) == 1);
    CHECK(conn.update(bob, orm::columns_of(&Author::email)) == 1);  // same text, other values
    CHECK(conn.update(bob, orm::columns_of(&Author::name)) == 1);   // another column set, another text
    CHECK(conn.update(bob) == 1);                                    // every non-key column
    CHECK(conn.get<Author>(2)->name == "Robert");
    CHECK(conn.get<Author>(1)->email == "ada@x");
    CHECK(conn.remove(ada) == 1);
    CHECK(conn.remove(ada) == 0);
    CHECK(log.lines == spelled({
                           "UPDATE \"author\" SET \"email\" = ? WHERE \"id\" = ? | 'ada@x', 1",
                           "UPDATE \"author\" SET \"email\" = ? WHERE \"id\" = ? | 'bob@x', 2",
                           "UPDATE \"author\" SET \"name\" = ? WHERE \"id\" = ? | 'Robert', 2",
                           "UPDATE \"author\" SET \"name\" = ?, \"email\" = ? WHERE \"id\" = ? | 'Robert', 'bob@x', 2",
                           "SELECT \"author\".\"id\", \"author\".\"name\", \"author\".\"email\" FROM \"author\" "
                           "WHERE \"author\".\"id\" = ? | 2",
                           "SELECT \"author\".\"id\", \"author\".\"name\", \"author\".\"email\" FROM \"author\" "
                           "WHERE \"author\".\"id\" = ? | 1",
                           "DELETE FROM \"author\" WHERE \"id\" = ? | 1",
                           "DELETE FROM \"author\" WHERE \"id\" = ? | 1",
                       }));
}

TEST_CASE("an UPDATE of a column set through a remembered text still refuses an over-long value", "[connection]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    Book book{.author_id = ada.id, .title = "T", .isbn = "123"};
    conn.insert(book);
    book.isbn = "4567";
    CHECK(conn.update(book, orm::columns_of(&Book::isbn)) == 1);  // compiles and remembers the text
    book.isbn = std::string(14, '9');                            // longer than length(13)
    CHECK_THROWS_AS(conn.update(book, orm::columns_of(&Book::isbn)), orm::data_error);
    CHECK(conn.get<Book>(book.id)->isbn == "4567");
}

TEST_CASE("insert_many and a flush of many new objects send one statement per 500 rows, keys written back", "[connection][session][flush]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    std::vector<Author> authors(1001);
    for (std::size_t i = 0; i < authors.size(); ++i) authors[i].name = std::string("a").append(std::to_string(i));
    auto count_inserts = [&] {
        return std::count_if(log.lines.begin(), log.lines.end(), [](const std::string& l) { return l.rfind("INSERT INTO", 0) == 0; });
    };
    {
        auto conn = db.connect();
        log.clear();
        conn.insert_many(authors);
        CHECK(count_inserts() == 3);  // 500 + 500 + 1 rows
    }
    for (std::size_t i = 0; i < authors.size(); ++i) REQUIRE(authors[i].id == static_cast<std::int64_t>(i + 1));

    orm::session s(db);
    std::vector<Author*> added;
    for (std::size_t i = 0; i < 1001; ++i) added.push_back(&s.add(Author{.name = std::string("b").append(std::to_string(i))}));
    log.clear();
    s.flush();
    CHECK(count_inserts() == 3);
    for (std::size_t i = 0; i < added.size(); ++i) REQUIRE(added[i]->id == static_cast<std::int64_t>(1002 + i));
    CHECK(s.get<Author>(2002) == added.back());
    s.commit();
    CHECK(orm_test::count_rows(db, "author") == 2002);
}
