// Basic persistence through a Connection: insert, get, update, remove, all; schema creation.
#include <catch2/catch.hpp>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"
#include "../support/models.hpp"

using namespace models;

TEST_CASE("insert fills the generated key, get reads the row back", "[persistence]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada", .email = "ada@example.org"};
    Author bob{.name = "Bob"};
    conn.insert(ada);
    conn.insert(bob);
    CHECK(ada.id > 0);
    CHECK(bob.id == ada.id + 1);
    auto loaded = conn.get<Author>(bob.id);
    REQUIRE(loaded);
    CHECK(loaded->name == "Bob");
    CHECK_FALSE(loaded->email.has_value());
    CHECK_FALSE(conn.get<Author>(bob.id + 100).has_value());
}

TEST_CASE("update writes every column and reports the matched row", "[persistence]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    ada.email = "ada@example.org";
    CHECK(conn.update(ada) == 1);
    CHECK(conn.update(ada) == 1);  // matched, even though nothing changed (MySQL reports found rows)
    CHECK(conn.get<Author>(ada.id)->email == "ada@example.org");
    Author ghost{.id = 999, .name = "nobody"};
    CHECK(conn.update(ghost) == 0);
}

TEST_CASE("update of chosen columns writes only those columns", "[persistence]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author>(log.options());
    auto conn = db.connect();
    Author ada{.name = "Ada", .email = "old@example.org"};
    conn.insert(ada);
    ada.name = "Ada L.";
    ada.email = "new@example.org";
    log.clear();
    CHECK(conn.update(ada, orm::columns_of(&Author::email)) == 1);
    REQUIRE(log.lines.size() == 1);
    const std::string q = orm_test::is_mysql() ? "`" : "\"";
    CHECK(log.lines[0] == "UPDATE " + q + "author" + q + " SET " + q + "email" + q + " = ? WHERE " + q + "id" + q + " = ? | 'new@example.org', " + std::to_string(ada.id));
    auto row = conn.get<Author>(ada.id);
    CHECK(row->name == "Ada");  // not written
    CHECK(row->email == "new@example.org");
}

TEST_CASE("update and upsert refuse a column the table does not have, naming it and the table", "[persistence][errors]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    orm_test::seed(db, Author{.id = 1, .name = "Ada"});
    auto conn = db.connect();
    Author ada{.id = 1, .name = "changed"};
    CHECK_THROWS_MATCHES(conn.update(ada, orm::column_list{{"typo"}}), orm::interface_error,
                         Catch::Matchers::Message("orm: table 'author' has no column 'typo' (in the update column list)"));
    CHECK_THROWS_AS(conn.update(ada, orm::column_list{{"name", "typo"}}), orm::interface_error);
    Book book{.id = 1, .author_id = ada.id, .title = "First", .price = 5.0};
    CHECK_THROWS_WITH(conn.upsert(book, orm::column_list{{"prise"}}), Catch::Contains("'prise'") && Catch::Contains("'books'"));
    CHECK_THROWS_WITH(conn.upsert(book, orm::columns_of(&Book::price), orm::column_list{{"isbn_typo"}}),
                      Catch::Contains("'isbn_typo'") && Catch::Contains("conflict"));
    CHECK_THROWS_AS(conn.upsert(book, orm::columns_of(&Book::price), orm::column_list{{"isbn_typo"}}), orm::interface_error);
    CHECK(conn.get<Author>(ada.id)->name == "Ada");  // nothing was written
    CHECK(orm_test::count_rows(conn, "books") == 0);
}

TEST_CASE("remove deletes the row, and a cascading foreign key removes its children", "[persistence]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    Book notes{.author_id = ada.id, .title = "Notes", .price = 9.5};
    Book more{.author_id = ada.id, .title = "More notes", .price = 12.25, .isbn = "9780000000000"};
    conn.insert(notes);
    conn.insert(more);
    CHECK(conn.all<Book>().size() == 2);
    CHECK(conn.remove(ada) == 1);
    CHECK_FALSE(conn.get<Author>(ada.id).has_value());
    CHECK(conn.all<Book>().empty());
    CHECK(conn.remove(ada) == 0);
}

