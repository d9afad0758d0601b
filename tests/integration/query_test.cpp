// Typed queries on every backend, against a seeded data set; each answer is
// checked against the same computation done in C++ on the seed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "../support/backend.hpp"
#include "../support/sql_log.hpp"

using namespace models;
using orm::col;

namespace query_test {
struct AuthorStats {  // a projection target
    std::int64_t author_id = 0;
    std::int64_t books = 0;
    std::optional<double> total;
};
}  // namespace query_test
using query_test::AuthorStats;

namespace {

struct seed {
    std::vector<Author> authors;
    std::vector<Book> books;
};

seed make_seed() {
    seed s;
    for (std::int64_t a = 1; a <= 5; ++a)
        s.authors.push_back(Author{.id = a, .name = "Author " + std::to_string(a),
                                   .email = a % 2 == 0 ? std::optional<std::string>("a" + std::to_string(a) + "@x") : std::nullopt});
    for (std::int64_t i = 1; i <= 40; ++i)
        s.books.push_back(Book{.id = i, .author_id = i % 4 + 1, .title = std::string(1, char('A' + i % 6)) + " title " + std::to_string(i),
                               .price = static_cast<double>(i * 37 % 50) * 0.25 + 1.0,
                               .isbn = i % 3 == 0 ? std::optional<std::string>(std::to_string(9780000000000 + i)) : std::nullopt});
    return s;
}

orm::engine seeded(const seed& data, orm::engine_options options = {}) {
    auto db = orm_test::fresh_engine<Author, Book>(std::move(options));
    auto conn = db.connect();
    auto authors = data.authors;
    auto books = data.books;
    conn.insert_many(authors);
    conn.insert_many(books);
    return db;
}

std::vector<std::int64_t> ids(const std::vector<Book>& books) {
    std::vector<std::int64_t> out;
    for (const auto& b : books) out.push_back(b.id);
    return out;
}

}  // namespace

TEST_CASE("where, order_by, limit and offset agree with the same filter in C++", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    auto got = conn.select<Book>()
                   .where(col(&Book::price) > 5.0 && col(&Book::title).like("B%"))
                   .order_by(orm::desc(&Book::price), orm::asc(&Book::id))
                   .limit(3)
                   .offset(1)
                   .all();
    std::vector<Book> expected;
    std::copy_if(data.books.begin(), data.books.end(), std::back_inserter(expected),
                 [](const Book& b) { return b.price > 5.0 && b.title.starts_with("B"); });
    std::sort(expected.begin(), expected.end(), [](const Book& a, const Book& b) { return a.price != b.price ? a.price > b.price : a.id < b.id; });
    expected = std::vector<Book>(expected.begin() + 1, expected.begin() + std::min<std::size_t>(4, expected.size()));
    CHECK(ids(got) == ids(expected));
    REQUIRE_FALSE(got.empty());
    CHECK(got[0].title == expected[0].title);
}

TEST_CASE("first, one, one_or_none, count and exists", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    auto by_author = [&](std::int64_t a) { return conn.select<Book>().where(col(&Book::author_id) == a); };
    const auto expected_count = std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.author_id == 2; });
    CHECK(by_author(2).count() == expected_count);
    CHECK(by_author(2).order_by(orm::asc(&Book::id)).first()->id == 1);
    CHECK_FALSE(by_author(5).first().has_value());
    CHECK(by_author(2).exists());
    CHECK_FALSE(by_author(5).exists());
    CHECK(conn.select<Book>().where(col(&Book::id) == 7).one().title == data.books[6].title);
    CHECK_THROWS_AS(by_author(5).one(), orm::no_result_error);
    CHECK_THROWS_AS(by_author(2).one(), orm::multiple_results_error);
    CHECK_FALSE(by_author(5).one_or_none().has_value());
    CHECK(conn.select<Book>().where(col(&Book::isbn) == std::nullopt).count() ==
          std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return !b.isbn; }));
    CHECK(conn.select<Book>().limit(5).count() == 5);  // counted over the limited rows
}

TEST_CASE("IN, BETWEEN, arithmetic and a predicate built from optional inputs", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    auto in = conn.select<Book>().where(col(&Book::id).in({3, 5, 99})).order_by(orm::asc(&Book::id)).all();
    CHECK(ids(in) == std::vector<std::int64_t>{3, 5});
    auto between = conn.select<Book>().where(col(&Book::price).between(2.0, 4.0)).count();
    CHECK(between == std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.price >= 2.0 && b.price <= 4.0; }));
    auto doubled = conn.select<Book>().where(col(&Book::price) * 2 + 1 > 20.0).count();
    CHECK(doubled == std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.price * 2 + 1 > 20.0; }));

    const std::optional<double> max_price = 6.0;
    const std::optional<std::int64_t> author;  // not given
    const std::string title_prefix = "C";
    orm::predicate<Book> filter;
    if (max_price) filter = filter && col(&Book::price) <= *max_price;
    if (author) filter = filter && col(&Book::author_id) == *author;
    if (!title_prefix.empty()) filter = filter && col(&Book::title).like(title_prefix + "%");
    CHECK(conn.select<Book>().where(filter).count() ==
          std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.price <= 6.0 && b.title.starts_with("C"); }));
}

TEST_CASE("projections and aggregates with GROUP BY and HAVING agree with C++", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    auto rows = conn.select<Book>()
                    .columns(col(&Book::author_id), orm::count(), orm::sum(col(&Book::price)), orm::min(col(&Book::price)),
                             orm::max(col(&Book::id)))
                    .group_by(col(&Book::author_id))
                    .having(orm::count() >= 10)
                    .order_by(orm::asc(col(&Book::author_id)))
                    .all();
    std::map<std::int64_t, std::vector<const Book*>> groups;
    for (const auto& b : data.books) groups[b.author_id].push_back(&b);
    std::size_t checked = 0;
    for (const auto& [author_id, count, total, cheapest, last] : rows) {
        const auto& g = groups.at(author_id);
        CHECK(count == static_cast<std::int64_t>(g.size()));
        CHECK(total == std::accumulate(g.begin(), g.end(), 0.0, [](double s, const Book* b) { return s + b->price; }));
        CHECK(cheapest == (*std::min_element(g.begin(), g.end(), [](auto* a, auto* b) { return a->price < b->price; }))->price);
        CHECK(last == g.back()->id);
        ++checked;
    }
    CHECK(checked == groups.size());  // every author has 10 books: HAVING keeps all four

    auto stats = conn.select<Book>()
                     .columns(col(&Book::author_id), orm::count(), orm::sum(col(&Book::price)))
                     .group_by(col(&Book::author_id))
                     .into<AuthorStats>()
                     .all();
    REQUIRE(stats.size() == 4);
    CHECK(stats[0].books == 10);
    auto empty_sum = conn.select<Book>().columns(orm::sum(col(&Book::price))).where(col(&Book::id) > 1000).one();
    CHECK_FALSE(empty_sum.has_value());  // SUM of no rows is NULL
    auto distinct_authors = conn.select<Book>().columns(col(&Book::author_id)).distinct().all();
    CHECK(std::set<std::int64_t>(distinct_authors.begin(), distinct_authors.end()) == std::set<std::int64_t>{1, 2, 3, 4});
    CHECK(conn.select<Book>().columns(col(&Book::author_id)).distinct().count() == 4);
}

TEST_CASE("joins filter, and add_entity returns tuples of objects", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    std::vector<std::int64_t> expected;
    for (const auto& b : data.books)
        if (b.author_id == 3) expected.push_back(b.id);
    // A join only to filter reads only the books.
    std::vector<Book> filtered = conn.select<Book>().join<Author>().where(col(&Author::name) == "Author 3").order_by(orm::asc(&Book::id)).all();
    CHECK(ids(filtered) == expected);
    auto pairs = conn.select<Book>().join<Author>().add_entity<Author>().where(col(&Author::name) == "Author 3").order_by(orm::asc(&Book::id)).all();
    REQUIRE(pairs.size() == expected.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        CHECK(std::get<0>(pairs[i]).id == expected[i]);
        CHECK(std::get<1>(pairs[i]).id == 3);
        CHECK(std::get<1>(pairs[i]).name == "Author 3");
    }
    auto everyone =
        conn.select<Author>().left_join<Book>().add_entity<std::optional<Book>>().order_by(orm::asc(&Author::id), orm::asc(&Book::id)).all();
    CHECK(everyone.size() == data.books.size() + 1);  // author 5 has no books: one row with no book
    const auto& [lonely, none] = everyone.back();
    CHECK(lonely.id == 5);
    CHECK_FALSE(none.has_value());
    auto explicit_on = conn.select<Author>().join<Book>(col(&Book::author_id) == col(&Author::id) && col(&Book::price) > 12.0).count();
    CHECK(explicit_on == std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.price > 12.0; }));
}