TEST_CASE("all() returns rows in key order, composite keys work with get/update/remove", "[persistence]") {
    auto db = orm_test::fresh_engine<OrderLine>();
    auto conn = db.connect();
    OrderLine a{.order_id = 2, .number = 1, .sku = "B", .quantity = 3};
    OrderLine b{.order_id = 1, .number = 2, .sku = "A", .quantity = 1};
    OrderLine c{.order_id = 1, .number = 1, .sku = "C", .quantity = 5};
    conn.insert(a);
    conn.insert(b);
    conn.insert(c);
    auto rows = conn.all<OrderLine>();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].sku == "C");
    CHECK(rows[1].sku == "A");
    CHECK(rows[2].sku == "B");
    auto one = conn.get<OrderLine>(std::int64_t{1}, 2);
    REQUIRE(one);
    CHECK(one->sku == "A");
    b.quantity = 42;
    CHECK(conn.update(b) == 1);
    CHECK(conn.get<OrderLine>(std::int64_t{1}, 2)->quantity == 42);
    CHECK(conn.get<OrderLine>(std::int64_t{1}, 1)->quantity == 5);
    CHECK(conn.remove(c) == 1);
    CHECK(conn.all<OrderLine>().size() == 2);
    CHECK_THROWS_AS(conn.get<OrderLine>(std::int64_t{1}), orm::interface_error);
}

TEST_CASE("a server default fills a column the INSERT leaves out", "[persistence][schema]") {
    auto db = orm_test::fresh_engine<OrderLine>();
    auto conn = db.connect();
    conn.execute("INSERT INTO order_lines (order_id, number, sku) VALUES (?, ?, ?)", 7, 1, "X");
    CHECK(conn.get<OrderLine>(std::int64_t{7}, 1)->quantity == 1);
}

TEST_CASE("self-referencing rows with ON DELETE SET NULL", "[persistence][schema]") {
    auto db = orm_test::fresh_engine<Category>();
    auto conn = db.connect();
    Category root{.code = 1, .label = "root"};
    Category child{.code = 2, .parent_code = 1, .label = "child"};
    conn.insert(root);
    conn.insert(child);
    CHECK(root.code == 1);  // not auto-increment: the key is ours
    conn.remove(root);
    auto orphan = conn.get<Category>(2);
    REQUIRE(orphan);
    CHECK_FALSE(orphan->parent_code.has_value());
}

TEST_CASE("create_all is safe to run twice and drop_all removes the tables", "[schema]") {
    auto db = orm_test::fresh_engine<Author, Book, OrderLine>();
    orm::create_all<Book, Author, OrderLine>(db);  // again, in another order
    auto conn = db.connect();
    Author ada{.name = "Ada"};
    conn.insert(ada);
    orm::create_all<Author, Book, OrderLine>(db);
    CHECK(conn.all<Author>().size() == 1);  // nothing was recreated
    conn.close();
    orm::drop_all<Author, Book, OrderLine>(db);
    auto again = db.connect();
    CHECK_THROWS_AS(again.execute("SELECT * FROM author"), orm::programming_error);
}

TEST_CASE("get by key reuses one SELECT text per table and binds each key", "[persistence]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Author, OrderLine>(log.options());
    orm_test::seed(db, Author{.id = 1, .name = "A"}, Author{.id = 2, .name = "B"});
    auto conn = db.connect();
    log.clear();
    CHECK(conn.get<Author>(2)->name == "B");
    CHECK(conn.get<Author>(1)->name == "A");
    CHECK_FALSE(conn.get<Author>(3).has_value());
    REQUIRE(log.lines.size() == 3);
    const auto text = [](const std::string& line) { return line.substr(0, line.find(" | ")); };
    CHECK(text(log.lines[0]) == text(log.lines[1]));
    CHECK(log.lines[0].substr(log.lines[0].find(" | ")) == " | 2");
    CHECK(log.lines[1].substr(log.lines[1].find(" | ")) == " | 1");
    CHECK(log.lines[2].substr(log.lines[2].find(" | ")) == " | 3");
    CHECK_FALSE(conn.get<OrderLine>(std::int64_t{1}, 2).has_value());  // another table, a composite key
    CHECK(log.lines.back().substr(log.lines.back().find(" | ")) == " | 1, 2");
}