TEST_CASE("subqueries: IN, correlated EXISTS, and a scalar in a comparison", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    auto expensive_authors = orm::select<Book>().columns(col(&Book::author_id)).where(col(&Book::price) > 12.5);
    std::set<std::int64_t> expected;
    for (const auto& b : data.books)
        if (b.price > 12.5) expected.insert(b.author_id);
    auto got = conn.select<Author>().where(col(&Author::id).in(expensive_authors)).all();
    std::set<std::int64_t> got_ids;
    for (const auto& a : got) got_ids.insert(a.id);
    CHECK(got_ids == expected);

    auto without_books = conn.select<Author>()
                             .where(!orm::exists(orm::select<Book>().correlate<Author>().where(col(&Book::author_id) == col(&Author::id))))
                             .all();
    REQUIRE(without_books.size() == 1);
    CHECK(without_books[0].id == 5);

    const double average = std::accumulate(data.books.begin(), data.books.end(), 0.0, [](double s, const Book& b) { return s + b.price; }) /
                           static_cast<double>(data.books.size());
    auto above = conn.select<Book>().where(col(&Book::price) > orm::select<Book>().columns(orm::avg(col(&Book::price))).as_scalar()).count();
    CHECK(above == std::count_if(data.books.begin(), data.books.end(), [&](const Book& b) { return b.price > average; }));
}

TEST_CASE("bulk UPDATE and DELETE report the rows they touched", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    const auto cheap = std::count_if(data.books.begin(), data.books.end(), [](const Book& b) { return b.price < 3.0; });
    CHECK(conn.execute(orm::update<Book>().set(&Book::price, col(&Book::price) * 2).where(col(&Book::price) < 3.0)) ==
          static_cast<std::uint64_t>(cheap));
    CHECK(conn.select<Book>().where(col(&Book::price) < 2.0).count() == 0);
    CHECK(conn.execute(orm::update<Book>().set(&Book::title, "renamed").where(col(&Book::id) == 1)) == 1);
    CHECK(conn.get<Book>(std::int64_t{1})->title == "renamed");
    CHECK(conn.execute(orm::remove<Book>().where(col(&Book::author_id) == 4)) == 10);
    CHECK(conn.select<Book>().count() == 30);
}

TEST_CASE("insert_many writes generated keys back into every object, across chunks", "[query]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    std::vector<Author> many(1234);
    for (std::size_t i = 0; i < many.size(); ++i) many[i].name = "bulk " + std::to_string(i);
    conn.insert_many(many);
    std::set<std::int64_t> keys;
    for (const auto& a : many) keys.insert(a.id);
    CHECK(keys.size() == many.size());
    CHECK(*keys.begin() > 0);
    CHECK(conn.select<Author>().count() == 1234);
    const Author& sample = many[777];
    CHECK(conn.get<Author>(sample.id)->name == "bulk 777");  // the key matches its own row
}

TEST_CASE("upsert inserts, then updates only the chosen columns", "[query]") {
    auto db = orm_test::fresh_engine<Author, Book>();
    auto conn = db.connect();
    Author ada{.id = 1, .name = "Ada"};
    conn.insert(ada);
    Book b{.id = 1, .author_id = 1, .title = "First", .price = 5.0};
    conn.upsert(b, orm::columns_of(&Book::price));
    b.price = 7.5;
    b.title = "ignored";
    conn.upsert(b, orm::columns_of(&Book::price));
    auto stored = conn.get<Book>(std::int64_t{1});
    CHECK(stored->price == 7.5);
    CHECK(stored->title == "First");
    b.price = 1.0;
    conn.upsert(b, orm::column_list{});  // do nothing on conflict
    CHECK(conn.get<Book>(std::int64_t{1})->price == 7.5);
    CHECK(conn.select<Book>().count() == 1);
}

TEST_CASE("stream() reads a large result row by row", "[query][streaming]") {
    auto db = orm_test::fresh_engine<Author>();
    auto conn = db.connect();
    std::vector<Author> rows(20000);
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].name = std::to_string(i);
    conn.insert_many(rows);
    std::int64_t sum_ids = 0, seen = 0, previous = 0;
    bool ordered = true;
    for (const Author& a : conn.select<Author>().order_by(orm::asc(&Author::id)).stream()) {
        sum_ids += a.id;
        ordered = ordered && a.id > previous;
        previous = a.id;
        ++seen;
    }
    CHECK(seen == 20000);
    CHECK(ordered);
    std::int64_t expected = 0;
    for (const auto& a : rows) expected += a.id;
    CHECK(sum_ids == expected);
}

TEST_CASE("a session query returns the session's own objects", "[query][session]") {
    const seed data = make_seed();
    auto db = seeded(data);
    orm::session s(db);
    Author* three = s.get<Author>(3);
    auto found = s.query<Author>().where(col(&Author::id) <= 3).order_by(orm::asc(&Author::id)).all();
    REQUIRE(found.size() == 3);
    CHECK(found[2] == three);  // identity map: the same object
    three->name = "changed";
    auto renamed = s.query<Author>().where(col(&Author::name) == "changed").all();  // autoflush first
    REQUIRE(renamed.size() == 1);
    CHECK(renamed[0] == three);
    auto with_books = s.query<Book>().join<Author>().add_entity<Author>().where(col(&Author::id) == 3).all();
    REQUIRE_FALSE(with_books.empty());
    CHECK(std::get<1>(with_books[0]) == three);
    CHECK(s.get<Book>(std::get<0>(with_books[0])->id) == std::get<0>(with_books[0]));
    CHECK(s.execute(orm::update<Author>().set(&Author::name, "bulk").where(col(&Author::id) == 3)) == 1);
    CHECK(s.get<Author>(3) == three);  // expired by the bulk update, reloaded in place
    CHECK(three->name == "bulk");
}

TEST_CASE("to_sql shows the SQL and parameters a bound query runs", "[query]") {
    orm_test::sql_log log;
    auto db = orm_test::fresh_engine<Book, Author>(log.options());
    auto conn = db.connect();
    auto q = conn.select<Book>().where(col(&Book::price) > 2.5);
    const auto shown = q.to_sql();
    log.clear();
    q.all();
    REQUIRE(log.lines.size() == 1);
    CHECK(log.lines[0] == shown.text + " | 2.5");
}

TEST_CASE("count of a limited join, and first/exists keep a LIMIT 0", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    auto conn = db.connect();
    CHECK(conn.select<Book>().join<Author>().add_entity<Author>().limit(7).count() == 7);
    CHECK_FALSE(conn.select<Book>().limit(0).first().has_value());
    CHECK_FALSE(conn.select<Book>().limit(0).exists());
}

TEST_CASE("streaming reads each row into the same object: every field is the row's, NULLs included", "[query][streaming]") {
    auto db = orm_test::fresh_engine<Author>();
    std::vector<Author> expected{{.name = "a much longer name than the next", .email = "first@example.org"},
                                 {.name = "b", .email = std::nullopt},
                                 {.name = "", .email = "third@x"},
                                 {.name = "d", .email = std::nullopt}};
    {
        auto conn = db.connect();
        conn.insert_many(expected);
    }
    auto conn = db.connect();
    std::vector<Author> seen;
    const Author* address = nullptr;
    bool same_object = true;
    for (const Author& a : conn.select<Author>().order_by(orm::asc(&Author::id)).stream()) {
        if (address && address != &a) same_object = false;
        address = &a;
        seen.push_back(a);
    }
    CHECK(same_object);  // one object, refilled row after row
    REQUIRE(seen.size() == expected.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
        CHECK(seen[i].id == expected[i].id);
        CHECK(seen[i].name == expected[i].name);
        CHECK(seen[i].email == expected[i].email);
    }
}

TEST_CASE("a session query is buffered: the loop body may get, add and flush", "[query][session]") {
    const seed data = make_seed();
    auto db = seeded(data);
    orm::session s(db);
    std::size_t books = 0;
    for (Book* b : s.query<Book>().order_by(orm::asc(&Book::id))) {
        Author* author = s.get<Author>(b->author_id);  // SQL on the session's connection inside the loop
        REQUIRE(author);
        CHECK(author->id == b->author_id);
        (void)s.add(Book{.author_id = author->id, .title = "copy of " + b->title});
        s.flush();
        ++books;
    }
    CHECK(books == data.books.size());
    CHECK(s.query<Book>().count() == static_cast<std::int64_t>(2 * data.books.size()));
    // A connection's range-for is buffered too.
    auto conn = db.connect();
    std::size_t authors = 0;
    for (const Author& a : conn.select<Author>()) {
        CHECK(conn.get<Author>(a.id).has_value());
        ++authors;
    }
    CHECK(authors == data.authors.size());
}

TEST_CASE("while a stream is open its connection runs nothing else, and says so", "[query][streaming]") {
    const seed data = make_seed();
    auto db = seeded(data);
    orm::session s(db);
    std::size_t seen = 0;
    for (Book* b : s.query<Book>().stream()) {
        CHECK_THROWS_WITH(s.get<Author>(b->author_id + 1000), Catch::Contains("streamed result"));  // a miss runs SQL
        (void)s.add(Author{.name = "added while streaming"});  // no SQL: allowed
        ++seen;
    }
    CHECK(seen == data.books.size());
    s.flush();  // the stream is over: the connection is free again
    CHECK(s.query<Author>().count() == static_cast<std::int64_t>(data.authors.size() + data.books.size()));
    auto conn = db.connect();
    {
        auto rows = conn.select<Author>().stream();
        auto it = rows.begin();
        REQUIRE(it != rows.end());
        CHECK_THROWS_AS(conn.select<Book>().count(), orm::interface_error);
    }  // dropped half-read: the connection works again
    CHECK(conn.select<Book>().count() == static_cast<std::int64_t>(data.books.size()));
}

TEST_CASE("a query is a value: built once, run on any connection or session", "[query]") {
    const seed data = make_seed();
    auto db = seeded(data);
    const auto cheap = orm::select<Book>().where(col(&Book::price) < 5.0).order_by(orm::asc(&Book::id));
    auto first = db.connect();
    auto second = db.connect();
    orm::session s(db);
    const std::vector<Book> by_value = cheap.all(first);
    const std::vector<Book*> objects = cheap.all(s);  // on a session: the identity-mapped objects
    REQUIRE(by_value.size() == objects.size());
    for (std::size_t i = 0; i < by_value.size(); ++i) CHECK(objects[i]->id == by_value[i].id);
    CHECK((objects.empty() || s.get<Book>(objects[0]->id) == objects[0]));
    CHECK(cheap.count(second) == static_cast<std::int64_t>(by_value.size()));
    CHECK(cheap.count(s) == static_cast<std::int64_t>(by_value.size()));
    CHECK(cheap.first(second).has_value() == !by_value.empty());
    auto pairs = orm::select<Book>().join<Author>().add_entity<Author>().where(col(&Author::id) == 1).all(s);
    static_assert(std::is_same_v<decltype(pairs), std::vector<std::tuple<Book*, Author*>>>);
    for (const auto& [book, author] : pairs) CHECK(book->author_id == author->id);
    // A bound query that outlives its connection says so instead of dangling.
    std::optional<orm::select_query<Book, orm::tables<Book>>> orphan;
    {
        auto short_lived = db.connect();
        orphan.emplace(short_lived.select<Book>());
    }
    CHECK_THROWS_WITH(orphan->all(), Catch::Contains("is gone"));
    CHECK(orphan->all(first).size() == data.books.size());  // the value itself is still good
}
